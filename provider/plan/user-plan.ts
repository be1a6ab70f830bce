import { USER_DEFAULTS, type UserInputs, type UserState } from "../resources/user-schema";
import { changedSettings } from "../resources/settings";
import { isUnknown } from "../resources/validate";
import { basisOf } from "./basis";
import { access, info, type PlanLine } from "./lines";

/**
 * Where a user's change is decided: one function, used by `diff` (the
 * preview), by the preview's warnings, and by `update` (the apply). Pure and
 * local: it reads state and the declaration, nothing else, so `up` does what
 * the pull request's preview computed (see basis.ts for `up --refresh`).
 */

/** The fields a user PATCH writes. */
export type UserWrite = Partial<Pick<UserInputs, "userName" | "givenName" | "familyName" | "displayName" | "externalId" | "active">>;

export const NAME_FIELDS = ["givenName", "familyName", "displayName", "externalId"] as const;

export interface UserPlan {
    /**
     * "replace": a new account (a new email declared, or InVision no longer
     * has her); "update": a write, or state that must follow the declaration
     * with nothing sent; "none".
     */
    action: "none" | "update" | "replace";
    /** What an update sends, where InVision does not have it already. */
    write: UserWrite;
    /** The properties that change, for the diff. */
    changed: string[];
    /** Every person this plan touches, named, for the preview and the run's output. */
    lines: PlanLine[];
}

const same = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/** The email InVision has for the person, per state: `emailInInVision` when a hand change made it differ from the program's. */
export function liveEmail(s: Partial<UserState>): string | undefined {
    return s.emailInInVision ?? s.userName;
}

/**
 * The plan of an existing user resource in run `run`: state (the truth as
 * last seen; as it was before this run's reads for a read made in this run)
 * against the checked declaration.
 */
export function planUser(state: Partial<UserState>, declared: Partial<UserInputs>, run: string): UserPlan {
    const b = basisOf(state, run);
    const who = b.userName ?? "?";
    const lines: PlanLine[] = [];
    const write: UserWrite = {};
    const changed: string[] = [];
    const fate = { deactivate: "deactivated", delete: "deleted", retain: "left as it is (onDelete: retain)" }[b.onDelete ?? USER_DEFAULTS.onDelete];

    if (isUnknown(declared.userName)) {
        lines.push(access(`user ${who} will be replaced by a new email not known until apply: the account ${who} will be ${fate}`));
        return { action: "replace", write, changed: ["userName"], lines };
    }
    const email = declared.userName as string;
    if (b.gone) {
        lines.push(access(`user ${who} no longer exists in InVision (deleted outside this program): a new account will be created for ${email}`));
        return { action: "replace", write, changed: ["userName"], lines };
    }
    const inInVision = liveEmail(b);
    if (!same(email, b.userName) && !same(email, inInVision)) {
        lines.push(access(`user ${who} will be replaced by ${email}: the account ${who} will be ${fate}`));
        return { action: "replace", write, changed: ["userName"], lines };
    }
    let record = false;
    if (!same(inInVision, b.userName) && same(email, b.userName)) {
        // The email was changed in InVision; the program still declares the old one.
        write.userName = email;
        changed.push("userName");
        lines.push(access(`user ${email} is ${inInVision} in InVision (changed outside this program): the email will be changed back to ${email}; the person keeps their groups`));
    } else if (!same(email, b.userName)) {
        // The program now declares the email InVision already has: state follows, nothing is sent.
        record = true;
        changed.push("userName");
        lines.push(info(`user ${b.userName} is ${inInVision} in InVision (changed outside this program), which the program now declares: nothing is sent; the person keeps their groups`));
    }
    for (const k of NAME_FIELDS) {
        // An undeclared field is not managed: removing it from the program leaves InVision as it is.
        const want = declared[k];
        if (want === undefined || want === b[k]) continue;
        write[k] = want;
        changed.push(k);
        lines.push(info(`user ${email}: ${k} will be set to '${want}' (InVision has ${b[k] === undefined ? "none" : `'${b[k]}'`})`));
    }
    const active = declared.active ?? true;
    if (active !== (b.active ?? true)) {
        write.active = active;
        changed.push("active");
        lines.push(
            access(active ? `user ${email} will be reactivated: InVision has the account deactivated, the program declares active: true` : `user ${email} will be deactivated (active: false)`),
        );
    }
    const settings = changedSettings<UserState, "onExisting" | "onDelete">(b, declared, USER_DEFAULTS);
    changed.push(...settings);
    const action = Object.keys(write).length > 0 || record || settings.length > 0 ? "update" : "none";
    return { action, write, changed, lines };
}

/** What creating a user resource does, said before it happens: a create adopts an existing account as the declaration says. */
export function planUserCreate(declared: Partial<UserInputs>): PlanLine[] {
    if (isUnknown(declared.userName)) return [];
    const email = String(declared.userName);
    return declared.active === false
        ? [access(`user ${email} will be created deactivated, or, if InVision has an active account for ${email}, that account adopted and deactivated`)]
        : [info(`user ${email} will be created, or adopted (and reactivated if deactivated) if InVision has an account for ${email}`)];
}

/** What removing a user resource does. */
export function planUserDelete(state: Partial<UserState>): { action: "deactivate" | "delete" | "retain"; lines: PlanLine[] } {
    const who = state.userName ?? "?";
    const action = state.onDelete ?? USER_DEFAULTS.onDelete;
    if (state.gone) return { action, lines: [info(`user ${who} leaves the program; InVision no longer has the account (deleted outside this program): nothing is sent`)] };
    if (action === "retain") return { action, lines: [info(`user ${who} leaves the program; InVision keeps the account as it is (onDelete: retain)`)] };
    if (action === "delete") return { action, lines: [access(`user ${who} will be deleted (onDelete: delete)`)] };
    if (state.active === false) return { action, lines: [info(`user ${who} leaves the program; the account is already deactivated`)] };
    return { action, lines: [access(`user ${who} will be deactivated: its resource leaves the program (onDelete: deactivate)`)] };
}
