import { isUnknown } from "./validate";
import { GROUP_DEFAULTS, type GroupInputs, type GroupState } from "./group-schema";
import { declaredKeys, emailsById, Member, memberKey, membersInState } from "./group-members";
import { changedSettings } from "./settings";
import { USER_DEFAULTS, type UserInputs, type UserState } from "./user-schema";

/**
 * Where a diff is decided. Pure and local: `pulumi preview` of any roster
 * sends no request, and every rule here is unit-tested.
 *
 * `olds` is what state holds (declared settings plus what InVision reported
 * at the last create, update or refresh); `news` is the checked inputs.
 */

export interface Diff {
    changes: boolean;
    replaces: string[];
    /** The properties that change, for tests and messages. */
    changed: string[];
}

const sameEmail = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/**
 * A user. Emails compare case-insensitively (InVision does). A new userName
 * is a replacement, not an update: InVision identifies a person by email and
 * V7 ignores email edits over SCIM, so an in-place edit would be accepted and
 * silently never applied. A replacement is what really happens: the preview
 * shows it, the new account is created first, and the old one then goes the
 * way `onDelete` says.
 */
export function diffUser(olds: Partial<UserState>, news: Partial<UserInputs>): Diff {
    const changed: string[] = [];
    const replaces: string[] = [];
    if (isUnknown(news.userName) || !sameEmail(olds.userName, news.userName)) {
        changed.push("userName");
        replaces.push("userName");
    }
    for (const k of ["givenName", "familyName", "displayName", "externalId"] as const) {
        // An undeclared field is not managed: removing it from the program leaves InVision as it is.
        if (news[k] !== undefined && news[k] !== olds[k]) changed.push(k);
    }
    if ((news.active ?? true) !== (olds.active ?? true)) changed.push("active");
    changed.push(...changedSettings<UserState, "onExisting" | "onDelete">(olds, news, USER_DEFAULTS));
    return { changes: changed.length > 0, replaces, changed };
}

/** What to send so that a live user matches the declaration. Undeclared fields are left alone. */
export function profileChange(live: Partial<UserState>, declared: UserInputs) {
    const change: { givenName?: string; familyName?: string; displayName?: string; externalId?: string; active?: boolean } = {};
    for (const k of ["givenName", "familyName", "displayName", "externalId"] as const) {
        if (declared[k] !== undefined && declared[k] !== live[k]) change[k] = declared[k];
    }
    if (declared.active !== live.active) change.active = declared.active;
    return change;
}

export interface MembershipPlan {
    add: string[];
    remove: string[];
}

/**
 * The member changes that bring `live` to the declaration: only the
 * difference. `additive` never removes anyone.
 */
export function planMembership(live: readonly string[], declared: readonly string[], mode: GroupInputs["membershipMode"]): MembershipPlan {
    const liveSet = new Set(live);
    const declaredSet = new Set(declared);
    const add = declared.filter((id) => !liveSet.has(id));
    const remove = mode === "authoritative" ? live.filter((id) => !declaredSet.has(id)) : [];
    return { add: [...new Set(add)], remove: [...new Set(remove)] };
}

/**
 * A group. A rename is an update (InVision renames a group in place), never a
 * replacement: replacing would drop and recreate everyone's access. Members
 * compare by person (group-members.ts): an email and the id state recorded
 * for it are the same member, so a program that switches from ids to emails
 * previews no change.
 */
export function diffGroup(olds: Partial<GroupState>, news: Partial<GroupInputs>, emailOf: (id: string) => string | undefined = () => undefined): Diff {
    const changed: string[] = [];
    if (news.displayName !== olds.displayName) changed.push("displayName");
    const mode = news.membershipMode ?? GROUP_DEFAULTS.membershipMode;
    const declared = news.members ?? [];
    if (isUnknown(news.members) || declared.some(isUnknown)) {
        changed.push("members");
    } else {
        const plan = planMembers(olds, declared as string[], mode, emailOf);
        if (plan.add.length > 0 || plan.remove.length > 0) changed.push("members");
    }
    changed.push(...changedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(olds, news, GROUP_DEFAULTS));
    return { changes: changed.length > 0, replaces: [], changed };
}

/**
 * The membership change the diff of state against the declaration implies,
 * by person key: what the pull request's preview showed, and so all an `up`
 * may do. `believed` are the members state records; `keys`, the person key of
 * each declared member, in order.
 */
export function planMembers(
    olds: Partial<GroupState>,
    declared: readonly string[],
    mode: GroupInputs["membershipMode"],
    emailOf: (id: string) => string | undefined = () => undefined,
): MembershipPlan & { believed: Member[]; keys: string[] } {
    const { declared: kept, unmanaged } = membersInState(olds, emailOf);
    const believed = [...kept, ...unmanaged];
    const keys = declaredKeys(declared, emailsById(believed), emailOf);
    return { ...planMembership(believed.map(memberKey), keys, mode), believed, keys };
}
