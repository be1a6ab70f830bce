/**
 * A tenant as the model-based test sees it: users and groups by SCIM id. And
 * what changed between two snapshots, each change with every name it can be
 * known by (a person's emails before and after, a group's names), so an
 * oracle can look for it in what a preview said.
 */
export interface TenantUser {
    id: string;
    userName: string;
    active: boolean;
    givenName?: string;
}
export interface TenantGroup {
    id: string;
    displayName: string;
    members: string[];
}
export interface Tenant {
    users: TenantUser[];
    groups: TenantGroup[];
}

/** A change, by SCIM id (`user`, `group`); the oracle knows every name an id goes by. */
export type Change =
    | { kind: "userCreated" | "userDeleted" | "deactivated" | "reactivated" | "givenName"; user: string }
    | { kind: "emailChanged"; user: string; from: string; to: string }
    | { kind: "groupCreated" | "groupDeleted"; group: string }
    | { kind: "groupRenamed"; group: string; from: string; to: string }
    | { kind: "memberAdded" | "memberRemoved"; group: string; user: string };

export function describeChange(c: Change, userName: (id: string) => string, groupName: (id: string) => string): string {
    switch (c.kind) {
        case "emailChanged":
            return `email of ${c.from} changed to ${c.to}`;
        case "groupRenamed":
            return `group '${c.from}' renamed to '${c.to}'`;
        case "memberAdded":
            return `${userName(c.user)} added to '${groupName(c.group)}'`;
        case "memberRemoved":
            return `${userName(c.user)} removed from '${groupName(c.group)}'`;
        case "groupCreated":
        case "groupDeleted":
            return `${c.kind} '${groupName(c.group)}'`;
        default:
            return `${c.kind} ${userName(c.user)}`;
    }
}

export function tenantChanges(before: Tenant, after: Tenant): Change[] {
    const out: Change[] = [];
    const b = new Map(before.users.map((u) => [u.id, u]));
    const a = new Map(after.users.map((u) => [u.id, u]));
    for (const u of after.users) {
        const old = b.get(u.id);
        if (!old) {
            out.push({ kind: "userCreated", user: u.id });
            continue;
        }
        if (old.active && !u.active) out.push({ kind: "deactivated", user: u.id });
        if (!old.active && u.active) out.push({ kind: "reactivated", user: u.id });
        if (old.userName.toLowerCase() !== u.userName.toLowerCase()) out.push({ kind: "emailChanged", user: u.id, from: old.userName, to: u.userName });
        if ((old.givenName ?? "") !== (u.givenName ?? "")) out.push({ kind: "givenName", user: u.id });
    }
    for (const u of before.users) if (!a.has(u.id)) out.push({ kind: "userDeleted", user: u.id });

    const bg = new Map(before.groups.map((g) => [g.id, g]));
    const ag = new Map(after.groups.map((g) => [g.id, g]));
    for (const g of after.groups) {
        const old = bg.get(g.id);
        if (!old) {
            out.push({ kind: "groupCreated", group: g.id });
            for (const m of g.members) out.push({ kind: "memberAdded", group: g.id, user: m });
            continue;
        }
        if (old.displayName !== g.displayName) out.push({ kind: "groupRenamed", group: g.id, from: old.displayName, to: g.displayName });
        const was = new Set(old.members);
        const now = new Set(g.members);
        for (const m of g.members) if (!was.has(m)) out.push({ kind: "memberAdded", group: g.id, user: m });
        // A member whose account was deleted leaves every group with it: the deletion is the change.
        for (const m of old.members) if (!now.has(m) && a.has(m)) out.push({ kind: "memberRemoved", group: g.id, user: m });
    }
    for (const g of before.groups) if (!ag.has(g.id)) out.push({ kind: "groupDeleted", group: g.id });
    return out;
}
