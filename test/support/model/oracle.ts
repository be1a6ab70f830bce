import { Block, mentionsEmail, mentionsGroup, PreviewText } from "./preview-text";
import { Change, describeChange } from "./tenant";

/**
 * The model-based test's oracle: every change `up` made in the tenant was
 * named by the pull request's preview (its diff lines or the provider's
 * lines), and every difference `up` left is named by the next preview.
 *
 * Names: a person goes by every email she had (before and after, and the one
 * the program gives her); a group by every name it had and the one the
 * program gives it, and by its SCIM id in the engine's blocks.
 */
export interface Names {
    emails(userId: string): string[];
    groupNames(groupId: string): string[];
}

const CREATES = new Set(["create", "replace", "create-replacement"]);

function userBlocks(p: PreviewText, emails: string[], id: string | undefined, ops?: Set<string>): Block[] {
    return p.blocks.filter((b) => b.kind === "User" && (!ops || ops.has(b.op)) && ((id !== undefined && b.id === id) || emails.some((e) => b.lines.some((l) => mentionsEmail(l, e)))));
}

function groupBlocks(p: PreviewText, names: string[], id: string, ops?: Set<string>): Block[] {
    return p.blocks.filter((b) => b.kind === "Group" && (!ops || ops.has(b.op)) && (b.id === id || names.some((n) => b.lines.some((l) => mentionsGroup(l, n)))));
}

const saysAbout = (p: PreviewText, emails: string[], pattern: RegExp) => p.messages.some((m) => pattern.test(m) && emails.some((e) => mentionsEmail(m, e)));
const saysAboutGroup = (p: PreviewText, names: string[], pattern: RegExp) => p.messages.some((m) => pattern.test(m) && names.some((n) => mentionsGroup(m, n)));

/** Whether the preview named this change. */
export function named(c: Change, p: PreviewText, n: Names): boolean {
    switch (c.kind) {
        case "userCreated": {
            const emails = n.emails(c.user);
            return userBlocks(p, emails, undefined, CREATES).length > 0 || saysAbout(p, emails, /creat|new account/);
        }
        case "deactivated": {
            const emails = n.emails(c.user);
            return (
                userBlocks(p, emails, c.user, new Set(["delete", "replace", "delete-replaced"])).length > 0 ||
                userBlocks(p, emails, c.user, new Set(["update"])).some((b) => b.lines.some((l) => /active\s*:\s*true\s*=>\s*false/.test(l))) ||
                saysAbout(p, emails, /deactivat/)
            );
        }
        case "reactivated": {
            const emails = n.emails(c.user);
            return (
                userBlocks(p, emails, undefined, CREATES).length > 0 ||
                userBlocks(p, emails, c.user, new Set(["update"])).some((b) => b.lines.some((l) => /active\s*:\s*false\s*=>\s*true/.test(l))) ||
                saysAbout(p, emails, /reactivat|adopted/)
            );
        }
        case "emailChanged":
            return p.messages.some((m) => mentionsEmail(m, c.from) && mentionsEmail(m, c.to)) || userBlocks(p, [c.from, c.to], c.user, new Set(["update"])).some((b) => b.lines.some((l) => /userName\s*:.*=>/.test(l)));
        case "givenName": {
            const emails = n.emails(c.user);
            return userBlocks(p, emails, c.user).some((b) => CREATES.has(b.op) || b.lines.some((l) => /givenName\s*:.*=>/.test(l))) || saysAbout(p, emails, /givenName/);
        }
        case "userDeleted": {
            const emails = n.emails(c.user);
            return userBlocks(p, emails, c.user, new Set(["delete", "replace", "delete-replaced"])).length > 0 || saysAbout(p, emails, /delet/);
        }
        case "groupCreated": {
            const names = n.groupNames(c.group);
            return groupBlocks(p, names, c.group, CREATES).length > 0 || saysAboutGroup(p, names, /created again/);
        }
        case "groupDeleted": {
            const names = n.groupNames(c.group);
            return groupBlocks(p, names, c.group, new Set(["delete", "replace", "delete-replaced"])).length > 0 || saysAboutGroup(p, names, /deleted/);
        }
        case "groupRenamed": {
            const names = n.groupNames(c.group);
            // Renamed to the name the preview said, from whatever InVision called it by then (a hand rename since is not the plan's doing).
            return (
                p.messages.some((m) => new RegExp(`renamed to '${c.to.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'`).test(m) && names.some((g) => mentionsGroup(m, g))) ||
                groupBlocks(p, names, c.group).some((b) => CREATES.has(b.op) || b.lines.some((l) => /displayName\s*:.*=>/.test(l)))
            );
        }
        case "memberAdded":
        case "memberRemoved": {
            const names = n.groupNames(c.group);
            const emails = n.emails(c.user);
            const sign = c.kind === "memberAdded" ? "\\+" : "-";
            const line = (l: string) => emails.some((e) => new RegExp(`^\\s*${sign}\\s+`).test(l) && mentionsEmail(l, e));
            const inBlock = groupBlocks(p, names, c.group).some((b) =>
                b.op === "update" ? b.lines.some(line) : (c.kind === "memberAdded" ? CREATES.has(b.op) : b.op === "delete") && b.lines.some((l) => emails.some((e) => mentionsEmail(l, e))),
            );
            const verb = c.kind === "memberAdded" ? /will add|created again|created with/ : /will remove|will be deleted|lose the access/;
            const inWords = p.messages.some((m) => verb.test(m) && names.some((g) => mentionsGroup(m, g)) && emails.some((e) => mentionsEmail(m, e)));
            // A group deleted with everyone in it: the deletion names the loss.
            const groupGone = c.kind === "memberRemoved" && groupBlocks(p, names, c.group, new Set(["delete"])).length > 0;
            return inBlock || inWords || groupGone;
        }
    }
}

/** The changes the preview did not name, in words, for a failure message. */
export function unnamed(changes: readonly Change[], p: PreviewText, n: Names): string[] {
    const first = (xs: string[]) => xs[0] ?? "?";
    return changes.filter((c) => !named(c, p, n)).map((c) => describeChange(c, (id) => first(n.emails(id)), (id) => first(n.groupNames(id))));
}
