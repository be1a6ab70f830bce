import { personKey, type Member } from "../plan/members";
import { liveEmail, planUser, planUserDelete, type UserPlan } from "../plan/user-plan";
import type { UserInputs, UserState } from "../resources/user-schema";
import { isUnknown } from "../resources/validate";
import { type ReviewContext, resourceName, stepPerson } from "./context";
import { userHandChanges } from "./hand-changes";
import { isMasked, maskedFields } from "./masked";
import type { AccountChange } from "./model";
import type { Props, ResourceStep } from "./preview-json";

/**
 * A user's step, read with the planning functions the provider itself runs
 * (plan/user-plan.ts): a create, a change of an existing account (or an
 * adoption that hands it over from a deleted resource), or a removal.
 */

/** The fields the plans read: a masked one makes the plan meaningless, so the step is not reviewed. */
const STATE_FIELDS = ["userName", "emailInInVision", "active", "onDelete", "gone"];
const DECLARED_FIELDS = ["active", "onDelete"];

const UNKNOWN_EMAIL = "(an email known only at apply)";

export function reviewUser(s: ResourceStep, ctx: ReviewContext, adopted?: ResourceStep): void {
    switch (s.op) {
        case "create":
            return adopted ? changed(adopted, s.news ?? {}, ctx, s) : created(s, ctx);
        case "same":
        case "update":
        case "replace":
        case "create-replacement":
            return changed(s, s.news ?? {}, ctx);
        case "delete":
        case "delete-replaced":
            return removed(s, ctx);
        default:
            // read, import, refresh, discard: nothing is written to InVision.
            return;
    }
}

function created(s: ResourceStep, ctx: ReviewContext): void {
    const news = s.news ?? {};
    const email = news.userName;
    const shown = typeof email === "string" && !isUnknown(email) && !isMasked(email);
    const who: Member = shown ? { email } : stepPerson(s);
    const active = news.active !== false;
    ctx.ledger.account(who, shown ? email : isMasked(email) ? String(email) : UNKNOWN_EMAIL, { kind: "created", active });
    ctx.ledger.mayAdopt.users = true;
}

/**
 * An existing account against the declaration. `state` is the step whose
 * state is planned against: the step itself, or the deleted resource whose
 * account a create adopts (`create`).
 */
function changed(state: ResourceStep, news: Props, ctx: ReviewContext, create?: ResourceStep): void {
    const olds = state.olds ?? {};
    const masked = [...maskedFields(olds, STATE_FIELDS), ...maskedFields(news, DECLARED_FIELDS)];
    // A new email that is a secret still reads as a replacement (the new account shows as [secret]); anything else masked does not read.
    if (isMasked(news.userName) && !(create === undefined && state.op === "replace")) masked.push("userName");
    if (masked.length > 0) {
        ctx.ledger.cannotRead(`User resource '${resourceName(create ?? state)}': the preview shows its ${[...new Set(masked)].join(", ")} as [secret], so this report cannot say what up does to it; read the preview.`);
        return;
    }
    const plan = planUser(olds as Partial<UserState>, news as Partial<UserInputs>, ctx.run);
    if (create === undefined && disagrees(state.op, plan)) {
        ctx.ledger.cannotRead(`User resource '${resourceName(state)}': the preview's step is ${state.op}, and this report's plan is ${plan.action}; read the preview.`);
        return;
    }
    const me: Member = { id: state.id, email: typeof olds.userName === "string" ? olds.userName : undefined };
    const who = me.email ?? UNKNOWN_EMAIL;
    for (const h of userHandChanges(olds, state.oldInputs, plan)) ctx.ledger.hand(h);

    if (plan.action === "replace") {
        const email = news.userName;
        const known = typeof email === "string" && !isUnknown(email);
        const label = known ? email : UNKNOWN_EMAIL;
        const newcomer: Member = known && !isMasked(email) ? { email } : stepPerson(create ?? state);
        ctx.ledger.mayAdopt.users = true;
        if (olds.gone) {
            // Still the person the directory knows by the old id: the groups' plans match her by it.
            ctx.ledger.account(me, label, { kind: "created", active: news.active !== false, why: "the account was deleted outside the program" });
            return;
        }
        ctx.leaving.add(personKey(me));
        ctx.ledger.account(me, who, oldAccountFate(olds, `replaced by ${label}`));
        ctx.ledger.account(newcomer, label, { kind: "created", active: news.active !== false, why: `replaces ${who}` });
        return;
    }
    if (plan.write.userName !== undefined) {
        ctx.ledger.account(me, who, { kind: "emailChangedBack", from: liveEmail(olds as Partial<UserState>), why: "changed outside the program" });
    }
    if (plan.write.active === false) ctx.ledger.account(me, who, { kind: "deactivated", why: "declared active: false" });
    if (plan.write.active === true) {
        const handMade = olds.active === false && (state.oldInputs?.active ?? true) !== false;
        ctx.ledger.account(me, who, { kind: "reactivated", why: handMade ? "deactivated outside the program" : "declared active again" });
    }
}

function removed(s: ResourceStep, ctx: ReviewContext): void {
    const olds = s.olds ?? {};
    if (maskedFields(olds, STATE_FIELDS).length > 0) {
        ctx.ledger.cannotRead(`User resource '${resourceName(s)}' leaves the program; the preview shows its email as [secret], so this report cannot name the person; read the preview.`);
        return;
    }
    const me: Member = { id: s.id, email: typeof olds.userName === "string" ? olds.userName : undefined };
    ctx.leaving.add(personKey(me));
    ctx.ledger.account(me, me.email ?? UNKNOWN_EMAIL, oldAccountFate(olds, "left the roster"));
    for (const h of userHandChanges(olds, s.oldInputs, "leaving")) ctx.ledger.hand(h);
}

/** What removing the resource does to its account (a removal, or the old account of a replacement): plan/user-plan.ts's planUserDelete. */
function oldAccountFate(olds: Props, why: string): AccountChange {
    const fate = planUserDelete(olds as Partial<UserState>);
    // The plan's own verdict: an access line when access is lost, an info line when nothing is sent.
    if (fate.lines.some((l) => l.severity === "warning")) return { kind: fate.action === "delete" ? "deleted" : "deactivated", why: fate.action === "delete" ? `${why} (onDelete: delete)` : why };
    const unchanged = olds.gone ? "the account was already deleted outside the program" : fate.action === "retain" ? "InVision keeps the account (onDelete: retain)" : "the account is already deactivated";
    return { kind: "leavesUnchanged", why: `${why}; ${unchanged}` };
}

/** The engine's step against the plan: the provider's diff ran this very plan, so they differ only when the preview hid something. */
function disagrees(op: string, plan: UserPlan): boolean {
    const replaces = op === "replace" || op === "create-replacement";
    if (replaces !== (plan.action === "replace")) return true;
    return op === "same" && plan.action !== "none";
}
