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
    /** Ids "1", "2", ... (rendered as JSON numbers by the server) instead of UUIDs. */
    numericIds?: boolean;
    /** false: externalId is accepted and dropped. */
    storeExternalId?: boolean;
    /** true: filter values compare case-exactly (attribute names never do). */
    filterCaseExact?: boolean;
    memberRemoval?: "any" | "filter-path" | "value-list";
    ignoreUnsupportedRemoval?: boolean;
    removeMissingMember?: "ignore" | "noTarget";
    memberDisplay?: "userName" | "name";
}

export class Store {
    constructor(private readonly rules: () => StoreRules = () => ({ uniqueGroupNames: true, ignoreActive: false })) {}

    readonly users = new Map<string, EmuUser>();
    readonly groups = new Map<string, EmuGroup>();
    private lastId = 0;

    /** Numeric ids are kept as strings: requests may send either, and they compare as strings. */
    private newId(): string {
        return this.rules().numericIds ? String(++this.lastId) : randomUUID();
    }

    private keepsExternalId(): boolean {
        return this.rules().storeExternalId !== false;
    }

    // ---- users ----

    createUser(body: Record<string, unknown>): EmuUser {
        const userName = typeof body.userName === "string" ? body.userName.trim() : "";
        if (!userName) throw new ScimProblem(400, "invalidValue", "userName is required");
        if (this.userByName(userName)) throw new ScimProblem(409, "uniqueness", `User with userName ${userName} already exists`);
        const t = now();
        const user: EmuUser = {
            ...pick(body, this.keepsExternalId() ? ["name", "displayName", "emails", "externalId"] : ["name", "displayName", "emails"]),
            schemas: [USER_SCHEMA],
            id: this.newId(),
            userName,
            active: body.active === undefined ? true : asBoolean(body.active),
            meta: { resourceType: "User", created: t, lastModified: t },
        };
        this.users.set(user.id, user);
        return user;
    }

    userByName(userName: string): EmuUser | undefined {
        const key = userName.toLowerCase();
        return [...this.users.values()].find((u) => u.userName.toLowerCase() === key);
    }

    getUser(id: string | number): EmuUser {
        const u = this.users.get(String(id));
        if (!u) throw new ScimProblem(404, undefined, `User ${id} not found`);
        return u;
    }

    /** PATCH; with `keepProfile` (InVision V7) email and name edits are accepted and dropped. */
    patchUser(id: string | number, body: unknown, keepProfile: boolean): EmuUser {
        const user = this.getUser(id);
        const patched = applyPatch(user, body) as EmuUser;
        return this.replaceUserWith(user, patched, keepProfile);
    }

    putUser(id: string | number, body: Record<string, unknown>, keepProfile: boolean): EmuUser {
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
        if (typeof next.active === "string") next.active = asBoolean(next.active);
        if (!this.keepsExternalId()) next.externalId = user.externalId;
        if (next.userName.toLowerCase() !== user.userName.toLowerCase() && this.userByName(next.userName)) {
            throw new ScimProblem(409, "uniqueness", `User with userName ${next.userName} already exists`);
        }
        next.id = user.id;
        next.meta = { ...user.meta, lastModified: now() };
        this.users.set(user.id, next);
        return next;
    }

