import { planGroup, planGroupDelete, type GroupPlan } from "../plan/group-plan";
import { declaredMember, everyoneInState, isEmail, Member, memberList, membersInState, personKey, withMemberList } from "../plan/members";
import type { GroupState } from "../resources/group-schema";
import { isUnknown, UNKNOWN } from "../resources/validate";
import { type ReviewContext, resourceName } from "./context";
import { groupHandChanges } from "./hand-changes";
import { isMasked, maskedFields } from "./masked";
import type { Props, ResourceStep } from "./preview-json";

/**
 * A group's step, read with the planning functions the provider itself runs
 * (plan/group-plan.ts): each member who joins or leaves becomes a line of
 * that person's row, with why when the package knows it.
 */

const STATE_FIELDS = ["displayName", "members", "unmanagedMembers", "memberIds", "memberEmails", "gone"];

const NOT_DECLARED = "not declared: added outside the program, or kept when the group was adopted";
const UNKNOWN_NAME = "(a group whose name is known only at apply)";

export function reviewGroup(s: ResourceStep, ctx: ReviewContext, adopted?: ResourceStep): void {
    switch (s.op) {
        case "create":
            return adopted ? adoption(adopted, s, ctx) : created(s, ctx);
        case "same":
        case "update":
        case "replace":
        case "create-replacement":
            return changed(s, ctx);
        case "delete":
        case "delete-replaced":
            return removed(s, ctx);
        default:
            return;
    }
}

/** The declaration as the plans read it: members as a list, a secret member list as one not known yet (the plan then says what that means). */
function declaration(news: Props | undefined): { declared: Props; secretMembers: boolean } {
    const declared = withMemberList(news ?? {});
    const secretMembers = isMasked(declared.members);
    return { declared: secretMembers ? { ...declared, members: UNKNOWN } : declared, secretMembers };
}

const nameOf = (v: unknown): string => (typeof v === "string" && !isUnknown(v) ? v : UNKNOWN_NAME);

/** The declared members the review can name: every known member, as a Member (with the id the directory knows). */
function knownMembers(declared: Props, ctx: ReviewContext): { members: { ref: string; member: Member }[]; pending: number } {
    const listed = memberList(declared.members) ?? [];
    const known = listed.filter((m): m is string => typeof m === "string" && !isUnknown(m) && !isMasked(m));
    return { members: known.map((ref) => ({ ref, member: named(ref, declaredMember(ref, ctx.directory)) })), pending: listed.length - known.length };
}

/** A member as a row names her: the email, from the program, state or the directory. */
function named(ref: string, m: Member): Member {
    return { ...m, email: m.email ?? (isEmail(ref) ? ref : undefined) };
}

function created(s: ResourceStep, ctx: ReviewContext): void {
    const { declared, secretMembers } = declaration(s.news);
    const name = nameOf(declared.displayName);
    ctx.ledger.mayAdopt.groups = true;
    if (secretMembers || isUnknown(declared.members)) {
        ctx.ledger.group({ kind: "created", group: name, why: secretMembers ? "its members are [secret] in the preview" : "its members are known only at apply" });
        return;
    }
    const { members, pending } = knownMembers(declared, ctx);
    for (const { member } of members) ctx.ledger.join(member, name, "new group");
    ctx.ledger.group({ kind: "created", group: name, members: members.length, ...(pending > 0 ? { pending } : {}) });
}

function unreadable(s: ResourceStep, olds: Props | undefined, news: Props | undefined, ctx: ReviewContext): boolean {
    const masked = [...maskedFields(olds, STATE_FIELDS), ...maskedFields(news, ["displayName", "membershipMode", "onDelete"])];
    if (masked.length === 0) return false;
    ctx.ledger.cannotRead(`Group resource '${resourceName(s)}': the preview shows its ${[...new Set(masked)].join(", ")} as [secret], so this report cannot say who it gives or takes access; read the preview.`);
    return true;
}

