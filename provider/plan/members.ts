import type { GroupState } from "../resources/group-schema";
import { isUnknown } from "../resources/validate";

/**
 * The one place a group's members change form. A member travels as:
 *  - a program's list (`members: [alice.userName, "dana@example.com"]`):
 *    emails, or SCIM ids in programs written before emails;
 *  - the checked inputs' set (`{ "alice@example.com": "member" }`), so the
 *    engine's diff shows who comes and goes instead of shifted positions;
 *  - state's lists: `members` (the declared members InVision has) and
 *    `unmanagedMembers` (the others), emails, with `memberIds` aligned;
 *  - a person key, what two spellings of one person compare by.
 *
 * A person is her SCIM id: once an id is known for a member, she is compared
 * by it, so a hand-renamed person (a new email in InVision, the old one in the
 * program) is still the same member. Before an id is known (someone the
 * program creates in this run) the lowercased email stands in.
 */

export const isEmail = (ref: string): boolean => ref.includes("@");

/** One member as state or a lookup knows them: an id, an email, or both. */
export interface Member {
    id?: string;
    email?: string;
}

/** The key two spellings of one person share: the id when known, else the lowercased email. */
export function personKey(m: Member): string {
    return m.id !== undefined ? `id:${m.id}` : `email:${(m.email ?? "").toLowerCase()}`;
}

/** A person as messages name them: their email, else their id with how to learn the email. */
export function memberLabel(m: Member): string {
    return m.email ?? `user id ${m.id} (email not known yet: run \`pulumi refresh\`)`;
}

/** The checked inputs' form: a set keyed by each member as the program spells them. */
export function memberSet(refs: readonly string[]): Record<string, string> {
    return Object.fromEntries(refs.map((ref) => [ref, "member"]));
}

/** The members of inputs in either shape (the set, or a list from a program or from state before the set). */
export function memberList(v: unknown): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (v !== null && typeof v === "object") return Object.keys(v);
    return undefined;
}

/** Inputs as the engine hands them back (members as a set) in the shape the schema validates (a list). */
export function withMemberList(props: Record<string, unknown>): Record<string, unknown> {
    const members = memberList(props.members);
    return members === undefined ? props : { ...props, members };
}

/**
 * Members keep the positions they had, and newcomers go last: for the one
 * case where the members stay a list, some not known until apply (a set
 * cannot be keyed by a value not known yet).
 */
export function stableOrder(previous: readonly unknown[], declared: readonly unknown[]): unknown[] {
    const wanted = new Set(declared);
    const kept = previous.filter((m) => wanted.has(m));
    const keptSet = new Set(kept);
    return [...kept, ...declared.filter((m) => !keptSet.has(m))];
}

/** A program's members as checked inputs: a set, or (some not known yet) a stable list. */
export function checkedMembers(previous: unknown, members: readonly unknown[]): unknown {
    return members.some(isUnknown) ? stableOrder(memberList(previous) ?? [], members) : memberSet(members as string[]);
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

/** Everyone state records in the group, declared or not. */
export function everyoneInState(state: Partial<GroupState>, emailOf?: (id: string) => string | undefined): Member[] {
    const { declared, unmanaged } = membersInState(state, emailOf);
    return [...declared, ...unmanaged];
}

/** Who knows whom: the ids a group's state and this process know for emails, and the emails for ids. */
export interface Directory {
    idOf(email: string): string | undefined;
    emailOf(id: string): string | undefined;
}

/** A declared member as a Member: an id is taken as it is; an email gets the id the directory knows. */
export function declaredMember(ref: string, directory: Directory): Member {
    if (!isEmail(ref)) return { id: ref, email: directory.emailOf(ref) };
    return { email: ref, id: directory.idOf(ref) };
}

/** A directory from a group's members in state first, then `fallback` (this process's people). */
export function directoryOf(members: readonly Member[], fallback: Directory): Directory {
    const idByEmail = new Map<string, string>();
    const emailById = new Map<string, string>();
    for (const m of members) {
        if (m.id === undefined || m.email === undefined) continue;
        idByEmail.set(m.email.toLowerCase(), m.id);
        emailById.set(m.id, m.email);
    }
    return {
        idOf: (email) => fallback.idOf(email) ?? idByEmail.get(email.toLowerCase()),
        emailOf: (id) => emailById.get(id) ?? fallback.emailOf(id),
    };
}

/**
 * State's lists from the members InVision has: the declared ones under the
 * program's spelling, in declaration order; the others by email (an id where
 * no email is known), ids aligned. Linear in the members.
 */
export function stateLists(
    liveIds: readonly string[],
    declared: readonly { ref: string; id: string }[],
    emailOf: (id: string) => string | undefined,
): Pick<GroupState, "members" | "unmanagedMembers" | "memberIds"> {
    const live = new Set(liveIds);
    const declaredIds = new Set(declared.map((d) => d.id));
    const present = declared.filter((d) => live.has(d.id));
    const others = liveIds.filter((id) => !declaredIds.has(id));
    return {
        members: present.map((d) => (isEmail(d.ref) ? d.ref : (emailOf(d.id) ?? d.ref))),
        unmanagedMembers: others.map((id) => emailOf(id) ?? id),
        memberIds: [...present.map((d) => d.id), ...others],
    };
}
