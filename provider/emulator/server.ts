import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Chaos } from "./chaos";
import { checkFilter, checkSchemas, normaliseOps, project, renderIds, SCHEMA } from "./dialect";
import { EmulatorOptions, resolveOptions, ResolvedOptions, Support } from "./options";
import { TokenBucket } from "./rate-limit";
import { EmuGroup, EmuUser, ScimProblem, Store } from "./store";

export type { EmulatorOptions, Support } from "./options";

export interface Fault {
    /** How many matching requests fail. */
    count: number;
    /** Answer with this status (429, 500, 503...). */
    status?: number;
    /** Retry-After header with the status: seconds ("2") or an HTTP date. */
    retryAfter?: string;
    /** Destroy the connection without answering. */
    drop?: boolean;
    /** With drop: process the request first, then drop (a create whose response is lost). */
    afterProcessing?: boolean;
    /** Process the request, then hold the response this long (a slow server; the client may time out). */
    delayMs?: number;
    method?: string;
    /** Matches the path after the SCIM root, e.g. /^\/Users/ */
    path?: RegExp;
}

export interface RequestRecord {
    method: string;
    /** Path after the SCIM root, e.g. /Users/abc */
    path: string;
    query: Record<string, string>;
    body: unknown;
    /** 0 when the connection was dropped. */
    status: number;
    /** The Authorization header as received: tests assert the token travels only here. */
    authorization?: string;
    at: number;
    /** Set when the answer was a fault rather than the server's own: lost means processed, then dropped. */
    fault?: "rate-limited" | "injected-error" | "dropped" | "lost" | "fail-next";
}

export interface EmulatorStats {
    inFlight: number;
    maxInFlight: number;
    /** Requests refused by the rate limit. */
    rateLimited: number;
    /** Chaos errors (5xx) answered without processing. */
    injectedErrors: number;
    /** Chaos connections destroyed before processing. */
    dropped: number;
    /** Chaos requests processed, then left unanswered. */
    lost: number;
}

export interface Emulator {
    /** The SCIM root, e.g. http://127.0.0.1:40123/scim/v2 */
    readonly url: string;
    readonly token: string;
    readonly port: number;
    readonly store: Store;
    /** The options in force (defaults, then profile, then what was passed); mutable mid-test. */
    readonly options: ResolvedOptions;
    /** Every SCIM request received, in order (admin calls excluded). */
    readonly requests: RequestRecord[];
    /** Requests other than GET. */
    writes(): RequestRecord[];
    /** maxInFlight shows the client's concurrency limit at work; the rest count injected faults. */
    readonly stats: EmulatorStats;
    failNext(fault: Fault): void;
    /** Forgets every fault not yet spent: the server is healthy again. */
    clearFaults(): void;
    clearRequests(): void;
    /** Adds a user directly (no request logged). */
    seedUser(user: { userName: string; givenName?: string; familyName?: string; displayName?: string; active?: boolean; externalId?: string }): EmuUser;
    seedGroup(group: { displayName: string; members?: string[] }): EmuGroup;
    close(): Promise<void>;
}

