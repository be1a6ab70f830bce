import { Member, personKey } from "../plan/members";
import { MASK } from "./masked";
import type { AccountChange, GroupChange, HandChange, Membership, PersonRow } from "./model";

/** How a person is named when neither state nor the program gives an email (an id is never printed). */
export const NO_EMAIL = "(a person whose email state does not record: run pulumi refresh)";

/**
 * Where the review's readers of steps write what they find. A person is her
 * SCIM id where one is known (a user's step and a group's member are then the
 * same row), else her lowercased email (an account this run creates); the key
 * stays in here, and only emails come out.
 */
export class Ledger {
    private readonly people = new Map<string, PersonRow & { named: boolean }>();
    readonly groups: GroupChange[] = [];
    readonly handChanges: HandChange[] = [];
    readonly notes: string[] = [];
    readonly mayAdopt = { users: false, groups: false };
    /** Memberships up may remove beyond those named, for members known only at apply. */
    moreRemovals = false;
    /** A step the review could not read: "no change" would not be the whole truth. */
    incomplete = false;

    private row(m: Member, email?: string, named = false): PersonRow & { named: boolean } {
        const key = personKey(m);
        let row = this.people.get(key);
        if (!row) {
            row = { email: email ?? m.email ?? NO_EMAIL, account: [], joins: [], leaves: [], named };
            this.people.set(key, row);
        } else if (named && !row.named) {
            // A user's own step names her as the program does; a group's state may know her by InVision's email.
            row.email = email ?? row.email;
            row.named = true;
        } else if (row.email === NO_EMAIL && (email ?? m.email)) {
            row.email = (email ?? m.email)!;
        }
        return row;
    }

    /** A person's account change; `email` is how the program names her. */
    account(m: Member, email: string, change: AccountChange): void {
        this.row(m, email, true).account.push(change);
    }

    join(m: Member, group: string, why?: string): void {
        add(this.row(m).joins, { group, why });
    }

    leave(m: Member, group: string, why?: string): void {
        add(this.row(m).leaves, { group, why });
    }

    group(change: GroupChange): void {
        this.groups.push(change);
    }

    hand(change: HandChange): void {
        this.handChanges.push(change);
    }

    note(text: string): void {
        if (!this.notes.includes(text)) this.notes.push(text);
    }

    /** A step this review cannot read (values shown as [secret], or a plan the engine's step contradicts). */
    cannotRead(text: string): void {
        this.incomplete = true;
        this.note(text);
    }

    /**
     * The rows, one per email, without the keys. Two keys with one email are
     * two accounts of one person, one of them gone (InVision's emails are
     * unique): an account deleted outside the program and made again, which
     * a group's state still records by the old id. The plan adds the new one
     * and removes the old one; for the person that is a join, not a leave.
     */
    rows(): PersonRow[] {
        const byEmail = new Map<string, PersonRow>();
        for (const [person, { named: _, ...r }] of this.people) {
            // "[secret]" and the stand-ins in parentheses are not emails: two of them are two people.
            const key = r.email === MASK || r.email.startsWith("(") ? person : r.email.toLowerCase();
            const seen = byEmail.get(key);
            if (!seen) byEmail.set(key, { ...r, account: [...r.account], joins: [...r.joins], leaves: [...r.leaves] });
            else {
                seen.account.push(...r.account);
                for (const j of r.joins) add(seen.joins, j);
                for (const l of r.leaves) add(seen.leaves, l);
            }
        }
        return [...byEmail.values()]
            .map((r) => ({ ...r, joins: byGroup(r.joins), leaves: byGroup(r.leaves.filter((l) => !r.joins.some((j) => j.group === l.group))) }))
            .filter((r) => r.account.length > 0 || r.joins.length > 0 || r.leaves.length > 0)
            .sort((a, b) => a.email.localeCompare(b.email));
    }
}

function add(list: Membership[], m: Membership): void {
    if (!list.some((x) => x.group === m.group)) list.push(m.why === undefined ? { group: m.group } : m);
}

const byGroup = (ms: Membership[]) => [...ms].sort((a, b) => a.group.localeCompare(b.group));