    deleteUser(id: string | number): void {
        id = this.getUser(id).id;
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
            id: this.newId(),
            displayName,
            members: this.checkMembers(body.members),
            meta: { resourceType: "Group", created: t, lastModified: t },
        };
        if (typeof body.externalId === "string" && this.keepsExternalId()) group.externalId = body.externalId;
        this.groups.set(group.id, group);
        return group;
    }

    /** RFC 7643 marks a group's displayName caseExact=false. */
    groupByName(displayName: string): EmuGroup | undefined {
        const key = displayName.toLowerCase();
        return [...this.groups.values()].find((g) => g.displayName.toLowerCase() === key);
    }

    getGroup(id: string | number): EmuGroup {
        const g = this.groups.get(String(id));
        if (!g) throw new ScimProblem(404, undefined, `Group ${id} not found`);
        return g;
    }

    /**
     * Member removals are applied here, not by scim-patch, because the dialect decides which
     * of the two removal forms is accepted and whether removing a non-member is an error.
     * Every other operation goes to scim-patch, one at a time and in order, on a copy:
     * a PATCH that fails anywhere changes nothing.
     */
    patchGroup(id: string | number, body: unknown): EmuGroup {
        const group = this.getGroup(id);
        validatePatch(body);
        let next = JSON.parse(JSON.stringify(group)) as EmuGroup;
        for (const op of (body as { Operations: ScimPatchOperation[] }).Operations) {
            const removal = memberRemoval(op);
            if (!removal && this.rules().memberRemoval !== undefined && this.rules().memberRemoval !== "any" && isOtherMemberRemoval(op)) {
                // A server that takes one removal form takes nothing else: no "remove every member", no compound filter.
                throw new ScimProblem(400, "invalidPath", `unsupported member removal ${JSON.stringify(op.path)}`);
            }
            if (removal) {
                if (!this.removalAccepted(removal.form)) continue;
                const present = new Set((next.members ?? []).map((m) => m.value));
                const missing = removal.ids.filter((m) => !present.has(m));
                if (missing.length > 0 && this.rules().removeMissingMember === "noTarget") {
                    throw new ScimProblem(400, "noTarget", `${missing.join(", ")} is not a member of group ${group.displayName}`);
                }
                next.members = (next.members ?? []).filter((m) => !removal.ids.includes(m.value));
                continue;
            }
            next = applyOps(next, [stringifyMemberValues(op)]);
        }
        next.members = this.checkMembers(next.members ?? []);
        if (!this.keepsExternalId()) next.externalId = group.externalId;
        const clash = this.rules().uniqueGroupNames ? this.groupByName(next.displayName) : undefined;
        if (clash && clash.id !== group.id) {
            throw new ScimProblem(409, "uniqueness", `Group ${next.displayName} already exists`);
        }
        next.id = group.id;
        next.meta = { ...group.meta, lastModified: now() };
        this.groups.set(group.id, next);
        return next;
    }

    /** Throws for a form the dialect refuses, unless the lying-server fault says to skip it quietly. */
    private removalAccepted(form: "filter-path" | "value-list"): boolean {
        const accepted = this.rules().memberRemoval ?? "any";
        if (accepted === "any" || accepted === form) return true;
        if (this.rules().ignoreUnsupportedRemoval) return false;
        if (form === "value-list") throw new ScimProblem(400, "invalidValue", 'Remove members with path members[value eq "<id>"]; a value list is not supported');
        throw new ScimProblem(400, "invalidPath", 'Remove members with path "members" and value [{"value": "<id>"}]; filter paths are not supported');
    }

    deleteGroup(id: string | number): void {
        this.groups.delete(this.getGroup(id).id);
    }

    /** Members must be existing users; duplicates collapse; display names are filled in. */
    private checkMembers(raw: unknown): EmuGroup["members"] {
        if (raw === undefined || raw === null) return [];
        if (!Array.isArray(raw)) throw new ScimProblem(400, "invalidValue", "members must be an array");
        const out = new Map<string, { value: string; display?: string }>();
        for (const m of raw) {
            const raw = typeof m === "object" && m !== null ? (m as { value?: unknown }).value : undefined;
            if (typeof raw !== "string" && typeof raw !== "number") throw new ScimProblem(400, "invalidValue", "each member needs a value");
            const value = String(raw);
            const user = this.users.get(value);
            if (!user) throw new ScimProblem(400, "invalidValue", `member ${value} is not a user`);
            out.set(value, { value, ...this.displayOf(user) });
        }
        return [...out.values()];
    }

    private displayOf(user: EmuUser): { display?: string } {
        if (this.rules().memberDisplay !== "name") return { display: user.userName };
        const formatted = [user.name?.givenName, user.name?.familyName].filter(Boolean).join(" ");
        const display = user.displayName || formatted;
        return display ? { display } : {};
    }

    // ---- queries ----

    /**
     * Filters a collection. userName and displayName compare case-insensitively (RFC 7643: caseExact=false)
     * unless the rules say the server is case-exact; attribute names are always case-insensitive.
     */
    query<T extends EmuUser | EmuGroup>(items: T[], filter: string | undefined): T[] {
        if (!filter) return items;
        let ast: Filter;
        try {
            ast = parseFilter(filter);
        } catch (e) {
            throw new ScimProblem(400, "invalidFilter", `invalid filter: ${(e as Error).message}`);
        }
        const exact = this.rules().filterCaseExact === true;
        const test = scimFilter(caseless(ast, !exact));
        const lower = (v: unknown) => (typeof v === "string" && !exact ? v.toLowerCase() : v);
        return items.filter((item) => test({ ...item, userName: lower(item.userName), displayName: lower(item.displayName) }));
    }
}

const CASELESS: Record<string, string> = { username: "userName", displayname: "displayName" };
/** Attribute names are case-insensitive (RFC 7643 §2.1); scim2-parse-filter compares them as written. */
const CANONICAL: Record<string, string> = { ...CASELESS, id: "id", externalid: "externalId", active: "active", emails: "emails", name: "name", members: "members" };

