import { randomUUID } from "node:crypto";
import { filter as scimFilter, parse as parseFilter, Filter } from "scim2-parse-filter";
import { patchBodyValidation, scimPatch, ScimPatchOperation } from "scim-patch";

/**
 * The emulator's data: InVision users and groups in memory, with SCIM
 * semantics from SCIM libraries (filters: scim2-parse-filter; PATCH:
 * scim-patch). Written independently of the provider's client on purpose:
 * nothing is shared across the wire, so a misreading of SCIM in one side is
 * caught by the other.
 */

export interface EmuUser {
    schemas: string[];
    id: string;
    userName: string;
    name?: { givenName?: string; familyName?: string };
    displayName?: string;
    emails?: { value: string; primary?: boolean; type?: string }[];
    active: boolean;
    externalId?: string;
    meta: { resourceType: "User"; created: string; lastModified: string; location?: string };
    [k: string]: unknown;
}

export interface EmuGroup {
    schemas: string[];
    id: string;
    displayName: string;
    members: { value: string; display?: string }[];
    externalId?: string;
    meta: { resourceType: "Group"; created: string; lastModified: string; location?: string };
    [k: string]: unknown;
}

export class ScimProblem extends Error {
    constructor(
        readonly status: number,
        readonly scimType: string | undefined,
        detail: string,
    ) {
        super(detail);
    }
}

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const now = () => new Date().toISOString();

export interface StoreRules {
    uniqueGroupNames: boolean;
    ignoreActive: boolean;
}

export class Store {
    constructor(private readonly rules: () => StoreRules = () => ({ uniqueGroupNames: true, ignoreActive: false })) {}

    readonly users = new Map<string, EmuUser>();
    readonly groups = new Map<string, EmuGroup>();

    // ---- users ----

    createUser(body: Record<string, unknown>): EmuUser {
        const userName = typeof body.userName === "string" ? body.userName.trim() : "";
        if (!userName) throw new ScimProblem(400, "invalidValue", "userName is required");
        if (this.userByName(userName)) throw new ScimProblem(409, "uniqueness", `User with userName ${userName} already exists`);
        const t = now();
        const user: EmuUser = {
            ...pick(body, ["name", "displayName", "emails", "externalId"]),
            schemas: [USER_SCHEMA],
            id: randomUUID(),
            userName,
            active: body.active === undefined ? true : body.active === true || body.active === "true",
            meta: { resourceType: "User", created: t, lastModified: t },
        };
        this.users.set(user.id, user);
        return user;
    }

    userByName(userName: string): EmuUser | undefined {
        const key = userName.toLowerCase();
        return [...this.users.values()].find((u) => u.userName.toLowerCase() === key);
    }

    getUser(id: string): EmuUser {
        const u = this.users.get(id);
        if (!u) throw new ScimProblem(404, undefined, `User ${id} not found`);
        return u;
    }

    /** PATCH; with `keepProfile` (InVision V7) email and name edits are accepted and dropped. */
    patchUser(id: string, body: unknown, keepProfile: boolean): EmuUser {
        const user = this.getUser(id);
        const patched = applyPatch(user, body) as EmuUser;
        return this.replaceUserWith(user, patched, keepProfile);
    }

    putUser(id: string, body: Record<string, unknown>, keepProfile: boolean): EmuUser {
        const user = this.getUser(id);
        const next = { ...pick(body, ["userName", "name", "displayName", "emails", "externalId", "active"]) } as Partial<EmuUser>;
        return this.replaceUserWith(user, { ...user, name: undefined, displayName: undefined, externalId: undefined, ...next } as EmuUser, keepProfile);
    }

    private replaceUserWith(user: EmuUser, next: EmuUser, keepProfile: boolean): EmuUser {
        if (this.rules().ignoreActive) next.active = user.active;
        if (keepProfile) {
            next.userName = user.userName;
            next.name = user.name;
            next.displayName = user.displayName;
            next.emails = user.emails;
        }
        if (typeof next.active === "string") next.active = next.active === "true";
        if (next.userName.toLowerCase() !== user.userName.toLowerCase() && this.userByName(next.userName)) {
            throw new ScimProblem(409, "uniqueness", `User with userName ${next.userName} already exists`);
        }
        next.id = user.id;
        next.meta = { ...user.meta, lastModified: now() };
        this.users.set(user.id, next);
        return next;
    }

    deleteUser(id: string): void {
        this.getUser(id);
        this.users.delete(id);
        for (const g of this.groups.values()) g.members = g.members.filter((m) => m.value !== id);
    }

    // ---- groups ----

