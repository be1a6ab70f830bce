import { PeopleBook } from "../scim/people";

/**
 * Who a SCIM user id is, so that previews and errors name people by email
 * instead of by id. Two sources, in this order:
 *  - this provider process: every user resource's diff, create, read and
 *    update reports its id and email, and the engine runs a user's steps
 *    before those of a group that lists its id;
 *  - the group's own state (`memberNames`), for people whose user resource
 *    is gone from the program (it is deleted, never diffed) or was never
 *    declared (members kept at adoption).
 * Pure apart from the process-wide map; diff never sends a request for a name.
 */

/** One book per provider process, shared with the SCIM client (which also uses it to find users a server hides). */
let known = new PeopleBook();

export function processPeople(): PeopleBook {
    return known;
}

export function rememberUser(id: unknown, userName: unknown): void {
    if (typeof id === "string" && id !== "" && typeof userName === "string" && userName !== "") known.note(id, userName);
}

export function knownUserName(id: string): string | undefined {
    return known.emailOf(id);
}

/** A person as a preview line shows them: their email, else the id with a note. */
export function personLabel(id: string, fromState: Readonly<Record<string, string>> = {}): string {
    return known.emailOf(id) ?? fromState[id] ?? `user id ${id} (email not known yet: run \`pulumi refresh\`)`;
}

/**
 * Names for every id, for a group's state: from memory or state where known;
 * the rest of `lookUpOnly` through `lookup` (create/read/update only: they
 * may send requests).
 */
export async function namesFor(
    ids: readonly string[],
    fromState: Readonly<Record<string, string>>,
    lookup: (missing: string[]) => Promise<Map<string, string>>,
    lookUpOnly: readonly string[] = ids,
): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const missing: string[] = [];
    const mayLookUp = new Set(lookUpOnly);
    for (const id of ids) {
        const name = known.emailOf(id) ?? fromState[id];
        if (name) out[id] = name;
        else if (mayLookUp.has(id)) missing.push(id);
    }
    if (missing.length > 0) {
        for (const [id, name] of await lookup(missing)) {
            out[id] = name;
            known.note(id, name);
        }
    }
    return out;
}

/** A new provider process; tests that play several runs in one process call it between runs. */
export function forgetNames(): void {
    known = new PeopleBook();
}
