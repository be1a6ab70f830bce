import { z } from "zod";
import { ScimError } from "./errors";
import { ScimRequest, ScimTransport, TransportOptions } from "./http";
import { collectAll, DEFAULT_PAGE_SIZE, Page } from "./pagination";
import { filterLiteral, memberPatches, ProfileChange, userBody, userPatch } from "./patch";
import {
    GROUP_SCHEMA,
    listResponseSchema,
    PATCH_SCHEMA,
    ScimGroup,
    scimGroupSchema,
    ScimUser,
    scimUserSchema,
    UserProfile,
} from "./schemas";

/** What the client learned the server cannot do; each switches on a fallback for the rest of the process. */
export interface ServerQuirks {
    noUserFilter: boolean;
    noGroupFilter: boolean;
    noGroupGet: boolean;
    noGroupDelete: boolean;
}

type FilterQuirk = "noUserFilter" | "noGroupFilter";

export type GroupDeleteOutcome = "deleted" | "gone" | "emptied";

export interface ClientOptions extends TransportOptions {
    pageSize?: number;
    /** Warnings a person should see (a fallback used, an object kept). */
    warn?: (message: string) => void;
}

/**
 * InVision's SCIM API as typed operations, with a fallback for every
 * operation InVision may lack (see invision-scim.md): filters, group GET by
 * id, group DELETE, pagination, user DELETE.
 */
export class ScimClient {
    readonly quirks: ServerQuirks = { noUserFilter: false, noGroupFilter: false, noGroupGet: false, noGroupDelete: false };
    private readonly transport: ScimTransport;
    private readonly pageSize: number;
    /** One listing shared by every lookup of this process while filters are unavailable. */
    private readonly userDirectory = new Directory<ScimUser>();
    private readonly groupDirectory = new Directory<ScimGroup>();
    /** Per collection, settles when the first filtered request has answered. */
    private readonly filterVerdicts = new Map<FilterQuirk, Promise<void>>();

    constructor(private readonly options: ClientOptions) {
        this.transport = new ScimTransport(options);
        this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    }

    // ---- users ----------------------------------------------------------

    async getUser(id: string): Promise<ScimUser | undefined> {
        try {
            return this.remember(parse(scimUserSchema, (await this.send({ method: "GET", path: `/Users/${enc(id)}` })).data, "user"));
        } catch (e) {
            if (e instanceof ScimError && e.is(404)) return undefined;
            throw e;
        }
    }

    /** Case-insensitive, as InVision treats emails. */
    async findUserByUserName(userName: string, fresh = false): Promise<ScimUser | undefined> {
        const key = userName.toLowerCase();
        if (!this.quirks.noUserFilter) {
            const found = await this.filtered("noUserFilter", "/Users", `userName eq ${filterLiteral(userName)}`, scimUserSchema, (u) => u.userName.toLowerCase() === key);
            if (found !== "unsupported") return found;
        }
        return (await this.users(fresh)).get(key);
    }

    async listUsers(): Promise<ScimUser[]> {
        return [...(await this.users(true)).values()];
    }

