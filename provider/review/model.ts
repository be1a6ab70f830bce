/**
 * What an access review says, as data: the rows a Markdown report (and a
 * machine reading `--format json`) is made of. People are named by email and
 * groups by name, never by SCIM id: nothing here holds an id.
 */

/** What happens to a person's account. */
export type AccountKind =
    /** A new account (or, where InVision already has one with the email, that one adopted). */
    | "created"
    | "reactivated"
    | "deactivated"
    | "deleted"
    /** The email was changed outside the program; `up` changes it back. */
    | "emailChangedBack"
    /** The person leaves the program, and nothing is sent (already deactivated, already deleted, or onDelete: retain). */
    | "leavesUnchanged";

export interface AccountChange {
    kind: AccountKind;
    /** created: whether the account is created active. */
    active?: boolean;
    /** emailChangedBack: the email InVision has now. */
    from?: string;
    /** Why, in words, when the package knows. */
    why?: string;
}

export interface Membership {
    group: string;
    why?: string;
}

/** One person whose access changes. */
export interface PersonRow {
    email: string;
    /** Usually one; two when, say, an email changed back and a reactivation meet. */
    account: AccountChange[];
    joins: Membership[];
    leaves: Membership[];
}

/** leavesUnchanged: the group leaves the program and nothing is sent (onDelete: retain, or already deleted). */
export type GroupChangeKind = "created" | "recreated" | "deleted" | "renamed" | "leavesUnchanged" | "membersNotKnown";

export interface GroupChange {
    kind: GroupChangeKind;
    group: string;
    /** renamed: the name InVision has now. */
    from?: string;
    /** created, recreated, deleted: how many people it gives or takes access. */
    members?: number;
    /** created, recreated: members known only at apply (or [secret] in the preview), besides those. */
    pending?: number;
    why?: string;
}

/** A difference state records between InVision and what the program declared, and what the next `up` does with it. */
export interface HandChange {
    /** The person's email or the group's name. */
    subject: string;
    what: string;
    next: string;
}

export interface GuardCount {
    /** As state records it: `up` counts on what InVision has then. */
    count: number;
    /** More may come from members known only at apply. */
    more: boolean;
    limit: number;
    /** The stack config key that sets the limit, and whether the config set it. */
    setting: string;
    configured: boolean;
}

export interface AccessReview {
    /** The one line for a notification: "+2 people, -1 person, 3 group changes", or "no change in access". */
    summary: string;
    people: PersonRow[];
    groups: GroupChange[];
    handChanges: HandChange[];
    guard: { deactivations: GuardCount; membershipRemovals: GuardCount; refused: boolean; problem?: string };
    /** What limits the report: a failed preview, steps it cannot read. */
    notes: string[];
    /** Whether to say that new accounts and groups may be adopted instead of created. */
    mayAdopt: { users: boolean; groups: boolean };
}