function changed(s: ResourceStep, ctx: ReviewContext): void {
    const olds = s.olds ?? {};
    if (unreadable(s, olds, s.news, ctx)) return;
    const { declared, secretMembers } = declaration(s.news);
    const plan = planGroup(olds as Partial<GroupState>, declared, ctx.run, ctx.directory);
    const replaces = s.op === "replace" || s.op === "create-replacement";
    if (replaces !== (plan.action === "replace") || (s.op === "same" && plan.action !== "none")) {
        ctx.ledger.cannotRead(`Group resource '${resourceName(s)}': the preview's step is ${s.op}, and this report's plan is ${plan.action}; read the preview.`);
        return;
    }
    for (const h of groupHandChanges(olds, s.oldInputs, declared, plan, ctx.directory)) ctx.ledger.hand(h);
    const name = nameOf(declared.displayName ?? olds.displayName);

    if (plan.action === "replace") {
        ctx.ledger.mayAdopt.groups = true;
        const { members, pending } = knownMembers(declared, ctx);
        for (const { member } of members) ctx.ledger.join(member, name, "group created again: it was deleted outside the program");
        const more = plan.membersUnknown ? (secretMembers ? "; its members are [secret] in the preview" : "; its members are known only at apply") : pending > 0 ? `; ${pending} more known only at apply` : "";
        ctx.ledger.group({ kind: "recreated", group: name, members: members.length, why: `it was deleted outside the program${more}` });
        return;
    }
    if (plan.rename) {
        const byHand = typeof s.oldInputs?.displayName === "string" && s.oldInputs.displayName !== olds.displayName;
        ctx.ledger.group({ kind: "renamed", group: plan.rename.to, from: plan.rename.from, ...(byHand ? { why: "renamed outside the program" } : {}) });
    }
    memberChanges(plan, olds, s.oldInputs, name, ctx);
    if (plan.membersUnknown) {
        const everyone = everyoneInState(olds as Partial<GroupState>, ctx.directory.emailOf);
        ctx.ledger.moreRemovals ||= everyone.length > 0 && (declared.membershipMode ?? "authoritative") === "authoritative";
        const who = everyone.length > 0 && ctx.ledger.moreRemovals ? `; any of its ${everyone.length} current member(s) not in it is removed: ${everyone.map((m) => m.email ?? "a person whose email state does not record").join(", ")}` : "";
        ctx.ledger.group({ kind: "membersNotKnown", group: name, why: `${secretMembers ? "its member list is [secret] in the preview" : "its member list is known only at apply"}${who}` });
    } else if (plan.pending > 0) {
        ctx.ledger.group({ kind: "membersNotKnown", group: name, why: `${plan.pending} member(s) known only at apply` });
    }
}

/** Who joins and who leaves, per the plan; why, where state or this run says. */
function memberChanges(plan: GroupPlan, olds: Props, oldInputs: Props | undefined, name: string, ctx: ReviewContext): void {
    const wasDeclared = new Set((memberList(oldInputs?.members) ?? []).filter((r): r is string => typeof r === "string").map((r) => (isEmail(r) ? r.toLowerCase() : r)));
    for (const { ref, member } of plan.add) {
        const back = wasDeclared.has(isEmail(ref) ? ref.toLowerCase() : ref);
        ctx.ledger.join(named(ref, member), name, back ? "added back: removed outside the program" : undefined);
    }
    const undeclared = new Set(membersInState(olds as Partial<GroupState>, ctx.directory.emailOf).unmanaged.map(personKey));
    for (const m of plan.remove) {
        const key = personKey(m);
        ctx.ledger.leave(m, name, undeclared.has(key) ? NOT_DECLARED : ctx.leaving.has(key) ? "left the roster" : undefined);
    }
}

/** A create that adopts the group a deleted resource held (a rename or move): its declared members are added, nobody is removed. */
function adoption(old: ResourceStep, s: ResourceStep, ctx: ReviewContext): void {
    const olds = old.olds ?? {};
    if (unreadable(s, olds, s.news, ctx)) return;
    const { declared } = declaration(s.news);
    const plan = planGroup(olds as Partial<GroupState>, declared, ctx.run, ctx.directory);
    const name = nameOf(declared.displayName);
    if (plan.action === "replace") return created(s, ctx);
    for (const { ref, member } of plan.add) ctx.ledger.join(named(ref, member), name);
    if (plan.remove.length > 0) {
        ctx.ledger.hand({
            subject: name,
            what: `${plan.remove.map((m) => m.email ?? "a person whose email state does not record").join(", ")}: in the group, not declared by the resource that now holds it`,
            next: "kept by this up (an adoption removes nobody); the next preview names them as removals",
        });
    }
}

function removed(s: ResourceStep, ctx: ReviewContext): void {
    const olds = s.olds ?? {};
    if (unreadable(s, olds, undefined, ctx)) return;
    for (const h of groupHandChanges(olds, s.oldInputs, undefined, "leaving", ctx.directory)) ctx.ledger.hand(h);
    const name = String(olds.displayName ?? "?");
    if (olds.gone) return ctx.ledger.group({ kind: "leavesUnchanged", group: name, why: "already deleted outside the program" });
    const fate = planGroupDelete(olds as Partial<GroupState>, ctx.directory);
    if (fate.action === "retain") return ctx.ledger.group({ kind: "leavesUnchanged", group: name, why: "InVision keeps it as it is (onDelete: retain)" });
    const everyone = everyoneInState(olds as Partial<GroupState>, ctx.directory.emailOf);
    for (const m of everyone) ctx.ledger.leave(m, name, "group deleted");
    ctx.ledger.group({ kind: "deleted", group: name, members: everyone.length });
}
