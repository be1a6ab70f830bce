import type { AccessReview, AccountChange, GroupChange, GuardCount, Membership, PersonRow } from "./model";

/**
 * The review as Markdown, for people who approve access without reading a
 * Pulumi diff: a title that is the summary (a notification shows it), one
 * table row per person, then groups, hand changes, the deletion guard.
 *
 * Every value (an email, a group name, a resource name) comes from the pull
 * request, so it is escaped: it cannot close a table cell, open HTML, or
 * mention a GitHub user or team.
 */

/**
 * Escapes a value for a Markdown table cell or list item, and leaves a plain
 * email readable (a terminal shows the demo's report as it is): what could
 * format, link, close a cell or mention someone is escaped, an `_` or `@`
 * inside a word is not (GitHub formats and mentions neither there).
 */
export function esc(value: string): string {
    return value
        .replace(/[\r\n]+/g, " ")
        .replace(/[\\`*[\]|~]/g, (c) => `\\${c}`)
        .replace(/_/g, (c, at: number, all: string) => (/[A-Za-z0-9]/.test(all[at - 1] ?? "") && /[A-Za-z0-9]/.test(all[at + 1] ?? "") ? c : "\\_"))
        .replace(/#(?=\d)/g, "\\#")
        .replace(/&(?=#?\w+;)/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/@/g, (c, at: number, all: string) => (/[A-Za-z0-9]/.test(all[at - 1] ?? "") ? c : "&#64;"));
}

const withWhy = (text: string, why?: string) => (why ? `${text}: ${why}` : text);

function accountText(a: AccountChange): string {
    switch (a.kind) {
        case "created":
            return withWhy(a.active === false ? "new account, deactivated" : "new account", a.why);
        case "emailChangedBack":
            return `email changed back from ${a.from ?? "?"}${a.why ? ` (${a.why})` : ""}`;
        case "leavesUnchanged":
            return withWhy("no change", a.why);
        default:
            return withWhy(a.kind, a.why);
    }
}

const membershipText = (m: Membership) => (m.why ? `${m.group} (${m.why})` : m.group);

function personRow(p: PersonRow): string {
    const cells = [p.email, p.account.map(accountText).join("; "), p.joins.map(membershipText).join(", "), p.leaves.map(membershipText).join(", ")];
    return `| ${cells.map(esc).join(" | ")} |`;
}

function groupText(g: GroupChange): string {
    switch (g.kind) {
        case "created":
        case "recreated": {
            const what = g.kind === "created" ? "created" : "created again";
            const pending = g.pending ? ` and ${g.pending} more known only at apply` : "";
            const members = g.members === undefined ? "" : ` with ${g.members} member${g.members === 1 ? "" : "s"}${pending}`;
            return withWhy(`${what}${members}`, g.why);
        }
        case "deleted":
            return `deleted: ${g.members === 1 ? "1 member loses" : `${g.members ?? 0} members lose`} the access it gave them`;
        case "renamed":
            return withWhy(`renamed from '${g.from ?? "?"}'`, g.why);
        case "leavesUnchanged":
            return withWhy("leaves the program, no change in InVision", g.why);
        case "membersNotKnown":
            return g.why ?? "some members are known only at apply";
    }
}

function guardLine(what: string, g: GuardCount): string {
    const more = g.more ? ", and more: members known only at apply may be removed" : "";
    const source = g.configured ? `stack config ${g.setting}` : `the default; stack config ${g.setting} sets it`;
    return `- ${what}: **${g.count}**${more} (at most ${g.limit} per run: ${source})`;
}

export function renderMarkdown(r: AccessReview): string {
    const out: string[] = [`### InVision access review: ${esc(r.summary)}`, ""];
    if (r.people.length > 0) {
        out.push("| Person | Account | Joins | Leaves |", "| --- | --- | --- | --- |", ...r.people.map(personRow), "");
    } else {
        out.push("No change in access: nobody gains or loses an account or a group.", "");
    }
    if (r.mayAdopt.users) out.push("A new account is created, or, where InVision already has an account with that email, that account is adopted (and reactivated if it is deactivated).", "");
    if (r.groups.length > 0) {
        out.push("#### Groups", "", "| Group | Change |", "| --- | --- |", ...[...r.groups].sort((a, b) => a.group.localeCompare(b.group)).map((g) => `| ${esc(g.group)} | ${esc(groupText(g))} |`), "");
        if (r.mayAdopt.groups) out.push("A new group is created, or, where InVision already has a group of that name, that group is adopted: its declared members are added and the others kept (the next preview names them).", "");
    }
    if (r.handChanges.length > 0) {
        out.push("#### Changed outside the program", "", "Recorded in state by the last refresh or `up`; what the next `up` does with each:", "");
        for (const h of r.handChanges) out.push(`- **${esc(h.subject)}**: ${esc(h.what)}. Next \`up\`: ${esc(h.next)}.`);
        out.push("");
    }
    out.push("#### Deletion guard", "");
    out.push(guardLine("Accounts deactivated or deleted", r.guard.deactivations), guardLine("Group memberships removed", r.guard.membershipRemovals));
    if (r.guard.problem) out.push(`- The bounds could not be read: ${esc(r.guard.problem)}`);
    if (r.guard.refused) {
        const over = [r.guard.deactivations, r.guard.membershipRemovals].filter((g) => g.count > g.limit);
        out.push(
            "",
            `**\`up\` would be refused by the deletion guard**: ${over.map((g) => `${g.count} where a run may make at most ${g.limit}`).join("; ")}. ` +
                `If this is intended, raise the bound for that run (${over.map((g) => `\`pulumi config set ${g.setting} ${g.count}\``).join(", ")}) and lower it again afterwards.`,
        );
    }
    out.push("", "Counted from state as the last run recorded it. A change made in InVision since then is not known to a preview: `up` leaves it alone, and the drift check reports it.");
    if (r.notes.length > 0) out.push("", "#### Notes", "", ...r.notes.map((n) => `- ${esc(n)}`));
    return `${out.join("\n")}\n`;
}
