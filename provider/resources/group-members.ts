import type { GroupState } from "./group-schema";

/**
 * Who a group's members are. A program names a member by email (the
 * person's `userName`) or, as programs written before 0.2 do, by SCIM id.
 * The two are told apart by the "@": a sign-in email always has one, and no
 * SCIM id InVision or the IdPs issue does (UUIDs, numbers, Okta's `00u…`).
 *
 * Two spellings of one person compare equal through `memberKey`: the
 * lowercased email where it is known (InVision compares emails
 * case-insensitively), else the id. Pure: diff uses it with no request.
 */

export const isEmail = (ref: string): boolean => ref.includes("@");

/** One member as state or a lookup knows them: an id, an email, or both. */
export interface Member {
    id?: string;
    email?: string;
}

export function memberKey(m: Member): string {
    return m.email ? m.email.toLowerCase() : `id:${m.id}`;
}

/** A person as messages name them: their email, else their id with how to learn the email. */
export function memberLabel(m: Member): string {
    return m.email ?? `user id ${m.id} (email not known yet: run \`pulumi refresh\`)`;
}

/**
 * The members state records, in any format this package has written:
 *  - now: `members` and `unmanagedMembers` are emails (an id where InVision
 *    has no email for that member), with `memberIds` beside them, aligned;
 *  - 0.2 before emails: ids, with `memberEmails` aligned (or `memberNames`, a
 *    map by id, before that; nothing in 0.1.0).
 * `emailOf` names ids state does not (this process's user resources).
 */
export function membersInState(state: Partial<GroupState>, emailOf: (id: string) => string | undefined = () => undefined): { declared: Member[]; unmanaged: Member[] } {
    const members = state.members ?? [];
    const unmanaged = state.unmanagedMembers ?? [];
    if (state.memberIds) {
        const ids = state.memberIds;
        const entry = (ref: string, id: string | undefined): Member => (isEmail(ref) ? { email: ref, id } : { id: ref, email: emailOf(ref) });
        return { declared: members.map((ref, i) => entry(ref, ids[i])), unmanaged: unmanaged.map((ref, j) => entry(ref, ids[members.length + j])) };
    }
    const emails = state.memberEmails ?? [];
    const byId = state.memberNames ?? {};
    const entry = (ref: string, i: number): Member => (isEmail(ref) ? { email: ref } : { id: ref, email: emails[i] || byId[ref] || emailOf(ref) });
    return { declared: members.map((ref, i) => entry(ref, i)), unmanaged: unmanaged.map((ref, j) => entry(ref, members.length + j)) };
}

/** Email by id, for every member state knows both of. */
export function emailsById(members: readonly Member[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of members) if (m.id && m.email) out.set(m.id, m.email);
    return out;
}

/** The key of each declared member: an id is spelled as the email state (or `emailOf`) knows for it. */
export function declaredKeys(refs: readonly string[], known: ReadonlyMap<string, string>, emailOf: (id: string) => string | undefined = () => undefined): string[] {
    return refs.map((ref) => memberKey(isEmail(ref) ? { email: ref } : { id: ref, email: known.get(ref) ?? emailOf(ref) }));
}