    createGroup(body: Record<string, unknown>): EmuGroup {
        const displayName = typeof body.displayName === "string" ? body.displayName.trim() : "";
        if (!displayName) throw new ScimProblem(400, "invalidValue", "displayName is required");
        if (this.rules().uniqueGroupNames && this.groupByName(displayName)) throw new ScimProblem(409, "uniqueness", `Group ${displayName} already exists`);
        const t = now();
        const group: EmuGroup = {
            schemas: [GROUP_SCHEMA],
            id: randomUUID(),
            displayName,
            members: this.checkMembers(body.members),
            meta: { resourceType: "Group", created: t, lastModified: t },
        };
        if (typeof body.externalId === "string") group.externalId = body.externalId;
        this.groups.set(group.id, group);
        return group;
    }

    /** RFC 7643 marks a group's displayName caseExact=false. */
    groupByName(displayName: string): EmuGroup | undefined {
        const key = displayName.toLowerCase();
        return [...this.groups.values()].find((g) => g.displayName.toLowerCase() === key);
    }

    getGroup(id: string): EmuGroup {
        const g = this.groups.get(id);
        if (!g) throw new ScimProblem(404, undefined, `Group ${id} not found`);
        return g;
    }

    patchGroup(id: string, body: unknown): EmuGroup {
        const group = this.getGroup(id);
        const next = applyPatch(group, body) as EmuGroup;
        next.members = this.checkMembers(next.members ?? []);
        const clash = this.rules().uniqueGroupNames ? this.groupByName(next.displayName) : undefined;
        if (clash && clash.id !== group.id) {
            throw new ScimProblem(409, "uniqueness", `Group ${next.displayName} already exists`);
        }
        next.id = group.id;
        next.meta = { ...group.meta, lastModified: now() };
        this.groups.set(id, next);
        return next;
    }

    deleteGroup(id: string): void {
        this.getGroup(id);
        this.groups.delete(id);
    }

    /** Members must be existing users; duplicates collapse; display names are filled in. */
    private checkMembers(raw: unknown): EmuGroup["members"] {
        if (raw === undefined || raw === null) return [];
        if (!Array.isArray(raw)) throw new ScimProblem(400, "invalidValue", "members must be an array");
        const out = new Map<string, { value: string; display?: string }>();
        for (const m of raw) {
            const value = typeof m === "object" && m !== null ? (m as { value?: unknown }).value : undefined;
            if (typeof value !== "string") throw new ScimProblem(400, "invalidValue", "each member needs a string value");
            const user = this.users.get(value);
            if (!user) throw new ScimProblem(400, "invalidValue", `member ${value} is not a user`);
            out.set(value, { value, display: user.userName });
        }
        return [...out.values()];
    }

    // ---- queries ----

    /** Filters a collection. userName and displayName compare case-insensitively (RFC 7643: caseExact=false). */
    query<T extends EmuUser | EmuGroup>(items: T[], filter: string | undefined): T[] {
        if (!filter) return items;
        let ast: Filter;
        try {
            ast = parseFilter(filter);
        } catch (e) {
            throw new ScimProblem(400, "invalidFilter", `invalid filter: ${(e as Error).message}`);
        }
        const test = scimFilter(caseless(ast));
        const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
        return items.filter((item) => test({ ...item, userName: lower(item.userName), displayName: lower(item.displayName) }));
    }
}

const CASELESS: Record<string, string> = { username: "userName", displayname: "displayName" };

function caseless(f: Filter): Filter {
    const node = f as unknown as Record<string, unknown>;
    const attr = typeof node.attrPath === "string" ? CASELESS[node.attrPath.toLowerCase()] : undefined;
    if (attr && typeof node.compValue === "string") {
        return { ...node, attrPath: attr, compValue: node.compValue.toLowerCase() } as unknown as Filter;
    }
    if (Array.isArray(node.filters)) return { ...node, filters: (node.filters as Filter[]).map(caseless) } as unknown as Filter;
    if (node.filter) return { ...node, filter: caseless(node.filter as Filter) } as unknown as Filter;
    if (node.valFilter) return { ...node, valFilter: caseless(node.valFilter as Filter) } as unknown as Filter;
    return f;
}

function applyPatch<T extends object>(resource: T, body: unknown): T {
    try {
        patchBodyValidation(body as Parameters<typeof patchBodyValidation>[0]);
        const ops = (body as { Operations: ScimPatchOperation[] }).Operations;
        const copy = JSON.parse(JSON.stringify(resource));
        return scimPatch(copy, ops, { mutateDocument: false, treatMissingAsAdd: true }) as T;
    } catch (e) {
        if (e instanceof ScimProblem) throw e;
        throw new ScimProblem(400, "invalidValue", `invalid PATCH: ${(e as Error).message}`);
    }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
    return out;
}
