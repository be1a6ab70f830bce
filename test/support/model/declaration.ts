import type { Random } from "./random";

/**
 * What a program declares, in the model-based test: users and groups by
 * resource name, the same for the TypeScript program (spec.json) and its
 * YAML twin. Members name declared users by resource name, or people the
 * program does not declare by email.
 */
export interface DeclUser {
    name: string;
    userName: string;
    givenName?: string;
    active?: boolean;
}
export interface DeclGroup {
    key: string;
    displayName: string;
    members: string[];
    membershipMode?: "additive";
}
export interface Declaration {
    users: DeclUser[];
    groups: DeclGroup[];
    /**
     * Emails the program once declared and let go (deactivated). Never
     * declared again: on a server that hides deactivated users (the strict
     * profile), a new resource cannot find their account, and says so
     * (tested in test/integration/dialects.test.ts), which would stop every
     * later case.
     */
    departed?: string[];
}

/** People of the tenant: p0..p9@example.com. Outsiders exist in InVision and are never declared as users. */
export const PEOPLE = Array.from({ length: 10 }, (_, i) => `p${i}@example.com`);
export const OUTSIDERS = PEOPLE.slice(7);

export function baseDeclaration(): Declaration {
    return {
        users: PEOPLE.slice(0, 5).map((email, i) => ({ name: `u${i}`, userName: email, givenName: `P${i}` })),
        groups: [
            { key: "design", displayName: "Design", members: ["u0", "u1"] },
            { key: "research", displayName: "Research", members: ["u2", "u3", OUTSIDERS[0]] },
            { key: "ops", displayName: "Ops", members: ["u4"], membershipMode: "additive" },
        ],
    };
}

/** The email a member reference names. */
export function memberEmail(d: Declaration, ref: string): string {
    return d.users.find((u) => u.name === ref)?.userName ?? ref;
}

const clone = (d: Declaration): Declaration => JSON.parse(JSON.stringify(d));

/** A random pull request: one to three edits of the declaration, with what each does in words (for the log). */
export function pullRequest(d0: Declaration, r: Random): { next: Declaration; edits: string[] } {
    const d = clone(d0);
    const edits: string[] = [];
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
        const kind = r.pick(["addUser", "removeUser", "toggleActive", "givenName", "addMember", "removeMember", "renameGroup", "addGroup", "removeGroup", "changeEmail"] as const);
        const departed = new Set(d.departed ?? []);
        const undeclared = PEOPLE.filter((e) => !OUTSIDERS.includes(e) && !departed.has(e) && !d.users.some((u) => u.userName.toLowerCase() === e));
        switch (kind) {
            case "addUser": {
                const email = undeclared.length > 0 && r.chance(0.7) ? r.pick(undeclared) : `new${r.int(1000)}@example.com`;
                if (d.users.some((u) => u.userName === email) || departed.has(email)) break;
                const name = `u${email.split("@")[0]}`;
                if (d.users.some((u) => u.name === name)) break;
                d.users.push({ name, userName: email, givenName: `N${r.int(100)}` });
                edits.push(`declare ${email}`);
                break;
            }
            case "removeUser": {
                if (d.users.length <= 2) break;
                const u = r.pick(d.users);
                d.users = d.users.filter((x) => x !== u);
                d.departed = [...(d.departed ?? []), u.userName.toLowerCase()];
                for (const g of d.groups) g.members = g.members.filter((m) => m !== u.name);
                edits.push(`remove ${u.userName} from the program`);
                break;
            }
            case "toggleActive": {
                const u = r.pick(d.users);
                u.active = u.active === false ? true : false;
                edits.push(`${u.userName} active: ${u.active}`);
                break;
            }
            case "givenName": {
                const u = r.pick(d.users);
                u.givenName = `G${r.int(1000)}`;
                edits.push(`${u.userName} givenName ${u.givenName}`);
                break;
            }
            case "addMember": {
                if (d.groups.length === 0) break;
                const g = r.pick(d.groups);
                const candidates = [...d.users.map((u) => u.name), ...OUTSIDERS].filter((m) => !g.members.includes(m));
                if (candidates.length === 0) break;
                const m = r.pick(candidates);
                g.members.push(m);
                edits.push(`add ${memberEmail(d, m)} to ${g.displayName}`);
                break;
            }
            case "removeMember": {
                const withMembers = d.groups.filter((g) => g.members.length > 0);
                if (withMembers.length === 0) break;
                const g = r.pick(withMembers);
                const m = r.pick(g.members);
                g.members = g.members.filter((x) => x !== m);
                edits.push(`remove ${memberEmail(d, m)} from ${g.displayName}`);
                break;
            }
            case "renameGroup": {
                if (d.groups.length === 0) break;
                const g = r.pick(d.groups);
                g.displayName = `${g.displayName.split(" v")[0]} v${r.int(100)}`;
                edits.push(`rename group ${g.key} to ${g.displayName}`);
                break;
            }
            case "addGroup": {
                const key = `g${r.int(1000)}`;
                if (d.groups.some((g) => g.key === key)) break;
                const members = d.users.filter(() => r.chance(0.4)).map((u) => u.name);
                d.groups.push({ key, displayName: `Team ${key}`, members });
                edits.push(`add group Team ${key} with ${members.length} member(s)`);
                break;
            }
            case "removeGroup": {
                if (d.groups.length <= 1) break;
                const g = r.pick(d.groups);
                d.groups = d.groups.filter((x) => x !== g);
                edits.push(`remove group ${g.displayName}`);
                break;
            }
            case "changeEmail": {
                const u = r.pick(d.users);
                const next = `${u.userName.split("@")[0]}.x${r.int(100)}@example.com`;
                if (departed.has(next)) break;
                d.departed = [...(d.departed ?? []), u.userName.toLowerCase()];
                u.userName = next;
                edits.push(`${u.name} takes the email ${next} (a new account)`);
                break;
            }
        }
    }
    return { next: d, edits };
}