const BASE = "/scim/v2";
const MEDIA = "application/scim+json";
type Answer = [status: number, body: unknown, headers?: Record<string, string>];

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const opts = resolveOptions(options);
    // Hex, not base64url: a token starting with "-" (one in 64 of those) is read
    // as a flag by a command line it is pasted into without "--".
    const token = options.token ?? randomBytes(24).toString("hex");
    const store = new Store(() => ({
        uniqueGroupNames: opts.uniqueGroupNames !== false,
        ignoreActive: opts.activeEdits === "ignored",
        numericIds: opts.ids === "numeric",
        storeExternalId: opts.externalId !== "ignored",
        filterCaseExact: opts.filterCase === "exact",
        memberRemoval: opts.memberRemoval,
        ignoreUnsupportedRemoval: opts.ignoreUnsupportedRemoval,
        removeMissingMember: opts.removeMissingMember,
        memberDisplay: opts.memberDisplay,
    }));
    const requests: RequestRecord[] = [];
    let faults: Fault[] = [];
    const stats: EmulatorStats = { inFlight: 0, maxInFlight: 0, rateLimited: 0, injectedErrors: 0, dropped: 0, lost: 0 };
    const bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit) : undefined;
    const chaos = opts.chaos ? new Chaos(opts.chaos) : undefined;
    // What a server with SSO inactive hands back for a create that stored nothing.
    const phantomId = () => (opts.ids === "numeric" ? "0" : "00000000-0000-0000-0000-000000000000");

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            void handle(req, res, Buffer.concat(chunks).toString("utf8"));
        });
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
        const url = new URL(req.url ?? "/", "http://emulator");
        if (url.pathname.startsWith("/_emulator/")) return admin(url.pathname, res);
        const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) || "/" : url.pathname;
        const query = Object.fromEntries(url.searchParams.entries());
        let body: unknown;
        try {
            body = raw ? JSON.parse(raw) : undefined;
        } catch {
            body = raw;
        }
        const record: RequestRecord = { method: req.method ?? "GET", path, query, body, status: 0, authorization: req.headers.authorization, at: Date.now() };
        requests.push(record);
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        res.on("close", () => stats.inFlight--);

        // The rate limit comes first: a real server refuses before doing any work.
        if (bucket) {
            const taken = bucket.take();
            if (!taken.ok) {
                stats.rateLimited++;
                record.fault = "rate-limited";
                const detail = bucket.status === 429 ? "Too many requests" : "The server is overloaded: too many requests, try again later";
                return send(res, record, bucket.status, errorBody(bucket.status, "tooMany", detail), bucket.retryAfter(taken.waitSeconds));
            }
        }
        // Drawn for every request that got past the limit, so the sequence depends only on the seed.
        const fate = chaos?.decide();
        const delay = (opts.latencyMs ?? 0) + (fate?.latencyMs ?? 0);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (fate?.drop) {
            stats.dropped++;
            record.fault = "dropped";
            return drop(res, record);
        }
        if (fate?.errorStatus) {
            stats.injectedErrors++;
            record.fault = "injected-error";
            return send(res, record, fate.errorStatus, errorBody(fate.errorStatus, undefined, "injected fault"));
        }

        const fault = takeFault(record);
        if (fault) record.fault = "fail-next";
        if (fault?.drop && !fault.afterProcessing) return drop(res, record);
        if (fault?.status) {
            const headers: Record<string, string> = fault.retryAfter ? { "Retry-After": fault.retryAfter } : {};
            return send(res, record, fault.status, errorBody(fault.status, fault.status === 429 ? "tooMany" : undefined, "injected fault"), headers);
        }

        let answer: Answer;
        try {
            answer = route(record, req.headers.authorization);
        } catch (e) {
            if (!(e instanceof ScimProblem)) throw e;
            answer = [e.status, errorBody(e.status, e.scimType, e.message)];
        }
        if (fault?.drop) return drop(res, record);
        if (fate?.lose) {
            stats.lost++;
            record.fault = "lost";
            return drop(res, record);
        }
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        send(res, record, answer[0], answer[1], answer[2]);
    }

    function takeFault(r: RequestRecord): Fault | undefined {
        const f = faults.find((x) => x.count > 0 && (!x.method || x.method === r.method) && (!x.path || x.path.test(r.path)));
        if (!f) return undefined;
        f.count--;
        faults = faults.filter((x) => x.count > 0);
        return f;
    }

    function route(r: RequestRecord, authorization: string | undefined): Answer {
        if (authorization !== `Bearer ${token}`) return [401, errorBody(401, undefined, "Invalid bearer token")];
        if (opts.ssoInactive === "reject") return [403, errorBody(403, undefined, "SAML SSO is not active for this team")];
        const silent = opts.ssoInactive === "silent";
        const [, collection, id, extra] = r.path.split("/");
        if (extra !== undefined) throw new ScimProblem(404, undefined, "no such endpoint");
        const b = (typeof r.body === "object" && r.body !== null ? r.body : {}) as Record<string, unknown>;
        const resource = (x: EmuUser | EmuGroup) => renderIds(withLocation(x), opts);
        const patched = (x: EmuUser | EmuGroup): Answer => (opts.patchResponse === "no-content" ? [204, undefined] : [200, resource(x)]);

        if (collection === "ServiceProviderConfig") return serviceProviderConfig();
        if (collection === "Users") {
            if (!id) {
                if (r.method === "GET") return [200, list([...store.users.values()].filter((u) => opts.inactiveUsers === "listed" || u.active), r.query, "Users")];
                if (r.method === "POST") {
                    checkSchemas(r.body, SCHEMA.user, opts);
                    return created(silent ? { ...b, schemas: [SCHEMA.user], id: phantomId(), active: true, meta: { resourceType: "User" } } as unknown as EmuUser : store.createUser(b));
                }
                return [405, errorBody(405, undefined, "method not allowed")];
            }
            switch (r.method) {
                case "GET":
                    return [200, project(resource(store.getUser(id)), r.query)];
                case "PATCH": {
                    const body = normaliseOps(checkSchemas(r.body, SCHEMA.patchOp, opts), opts);
                    return patched(silent ? store.getUser(id) : store.patchUser(id, body, opts.version === "v7"));
                }
                case "PUT":
                    checkSchemas(r.body, SCHEMA.user, opts);
                    return [200, resource(silent ? store.getUser(id) : store.putUser(id, b, opts.version === "v7"))];
                case "DELETE":
                    if (opts.userDelete !== "supported") return unsupported(opts.userDelete, "Deleting users requires InVision Support");
                    if (!silent) store.deleteUser(id);
                    return [204, undefined];
            }
            return [405, errorBody(405, undefined, "method not allowed")];
        }
        if (collection === "Groups") {
            if (!id) {
                if (r.method === "GET") return [200, list([...store.groups.values()], r.query, "Groups")];
                if (r.method === "POST") {
                    checkSchemas(r.body, SCHEMA.group, opts);
                    return created(silent ? { ...b, schemas: [SCHEMA.group], id: phantomId(), meta: { resourceType: "Group" } } as unknown as EmuGroup : store.createGroup(b));
                }
                return [405, errorBody(405, undefined, "method not allowed")];
            }
            switch (r.method) {
                case "GET":
                    if (opts.groupGet !== "supported") return unsupported(opts.groupGet, "GET /Groups/{id} is not supported");
                    return [200, project(resource(store.getGroup(id)), r.query)];
                case "PATCH": {
                    const body = normaliseOps(checkSchemas(r.body, SCHEMA.patchOp, opts), opts);
                    return patched(silent ? store.getGroup(id) : store.patchGroup(id, body));
                }
                case "DELETE":
                    if (opts.groupDelete !== "supported") return unsupported(opts.groupDelete, "DELETE /Groups/{id} is not supported");
                    if (!silent) store.deleteGroup(id);
                    return [204, undefined];
            }
            return [405, errorBody(405, undefined, "method not allowed")];
        }
        throw new ScimProblem(404, undefined, `no such endpoint ${r.path}`);
    }

    /** RFC 7644 §3.3: 201 with the resource and a Location header, unless the dialect answers less. */
    function created(x: EmuUser | EmuGroup): Answer {
        const location = `${emulator.url}/${x.meta.resourceType}s/${x.id}`;
        if (opts.postResponse === "empty-no-location") return [201, undefined];
        if (opts.postResponse === "empty") return [201, undefined, { Location: location }];
        return [201, renderIds(withLocation(x), opts), { Location: location }];
    }

    function serviceProviderConfig(): Answer {
        if (opts.serviceProviderConfig === "absent") throw new ScimProblem(404, undefined, "no such endpoint /ServiceProviderConfig");
        // "lying" claims what a client would most like to hear, whatever this server really does.
        const lying = opts.serviceProviderConfig === "lying";
        return [
            200,
            {
                schemas: [SCHEMA.spc],
                patch: { supported: true },
                filter: { supported: lying || opts.filter === "supported", maxResults: lying ? 10000 : opts.pageSize },
                bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
                changePassword: { supported: false },
                sort: { supported: lying },
                etag: { supported: lying },
                authenticationSchemes: [{ type: "oauthbearertoken", name: "OAuth Bearer Token", description: "A static bearer token from the admin console" }],
            },
        ];
    }

    function unsupported(status: Support, detail: string): Answer {
        return [status as number, errorBody(status as number, undefined, detail)];
    }

    function list(all: (EmuUser | EmuGroup)[], q: Record<string, string>, kind: "Users" | "Groups"): unknown {
        let items = all;
        if (q.filter !== undefined) {
            if (opts.filter === "rejected") throw new ScimProblem(400, "invalidFilter", "Filtering is not supported");
            if (opts.filter === "supported") {
                checkFilter(q.filter, opts);
                items = store.query(all, q.filter);
            }
        }
        const render = (x: EmuUser | EmuGroup) => {
            const out = project(renderIds(withLocation(x), opts), q);
            if (kind === "Groups" && opts.groupListMembers === "omitted") delete out.members;
            return out;
        };
        const max = opts.pageSize;
        const total = items.length;
        if (opts.pagination === "none") {
            return { schemas: [SCHEMA.list], totalResults: total, startIndex: 1, itemsPerPage: total, Resources: items.map(render) };
        }
        const asked = Math.max(0, Number.parseInt(q.count ?? String(max), 10) || max);
        const count = opts.pagination === "ignore-start" ? asked : Math.min(max, asked);
        const start = opts.pagination === "ignore-start" || opts.pagination === "capped" ? 1 : Math.max(1, Number.parseInt(q.startIndex ?? "1", 10) || 1);
        const page = items.slice(start - 1, start - 1 + count);
        const body: Record<string, unknown> = { schemas: [SCHEMA.list], startIndex: start, itemsPerPage: page.length, Resources: page.map(render) };
        if (opts.pagination !== "no-total") body.totalResults = opts.totalResults === "page-size" ? page.length : total;
        return body;
    }

    function send(res: http.ServerResponse, record: RequestRecord, status: number, body: unknown, headers: Record<string, string> = {}): void {
        record.status = status;
        if (opts.verbose) process.stdout.write(`${record.method} ${BASE}${record.path} -> ${status}${record.fault ? ` (${record.fault})` : ""}\n`);
        const text = body === undefined ? "" : JSON.stringify(body);
        res.writeHead(status, { ...(text ? { "Content-Type": MEDIA } : {}), ...headers });
        res.end(text);
    }

    function withLocation(x: EmuUser | EmuGroup): Record<string, unknown> {
        return { ...x, meta: { ...x.meta, location: `${emulator.url}/${x.meta.resourceType}s/${x.id}` } };
    }

    function drop(res: http.ServerResponse, record: RequestRecord): void {
        record.status = 0;
        if (opts.verbose) process.stdout.write(`${record.method} ${BASE}${record.path} -> dropped${record.fault ? ` (${record.fault})` : ""}\n`);
        res.socket?.destroy();
    }

    function admin(path: string, res: http.ServerResponse): void {
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body, null, 2));
        };
        if (path === "/_emulator/requests") return json(200, requests.map(({ authorization: _, ...r }) => r));
        if (path === "/_emulator/state") return json(200, { users: [...store.users.values()], groups: [...store.groups.values()] });
        if (path === "/_emulator/stats") return json(200, stats);
        return json(404, { error: "unknown admin path" });
    }

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const sockets = new Set<import("node:net").Socket>();
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });

    const emulator: Emulator = {
        url: `http://127.0.0.1:${port}${BASE}`,
        token,
        port,
        store,
        options: opts,
        requests,
        stats,
        writes: () => requests.filter((r) => r.method !== "GET"),
        failNext: (f) => faults.push({ ...f }),
        clearFaults: () => {
            faults = [];
        },
        clearRequests: () => {
            requests.length = 0;
            stats.maxInFlight = 0;
        },
        seedUser: (u) =>
            store.createUser({
                userName: u.userName,
                name: u.givenName || u.familyName ? { givenName: u.givenName, familyName: u.familyName } : undefined,
                displayName: u.displayName,
                emails: [{ value: u.userName, primary: true, type: "work" }],
                active: u.active ?? true,
                externalId: u.externalId,
            }),
        seedGroup: (g) => store.createGroup({ displayName: g.displayName, members: (g.members ?? []).map((value) => ({ value })) }),
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
    return emulator;
}

function errorBody(status: number, scimType: string | undefined, detail: string): unknown {
    // InVision's wire format is unknown here: RFC 7644 says status is a string; send it as one.
    return { schemas: [SCHEMA.error], status: String(status), ...(scimType ? { scimType } : {}), detail };
}
