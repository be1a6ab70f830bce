import type { Declaration } from "./declaration";
import { mentionsEmail, mentionsGroup, PreviewText } from "./preview-text";
import type { Tenant } from "./tenant";

/**
 * What `up` left different between the tenant and the declaration, for the
 * resources the oracle checks (those the pull request changed, and all of
 * them after `up --refresh`): each must be named at `up` and by the next
 * preview.
 */
export interface Leftover {
    what: string;
    /** Emails and group names the naming must mention, and the words it must use. */
    emails: string[];
    groups: string[];
    words: RegExp;
}

export interface Ids {
    users: ReadonlyMap<string, string>;
    groups: ReadonlyMap<string, string>;
}

export function leftovers(decl: Declaration, tenant: Tenant, ids: Ids, checked: { users: ReadonlySet<string>; groups: ReadonlySet<string> }): Leftover[] {
    const out: Leftover[] = [];
    const byId = new Map(tenant.users.map((u) => [u.id, u]));
    const byEmail = new Map(tenant.users.map((u) => [u.userName.toLowerCase(), u]));
    for (const d of decl.users) {
        if (!checked.users.has(d.name)) continue;
        const id = ids.users.get(d.name);
        const u = id === undefined ? undefined : byId.get(id);
        if (!u) {
            out.push({ what: `${d.userName} has no account`, emails: [d.userName], groups: [], words: /no longer exists|new account|creat/ });
            continue;
        }
        const emails = [d.userName, u.userName];
        if ((d.active ?? true) && !u.active) out.push({ what: `${d.userName} is deactivated`, emails, groups: [], words: /reactivat|deactivated/ });
        if (d.active === false && u.active) out.push({ what: `${d.userName} is active`, emails, groups: [], words: /deactivat|reactivated|\bactive\b/ });
        if (u.userName.toLowerCase() !== d.userName.toLowerCase()) out.push({ what: `${d.userName} is ${u.userName} in InVision`, emails, groups: [], words: new RegExp(u.userName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i") });
        if (d.givenName !== undefined && u.givenName !== d.givenName) out.push({ what: `${d.userName}'s givenName is '${u.givenName ?? ""}'`, emails, groups: [], words: /givenName/ });
    }
    const groupsById = new Map(tenant.groups.map((g) => [g.id, g]));
    for (const g of decl.groups) {
        if (!checked.groups.has(g.key)) continue;
        const id = ids.groups.get(g.key);
        const live = id === undefined ? undefined : groupsById.get(id);
        if (!live) {
            out.push({ what: `group '${g.displayName}' is gone`, emails: [], groups: [g.displayName], words: /no longer exists|created again/ });
            continue;
        }
        const names = [g.displayName, live.displayName];
        if (live.displayName !== g.displayName) out.push({ what: `group '${g.displayName}' is named '${live.displayName}'`, emails: [], groups: names, words: /renam|named/ });
        const declaredIds = new Set<string>();
        for (const ref of g.members) {
            const user = decl.users.find((u) => u.name === ref);
            const memberId = user ? ids.users.get(user.name) : byEmail.get(ref.toLowerCase())?.id;
            const email = user?.userName ?? ref;
            if (memberId === undefined || !byId.has(memberId)) continue; // no account: said of the user, not the group
            declaredIds.add(memberId);
            if (!live.members.includes(memberId)) out.push({ what: `${email} is not in '${g.displayName}'`, emails: [email, byId.get(memberId)!.userName], groups: names, words: /add|not in the group|removed/ });
        }
        if (g.membershipMode !== "additive") {
            for (const m of live.members) {
                if (declaredIds.has(m)) continue;
                const email = byId.get(m)?.userName ?? m;
                out.push({ what: `${email} is in '${g.displayName}' undeclared`, emails: [email], groups: names, words: /remov|not declare|kept|added/ });
            }
        }
    }
    return out;
}

/** Whether a text (a preview, or what `up` said) names a leftover. */
export function namesLeftover(l: Leftover, p: PreviewText): boolean {
    return p.messages.some(
        (m) => l.words.test(m) && (l.emails.length === 0 || l.emails.some((e) => mentionsEmail(m, e))) && (l.groups.length === 0 || l.groups.some((g) => mentionsGroup(m, g))),
    );
}

/**
 * What the preview promised about resources the pull request removed, that
 * InVision does not show after a successful `up`: a person who left the
 * program still active (unless another resource now declares the same email:
 * a hand-over), a group that left the program still giving access.
 */
export function brokenPromises(d0: Declaration, d1: Declaration, after: Tenant, idsBefore: Ids): string[] {
    const out: string[] = [];
    const byId = new Map(after.users.map((u) => [u.id, u]));
    const stillDeclared = new Set(d1.users.map((u) => u.userName.toLowerCase()));
    for (const u of d0.users) {
        if (d1.users.some((x) => x.name === u.name)) continue;
        const id = idsBefore.users.get(u.name);
        const live = id === undefined ? undefined : byId.get(id);
        if (live?.active && !stillDeclared.has(live.userName.toLowerCase()) && !stillDeclared.has(u.userName.toLowerCase())) out.push(`${u.userName} left the program but is still active`);
    }
    const groups = new Map(after.groups.map((g) => [g.id, g]));
    for (const g of d0.groups) {
        if (d1.groups.some((x) => x.key === g.key)) continue;
        const id = idsBefore.groups.get(g.key);
        const live = id === undefined ? undefined : groups.get(id);
        if (live && live.members.length > 0 && !d1.groups.some((x) => x.displayName === live.displayName)) out.push(`group '${g.displayName}' left the program but still has ${live.members.length} member(s)`);
    }
    return out;
}