function caseless(f: Filter, lowerValues: boolean): Filter {
    const node = f as unknown as Record<string, unknown>;
    if (typeof node.attrPath === "string") {
        const key = node.attrPath.toLowerCase();
        const attr = CANONICAL[key] ?? node.attrPath;
        const compValue = lowerValues && CASELESS[key] && typeof node.compValue === "string" ? node.compValue.toLowerCase() : node.compValue;
        const out: Record<string, unknown> = { ...node, attrPath: attr };
        // Ids are strings in the store; a numeric-id server's client may filter with a number.
        if ("compValue" in node) out.compValue = attr === "id" && typeof compValue === "number" ? String(compValue) : compValue;
        return out as unknown as Filter;
    }
    if (Array.isArray(node.filters)) return { ...node, filters: (node.filters as Filter[]).map((x) => caseless(x, lowerValues)) } as unknown as Filter;
    if (node.filter) return { ...node, filter: caseless(node.filter as Filter, lowerValues) } as unknown as Filter;
    if (node.valFilter) return { ...node, valFilter: caseless(node.valFilter as Filter, lowerValues) } as unknown as Filter;
    return f;
}

function asBoolean(v: unknown): boolean {
    // Entra ID sends "True"/"False" as strings.
    return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

function validatePatch(body: unknown): void {
    try {
        patchBodyValidation(body as Parameters<typeof patchBodyValidation>[0]);
    } catch (e) {
        throw new ScimProblem(400, "invalidValue", `invalid PATCH: ${(e as Error).message}`);
    }
}

function applyOps<T extends object>(resource: T, ops: ScimPatchOperation[]): T {
    try {
        return scimPatch(JSON.parse(JSON.stringify(resource)), ops, { mutateDocument: false, treatMissingAsAdd: true }) as T;
    } catch (e) {
        if (e instanceof ScimProblem) throw e;
        throw new ScimProblem(400, "invalidValue", `invalid PATCH: ${(e as Error).message}`);
    }
}

function applyPatch<T extends object>(resource: T, body: unknown): T {
    validatePatch(body);
    return applyOps(resource, (body as { Operations: ScimPatchOperation[] }).Operations);
}

/**
 * Recognises the two member-removal forms: `path: members[value eq "id"]` and
 * `path: members, value: [{value: id}]`. Anything else (including "remove all
 * members", RFC 7644's `path: members` without a value) is left to scim-patch.
 */
function memberRemoval(op: ScimPatchOperation): { form: "filter-path" | "value-list"; ids: string[] } | undefined {
    if (op.op.toLowerCase() !== "remove" || typeof op.path !== "string") return undefined;
    const path = op.path.trim();
    const value = (op as { value?: unknown }).value;
    if (/^members$/i.test(path) && Array.isArray(value)) {
        // An empty list is ambiguous (nothing, or everything?): refuse it rather than guess.
        if (value.length === 0) throw new ScimProblem(400, "invalidValue", "no members to remove");
        const ids = value.map((m: unknown) => (m && typeof m === "object" ? (m as { value?: unknown }).value : undefined));
        if (ids.some((v) => typeof v !== "string" && typeof v !== "number")) throw new ScimProblem(400, "invalidValue", "each member to remove needs a value");
        return { form: "value-list", ids: ids.map(String) };
    }
    const m = /^members\[(.*)\]$/i.exec(path);
    if (!m) return undefined;
    let inner: Filter;
    try {
        inner = parseFilter(m[1]);
    } catch (e) {
        throw new ScimProblem(400, "invalidPath", `invalid path ${path}: ${(e as Error).message}`);
    }
    const node = inner as unknown as { op?: string; attrPath?: string; compValue?: unknown };
    if (node.op !== "eq" || node.attrPath?.toLowerCase() !== "value" || (typeof node.compValue !== "string" && typeof node.compValue !== "number")) {
        return undefined;
    }
    return { form: "filter-path", ids: [String(node.compValue)] };
}

/** A removal touching members in neither recognised form: "remove all", a compound filter, a sub-attribute. */
function isOtherMemberRemoval(op: ScimPatchOperation): boolean {
    return op.op.toLowerCase() === "remove" && typeof op.path === "string" && /^members(\[|$|\.)/i.test(op.path.trim());
}

/** Member values may arrive as numbers (numeric ids); the store keeps strings. */
function stringifyMemberValues(op: ScimPatchOperation): ScimPatchOperation {
    const value = (op as { value?: unknown }).value;
    const fix = (list: unknown) => (Array.isArray(list) ? list.map((m) => (m && typeof m === "object" && typeof (m as { value?: unknown }).value === "number" ? { ...m, value: String((m as { value: number }).value) } : m)) : list);
    if (typeof op.path === "string" && /^members$/i.test(op.path.trim())) return { ...op, value: fix(value) } as ScimPatchOperation;
    if (!op.path && value && typeof value === "object" && !Array.isArray(value) && "members" in value) {
        return { ...op, value: { ...value, members: fix((value as { members: unknown }).members) } } as ScimPatchOperation;
    }
    return op;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
    return out;
}
