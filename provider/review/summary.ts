import type { AccessReview } from "./model";

/**
 * The review in one line, for a notification: "+2 people, -1 person, 3 group
 * changes". People gain access when an account is created or reactivated and
 * lose it when one is deactivated or deleted; a group change is a membership
 * that starts or ends; groups created, deleted or renamed are counted apart.
 */
export interface Counts {
    gained: number;
    lost: number;
    emailsChangedBack: number;
    /** Memberships that start or end. */
    groupChanges: number;
    groupsCreated: number;
    groupsDeleted: number;
    groupsRenamed: number;
}

export function countsOf(review: Pick<AccessReview, "people" | "groups">): Counts {
    const kinds = review.people.flatMap((p) => p.account.map((a) => a.kind));
    const groups = (...ks: string[]) => review.groups.filter((g) => ks.includes(g.kind)).length;
    return {
        gained: kinds.filter((k) => k === "created" || k === "reactivated").length,
        lost: kinds.filter((k) => k === "deactivated" || k === "deleted").length,
        emailsChangedBack: kinds.filter((k) => k === "emailChangedBack").length,
        groupChanges: review.people.reduce((n, p) => n + p.joins.length + p.leaves.length, 0),
        groupsCreated: groups("created", "recreated"),
        groupsDeleted: groups("deleted"),
        groupsRenamed: groups("renamed"),
    };
}

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryOf(review: Omit<AccessReview, "summary">, o: { failed: boolean; incomplete: boolean }): string {
    const c = countsOf(review);
    const parts: string[] = [];
    if (c.gained > 0) parts.push(`+${people(c.gained)}`);
    if (c.lost > 0) parts.push(`-${people(c.lost)}`);
    if (c.emailsChangedBack > 0) parts.push(plural(c.emailsChangedBack, "email changed back", "emails changed back"));
    if (c.groupChanges > 0) parts.push(plural(c.groupChanges, "group change", "group changes"));
    if (c.groupsCreated > 0) parts.push(plural(c.groupsCreated, "new group", "new groups"));
    if (c.groupsDeleted > 0) parts.push(plural(c.groupsDeleted, "group deleted", "groups deleted"));
    if (c.groupsRenamed > 0) parts.push(plural(c.groupsRenamed, "group renamed", "groups renamed"));
    let line = parts.length > 0 ? parts.join(", ") : "no change in access";
    if (o.failed) line = `the preview failed; ${parts.length > 0 ? `so far ${line}` : "nothing to show"}`;
    else if (review.guard.refused) line += "; up would be refused by the deletion guard";
    else if (o.incomplete) line += "; some steps are not shown: read the notes";
    return line;
}