    /**
     * Creates a user. A POST whose answer was lost (timeout, reset, 5xx) may
     * have created the user, so before trying again we look it up: a crash or a
     * dropped connection never leaves a duplicate behind.
     */
    async createUser(profile: UserProfile): Promise<ScimUser> {
        for (let attempt = 1; ; attempt++) {
            try {
                const res = await this.send({ method: "POST", path: "/Users", body: userBody(profile) });
                return this.remember(parse(scimUserSchema, res.data, "created user"));
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.isNetwork || (e.status ?? 0) >= 500) || attempt >= 3) throw e;
                const existing = await this.findUserByUserName(profile.userName, true);
                if (existing) return existing;
            }
        }
    }

    async patchUser(id: string, change: ProfileChange): Promise<ScimUser> {
        const ops = userPatch(change);
        if (ops.length === 0) return (await this.getUser(id)) ?? missing("user", id);
        const res = await this.send({ method: "PATCH", path: `/Users/${enc(id)}`, body: { schemas: [PATCH_SCHEMA], Operations: ops } });
        // 204 No Content is allowed by RFC 7644; read back to return the live object.
        if (res.data === undefined) return (await this.getUser(id)) ?? missing("user", id);
        return this.remember(parse(scimUserSchema, res.data, "patched user"));
    }

    /** Permanent deletion. 404 counts as done; a refusal explains what to do instead. */
    async deleteUser(id: string): Promise<void> {
        try {
            await this.send({ method: "DELETE", path: `/Users/${enc(id)}` });
            this.forgetUser(id);
        } catch (e) {
            if (e instanceof ScimError && e.is(404)) return this.forgetUser(id);
            if (e instanceof ScimError && (e.is(405) || e.is(501) || e.is(403) || e.is(400))) {
                throw new ScimError(
                    `InVision refused to delete user ${id} (${e.status}): permanent deletion of a user's data goes through InVision Support. ` +
                        `Use onDelete: "deactivate" (the default) to remove access and keep the data, or "retain" to leave the user untouched.`,
                    e.status,
                    e.scimType,
                    e.method,
                    e.path,
                );
            }
            throw e;
        }
    }

    // ---- groups ---------------------------------------------------------

    async getGroup(id: string): Promise<ScimGroup | undefined> {
        if (!this.quirks.noGroupGet) {
            try {
                return parse(scimGroupSchema, (await this.send({ method: "GET", path: `/Groups/${enc(id)}` })).data, "group");
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.is(404) || e.is(405) || e.is(501))) throw e;
                // A 404 means "gone" or "no such endpoint"; the list tells which.
                const listed = (await this.groups(true)).get(id);
                if (listed || !e.is(404)) this.fallback("noGroupGet", "GET /Groups/{id} is not supported; reading groups from the list");
                return listed;
            }
        }
        return (await this.groups(true)).get(id);
    }

    /**
     * A group by name: the exact name if there is one, else the one name that
     * differs only in case (RFC 7643: displayName is not case-exact). List and
     * filter answers may leave members out; the group is then read by id, so
     * membership decisions never rest on a missing list.
     */
    async findGroupByName(displayName: string, fresh = false): Promise<ScimGroup | undefined> {
        const key = displayName.toLowerCase();
        const sameName = (g: ScimGroup) => g.displayName.toLowerCase() === key;
        let candidates: ScimGroup[];
        if (!this.quirks.noGroupFilter) {
            const found = await this.filtered("noGroupFilter", "/Groups", `displayName eq ${filterLiteral(displayName)}`, scimGroupSchema, sameName, true);
            candidates = found === "unsupported" ? [...(await this.groups(fresh)).values()].filter(sameName) : found;
        } else {
            candidates = [...(await this.groups(fresh)).values()].filter(sameName);
        }
        const group = candidates.find((g) => g.displayName === displayName) ?? (candidates.length === 1 ? candidates[0] : undefined);
        if (group && !group.members && !this.quirks.noGroupGet) return (await this.getGroup(group.id)) ?? group;
        return group;
    }

    async listGroups(): Promise<ScimGroup[]> {
        return [...(await this.groups(true)).values()];
    }

    async createGroup(displayName: string, members: readonly string[]): Promise<ScimGroup> {
        const body = { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) };
        for (let attempt = 1; ; attempt++) {
            try {
                const res = await this.send({ method: "POST", path: "/Groups", body });
                return this.rememberGroup(parse(scimGroupSchema, res.data, "created group"));
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.isNetwork || (e.status ?? 0) >= 500) || attempt >= 3) throw e;
                const existing = await this.findGroupByName(displayName, true);
                if (existing) return existing;
            }
        }
    }

    async renameGroup(id: string, displayName: string): Promise<void> {
        await this.send({
            method: "PATCH",
            path: `/Groups/${enc(id)}`,
            body: { schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", path: "displayName", value: displayName }] },
        });
        this.groupDirectory.clear();
    }

    /** Adds and removes exactly these members, in chunks; returns the number of PATCH requests sent. */
    async changeMembers(id: string, add: readonly string[], remove: readonly string[]): Promise<number> {
        const requests = memberPatches(add, remove);
        for (const Operations of requests) {
            await this.send({ method: "PATCH", path: `/Groups/${enc(id)}`, body: { schemas: [PATCH_SCHEMA], Operations } });
        }
        if (requests.length > 0) this.groupDirectory.clear();
        return requests.length;
    }

    /**
     * Deletes a group. Where InVision has no group DELETE, the group is emptied
     * and kept (nobody keeps access through it), and the caller is told.
     */
    async deleteGroup(id: string): Promise<GroupDeleteOutcome> {
        if (!this.quirks.noGroupDelete) {
            try {
                await this.send({ method: "DELETE", path: `/Groups/${enc(id)}` });
                this.groupDirectory.clear();
                return "deleted";
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.is(404) || e.is(405) || e.is(501))) throw e;
                if (e.is(404) && !(await this.getGroup(id))) return "gone";
                this.fallback("noGroupDelete", "DELETE /Groups/{id} is not supported; deleted groups are emptied and kept");
            }
        }
        const group = await this.getGroup(id);
        if (!group) return "gone";
        await this.changeMembers(id, [], (group.members ?? []).map((m) => m.value));
        this.options.warn?.(`InVision cannot delete groups over SCIM: group '${group.displayName}' (${id}) was emptied and kept. Remove it in InVision's admin console if it should go.`);
        return "emptied";
    }

    // ---- plumbing -------------------------------------------------------

    private send(req: ScimRequest) {
        return this.transport.send(req);
    }

    /**
     * A filtered list query. Returns "unsupported" (and switches to
     * list-and-match for the process) when the server rejects filters or
     * visibly ignores them.
     */
    private filtered<T extends { id: string }>(quirk: FilterQuirk, path: string, filter: string, schema: z.ZodType<T>, matches: (item: T) => boolean): Promise<T | undefined | "unsupported">;
    private filtered<T extends { id: string }>(quirk: FilterQuirk, path: string, filter: string, schema: z.ZodType<T>, matches: (item: T) => boolean, all: true): Promise<T[] | "unsupported">;
    private async filtered<T extends { id: string }>(
        quirk: FilterQuirk,
        path: string,
        filter: string,
        schema: z.ZodType<T>,
        matches: (item: T) => boolean,
        all = false,
    ): Promise<T | T[] | undefined | "unsupported"> {
        // The first filtered request tells whether the server filters; the
        // resources that ask at the same time wait for that answer instead of
        // each sending a request the server may reject.
        const verdict = this.filterVerdicts.get(quirk);
        if (verdict) await verdict;
        if (this.quirks[quirk]) return "unsupported";
        const attempt = this.sendFiltered(quirk, path, filter, schema, matches);
        if (!verdict) {
            this.filterVerdicts.set(
                quirk,
                attempt.then(
                    () => undefined,
                    () => undefined,
                ),
            );
        }
        const hits = await attempt;
        return hits === "unsupported" || all ? hits : hits[0];
    }

    private async sendFiltered<T extends { id: string }>(
        quirk: FilterQuirk,
        path: string,
        filter: string,
        schema: z.ZodType<T>,
        matches: (item: T) => boolean,
    ): Promise<T[] | "unsupported"> {
        let items: T[];
        try {
            const res = await this.send({ method: "GET", path, query: { filter } });
            items = parse(listResponseSchema(schema), res.data, "list").Resources ?? [];
        } catch (e) {
            if (e instanceof ScimError && (e.is(400) || e.is(403) || e.is(404) || e.is(405) || e.is(501))) {
                this.fallback(quirk, `filtering ${path} is not supported (${e.status}); looking objects up by listing`);
                return "unsupported";
            }
            throw e;
        }
        const hits = items.filter(matches);
        if (hits.length !== items.length) {
            // The server returned things the filter excludes: it ignored the filter.
            this.fallback(quirk, `the server ignores SCIM filters on ${path}; looking objects up by listing`);
            return "unsupported";
        }
        return hits;
    }

    private fallback(quirk: keyof ServerQuirks, message: string): void {
        if (!this.quirks[quirk]) {
            this.quirks[quirk] = true;
            this.options.log?.(message);
        }
    }

    private async list<T extends { id: string }>(path: string, schema: z.ZodType<T>): Promise<T[]> {
        return collectAll<T>(async (startIndex, count): Promise<Page<T>> => {
            const res = await this.send({ method: "GET", path, query: { startIndex, count } });
            const body = parse(listResponseSchema(schema), res.data, "list");
            return { items: body.Resources ?? [], totalResults: body.totalResults };
        }, this.pageSize);
    }

    private users(fresh = false): Promise<Map<string, ScimUser>> {
        return this.userDirectory.get(fresh, () => this.list("/Users", scimUserSchema).then((all) => new Map(all.map((u) => [u.userName.toLowerCase(), u]))));
    }

    private groups(fresh = false): Promise<Map<string, ScimGroup>> {
        return this.groupDirectory.get(fresh, () => this.list("/Groups", scimGroupSchema).then((all) => new Map(all.map((g) => [g.id, g]))));
    }

    /** Keeps a cached directory current with what we just wrote or read, instead of listing again. */
    private remember(user: ScimUser): ScimUser {
        this.userDirectory.update((m) => {
            for (const [k, u] of m) if (u.id === user.id && k !== user.userName.toLowerCase()) m.delete(k);
            m.set(user.userName.toLowerCase(), user);
        });
        return user;
    }

    private forgetUser(id: string): void {
        this.userDirectory.update((m) => {
            for (const [k, u] of m) if (u.id === id) m.delete(k);
        });
    }

    private rememberGroup(group: ScimGroup): ScimGroup {
        this.groupDirectory.update((m) => m.set(group.id, group));
        return group;
    }
}

/** A listing loaded once and shared; a failed load is not kept. */
class Directory<T> {
    private loading?: Promise<Map<string, T>>;

    get(fresh: boolean, load: () => Promise<Map<string, T>>): Promise<Map<string, T>> {
        if (fresh || !this.loading) {
            const loading = load();
            loading.catch(() => {
                if (this.loading === loading) this.loading = undefined;
            });
            this.loading = loading;
        }
        return this.loading;
    }

    /** Applies a change to the listing if one is loaded (or loading). */
    update(change: (m: Map<string, T>) => void): void {
        void this.loading?.then(change, () => undefined);
    }

    clear(): void {
        this.loading = undefined;
    }
}

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
    const r = schema.safeParse(data);
    if (!r.success) {
        const first = r.error.issues[0];
        throw new Error(`InVision returned a ${what} this provider does not understand: ${first?.path.join(".") || "(body)"}: ${first?.message}`);
    }
    return r.data;
}

function enc(id: string): string {
    return encodeURIComponent(id);
}

function missing(what: string, id: string): never {
    throw new ScimError(`InVision ${what} ${id} disappeared while it was being updated`, 404, undefined, "GET", `/${what}s/${id}`);
}
