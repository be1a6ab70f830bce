import type { AccessReview, PersonRow } from "../../../provider/review/model";
import type { Names } from "./oracle";
import { Change, describeChange, Tenant } from "./tenant";

/**
 * The access review's oracle (issue 23), beside the preview's: the review of
 * the pull request's preview (`pulumi preview --json --show-sames`, read by
 * `pulumi-invision access-review`) must list every change of access `up`
 * then made in the tenant, and every row it lists must be true after `up`.
 *
 * What the review cannot know, precisely: it reads state and the declaration
 * and nothing else, so a change made by hand in InVision since state was last
 * written (the model makes some before each pull request) is unknown to it.
 * `up` is bounded by the same plan, so it never acts on such a change either,
 * and every change `up` makes is still one the review planned. But a row may
 * already be true before `up` (a member the pull request adds whom someone
 * added by hand, a person it removes whom someone deactivated), in which case
 * `up` sends nothing for it: a row is checked against the tenant after `up`
 * (true whether `up` did it or it was so before, since nothing else changes
 * the tenant meanwhile), and only when `up` succeeded (a failed `up`, e.g. on
 * a person deleted by hand, stops part-way, and its rows are promises it
 * could not keep). Nor is a row about a person who is not in the tenant
 * before `up` (deleted by hand since state was written: `up` finds her gone,
 * records it, and sends nothing for her), unless the row makes her a new
 * account. A row that promises nothing (a person leaving with no change, a
 * member list known only at apply) is not checked.
 *
 * People and groups are matched by the names each SCIM id really had: its
 * emails or names in the tenant before and after `up`, and those state
 * recorded for it (the program's email of a person renamed by hand).
 */

const lower = (s: string) => s.toLowerCase();

/** Names each id had in the tenant (before, after) and in state (before, after), and nothing else. */
export function exactNames(before: Tenant, after: Tenant, recorded: readonly Map<string, string[]>[]): Names {
    const emails = new Map<string, Set<string>>();
    const groups = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, id: string, v: string) => (m.get(id) ?? m.set(id, new Set()).get(id)!).add(v);
    for (const t of [before, after]) {
        for (const u of t.users) add(emails, u.id, u.userName);
        for (const g of t.groups) add(groups, g.id, g.displayName);
    }
    for (const r of recorded) {
        for (const [key, names] of r) {
            const [kind, id] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
            for (const n of names) add(kind === "user" ? emails : groups, id, n);
        }
    }
    return { emails: (id) => [...(emails.get(id) ?? [])], groupNames: (id) => [...(groups.get(id) ?? [])] };
}

const rowsOf = (r: AccessReview, n: Names, user: string): PersonRow[] => {
    const names = new Set(n.emails(user).map(lower));
    return r.people.filter((p) => names.has(lower(p.email)));
};
const hasAccount = (rows: PersonRow[], ...kinds: string[]) => rows.some((p) => p.account.some((a) => kinds.includes(a.kind)));

/** Whether the review lists this change of the tenant. A name edit is not a change of access: not asked of the review. */
export function reviewed(c: Change, r: AccessReview, n: Names): boolean {
    switch (c.kind) {
        case "givenName":
            return true;
        case "userCreated":
            return hasAccount(rowsOf(r, n, c.user), "created");
        case "reactivated":
            // A new resource adopting a deactivated account reactivates it.
            return hasAccount(rowsOf(r, n, c.user), "reactivated", "created");
        case "deactivated": {
            const rows = rowsOf(r, n, c.user);
            // A person leaving whom state records as deactivated (reactivated by hand since): the row names her leaving.
            return hasAccount(rows, "deactivated", "leavesUnchanged") || rows.some((p) => p.account.some((a) => a.kind === "created" && a.active === false));
        }
        case "userDeleted":
            return hasAccount(rowsOf(r, n, c.user), "deleted");
        case "emailChanged":
            return hasAccount(rowsOf(r, n, c.user), "emailChangedBack");
        case "groupCreated":
            return r.groups.some((g) => (g.kind === "created" || g.kind === "recreated") && n.groupNames(c.group).includes(g.group));
        case "groupDeleted":
            return r.groups.some((g) => g.kind === "deleted" && n.groupNames(c.group).includes(g.group));
        case "groupRenamed":
            return r.groups.some((g) => g.kind === "renamed" && g.group === c.to);
        case "memberAdded":
        case "memberRemoved": {
            const groups = new Set(n.groupNames(c.group));
            return rowsOf(r, n, c.user).some((p) => (c.kind === "memberAdded" ? p.joins : p.leaves).some((m) => groups.has(m.group)));
        }
    }
}

/** The changes `up` made that the review did not list, in words. */
export function unreviewed(changes: readonly Change[], r: AccessReview, n: Names): string[] {
    const first = (xs: string[]) => xs[0] ?? "?";
    return changes.filter((c) => !reviewed(c, r, n)).map((c) => describeChange(c, (id) => first(n.emails(id)), (id) => first(n.groupNames(id))));
}

/** The rows of the review that are not true after `up`, in words. */
export function unfounded(r: AccessReview, before: Tenant, after: Tenant, n: Names): string[] {
    const named = (t: Tenant, email: string) => t.users.filter((u) => n.emails(u.id).some((e) => lower(e) === lower(email)));
    const users = (email: string) => named(after, email);
    const ids = (email: string) => new Set(users(email).map((u) => u.id));
    const groups = (name: string) => after.groups.filter((g) => n.groupNames(g.id).includes(name));
    const out: string[] = [];
    for (const p of r.people) {
        if (named(before, p.email).length === 0 && !p.account.some((a) => a.kind === "created")) continue;
        for (const a of p.account) {
            const now = users(p.email);
            const ok =
                a.kind === "created"
                    ? now.some((u) => u.active === (a.active !== false))
                    : a.kind === "reactivated"
                      ? now.some((u) => u.active)
                      : a.kind === "deactivated"
                        ? now.length === 0 || now.some((u) => !u.active)
                        : a.kind === "deleted"
                          ? now.length === 0
                          : a.kind === "emailChangedBack"
                            ? after.users.some((u) => lower(u.userName) === lower(p.email))
                            : true;
            if (!ok) out.push(`${p.email}: ${a.kind}${a.why ? ` (${a.why})` : ""}`);
        }
        const mine = ids(p.email);
        for (const j of p.joins) if (!groups(j.group).some((g) => g.members.some((m) => mine.has(m)))) out.push(`${p.email} joins ${j.group}`);
        for (const l of p.leaves) if (groups(l.group).some((g) => g.members.some((m) => mine.has(m)))) out.push(`${p.email} leaves ${l.group}`);
    }
    for (const g of r.groups) {
        const now = groups(g.group);
        const ok =
            g.kind === "created" || g.kind === "recreated" || g.kind === "renamed"
                ? after.groups.some((x) => x.displayName === g.group)
                : g.kind === "deleted"
                  ? now.every((x) => x.members.length === 0)
                  : true;
        if (!ok) out.push(`group ${g.group}: ${g.kind}`);
    }
    return out;
}
