import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EmuGroup, EmuUser, ScimProblem, Store } from "./store";

/** Answers for the operations InVision may not have: "supported", or the status a missing one returns. */
export type Support = "supported" | 400 | 403 | 404 | 405 | 501;

export interface EmulatorOptions {
    /** Port on 127.0.0.1; 0 (default) picks a free one. */
    port?: number;
    /** The bearer token it accepts; a random one by default. */
    token?: string;
    /** Default and maximum page size. */
    pageSize?: number;
    /**
     * "standard": RFC 7644 paging. "none": everything in one response, startIndex/count ignored
     * (InVision's documented behaviour). "ignore-start": always returns the first page, of `count` items
     * (uncapped). "capped": like "ignore-start" but never more than pageSize items: a server whose
     * lists cannot be read whole.
     * "no-total": standard paging without totalResults.
     */
    pagination?: "standard" | "none" | "ignore-start" | "capped" | "no-total";
    /** Group names unique (409 on a duplicate), as most SCIM servers; InVision does not say. */
    uniqueGroupNames?: boolean;
    /** "ignored": PATCH/PUT of `active` answers 200 and changes nothing. */
    activeEdits?: "applied" | "ignored";
    /** Filters: honoured, rejected with 400 invalidFilter, or silently ignored (everything returned). */
    filter?: "supported" | "rejected" | "ignored";
    groupGet?: Support;
    groupDelete?: Support;
    userDelete?: Support;
    /** "v7": email and name edits are accepted (200) and not applied, as InVision V7 does. */
    version?: "v6" | "v7";
    /** SSO not active: "reject" answers 403; "silent" answers 2xx and stores nothing. */
    ssoInactive?: false | "reject" | "silent";
    /** Added to every SCIM response. */
    latencyMs?: number;
    /** Print one line per request to stdout (the standalone emulator). */
    verbose?: boolean;
}

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
}

export interface Emulator {
    /** The SCIM root, e.g. http://127.0.0.1:40123/scim/v2 */
    readonly url: string;
    readonly token: string;
    readonly port: number;
    readonly store: Store;
    readonly options: EmulatorOptions;
    /** Every SCIM request received, in order (admin calls excluded). */
    readonly requests: RequestRecord[];
    /** Requests other than GET. */
    writes(): RequestRecord[];
    /** The most SCIM requests it was serving at once: shows the client's concurrency limit at work. */
    readonly stats: { inFlight: number; maxInFlight: number };
    failNext(fault: Fault): void;
    clearRequests(): void;
    /** Adds a user directly (no request logged). */
    seedUser(user: { userName: string; givenName?: string; familyName?: string; displayName?: string; active?: boolean; externalId?: string }): EmuUser;
    seedGroup(group: { displayName: string; members?: string[] }): EmuGroup;
    close(): Promise<void>;
}

const BASE = "/scim/v2";
const MEDIA = "application/scim+json";

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const opts: EmulatorOptions = { pageSize: 100, pagination: "standard", uniqueGroupNames: true, activeEdits: "applied", filter: "supported", groupGet: "supported", groupDelete: "supported", userDelete: "supported", version: "v6", ssoInactive: false, latencyMs: 0, ...options };
    const token = options.token ?? randomBytes(24).toString("base64url");
    const store = new Store(() => ({ uniqueGroupNames: opts.uniqueGroupNames !== false, ignoreActive: opts.activeEdits === "ignored" }));
    const requests: RequestRecord[] = [];
    let faults: Fault[] = [];
    const stats = { inFlight: 0, maxInFlight: 0 };

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
        if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));

        const fault = takeFault(record);
        if (fault?.drop && !fault.afterProcessing) return drop(res, record);
        if (fault?.status) {
            const headers: Record<string, string> = fault.retryAfter ? { "Retry-After": fault.retryAfter } : {};
            return send(res, record, fault.status, errorBody(fault.status, fault.status === 429 ? "tooMany" : undefined, "injected fault"), headers);
        }

        let status: number;
        let out: unknown;
        try {
            [status, out] = route(record, req.headers.authorization);
        } catch (e) {
            if (!(e instanceof ScimProblem)) throw e;
            [status, out] = [e.status, errorBody(e.status, e.scimType, e.message)];
        }
        if (fault?.drop) return drop(res, record);
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        send(res, record, status, out);
    }

    function takeFault(r: RequestRecord): Fault | undefined {
        const f = faults.find((x) => x.count > 0 && (!x.method || x.method === r.method) && (!x.path || x.path.test(r.path)));
        if (!f) return undefined;
        f.count--;
        faults = faults.filter((x) => x.count > 0);
        return f;
    }

    function route(r: RequestRecord, authorization: string | undefined): [number, unknown] {
        if (authorization !== `Bearer ${token}`) return [401, errorBody(401, undefined, "Invalid bearer token")];
        if (opts.ssoInactive === "reject") return [403, errorBody(403, undefined, "SAML SSO is not active for this team")];
        const silent = opts.ssoInactive === "silent";
        const [, collection, id, extra] = r.path.split("/");
        if (extra !== undefined) throw new ScimProblem(404, undefined, "no such endpoint");
        const b = (typeof r.body === "object" && r.body !== null ? r.body : {}) as Record<string, unknown>;

        if (collection === "ServiceProviderConfig") {
            return [200, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], patch: { supported: true }, filter: { supported: opts.filter === "supported", maxResults: opts.pageSize }, bulk: { supported: false }, changePassword: { supported: false }, sort: { supported: false }, etag: { supported: false } }];
        }
        if (collection === "Users") {
            if (!id) {
                if (r.method === "GET") return [200, list([...store.users.values()], r.query)];
                if (r.method === "POST") return silent ? [201, { ...b, id: "00000000-0000-0000-0000-000000000000", active: true }] : [201, store.createUser(b)];
                return [405, errorBody(405, undefined, "method not allowed")];
            }
            switch (r.method) {
                case "GET":
                    return [200, store.getUser(id)];
                case "PATCH":
                    return [200, silent ? store.getUser(id) : store.patchUser(id, r.body, opts.version === "v7")];
                case "PUT":
                    return [200, silent ? store.getUser(id) : store.putUser(id, b, opts.version === "v7")];
                case "DELETE":
                    if (opts.userDelete !== "supported") return unsupported(opts.userDelete!, "Deleting users requires InVision Support");
                    if (!silent) store.deleteUser(id);
                    return [204, undefined];
            }
            return [405, errorBody(405, undefined, "method not allowed")];
        }
        if (collection === "Groups") {
            if (!id) {
                if (r.method === "GET") return [200, list([...store.groups.values()], r.query)];
                if (r.method === "POST") return silent ? [201, { ...b, id: "00000000-0000-0000-0000-000000000000" }] : [201, store.createGroup(b)];
                return [405, errorBody(405, undefined, "method not allowed")];
            }
            switch (r.method) {
                case "GET":
                    if (opts.groupGet !== "supported") return unsupported(opts.groupGet!, "GET /Groups/{id} is not supported");
                    return [200, store.getGroup(id)];
                case "PATCH":
                    return [200, silent ? store.getGroup(id) : store.patchGroup(id, r.body)];
                case "DELETE":
                    if (opts.groupDelete !== "supported") return unsupported(opts.groupDelete!, "DELETE /Groups/{id} is not supported");
                    if (!silent) store.deleteGroup(id);
                    return [204, undefined];
            }
            return [405, errorBody(405, undefined, "method not allowed")];
        }
        throw new ScimProblem(404, undefined, `no such endpoint ${r.path}`);
    }

    function unsupported(status: Exclude<Support, "supported">, detail: string): [number, unknown] {
        return [status, errorBody(status, undefined, detail)];
    }

    function list(all: (EmuUser | EmuGroup)[], q: Record<string, string>): unknown {
        let items = all;
        if (q.filter !== undefined) {
            if (opts.filter === "rejected") throw new ScimProblem(400, "invalidFilter", "Filtering is not supported");
            if (opts.filter === "supported") items = store.query(all, q.filter);
        }
        const max = opts.pageSize!;
        const total = items.length;
        if (opts.pagination === "none") {
            return { schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: total, startIndex: 1, itemsPerPage: total, Resources: items };
        }
        const asked = Math.max(0, Number.parseInt(q.count ?? String(max), 10) || max);
        const count = opts.pagination === "ignore-start" ? asked : Math.min(max, asked);
        const start = opts.pagination === "ignore-start" || opts.pagination === "capped" ? 1 : Math.max(1, Number.parseInt(q.startIndex ?? "1", 10) || 1);
        const page = items.slice(start - 1, start - 1 + count);
        const body: Record<string, unknown> = { schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], startIndex: start, itemsPerPage: page.length, Resources: page };
        if (opts.pagination !== "no-total") body.totalResults = total;
        return body;
    }

    function send(res: http.ServerResponse, record: RequestRecord, status: number, body: unknown, headers: Record<string, string> = {}): void {
        record.status = status;
        if (opts.verbose) process.stdout.write(`${record.method} ${BASE}${record.path} -> ${status}\n`);
        const text = body === undefined ? "" : JSON.stringify(withLocation(body));
        res.writeHead(status, { ...(text ? { "Content-Type": MEDIA } : {}), ...headers });
        res.end(text);
    }

    function withLocation(body: unknown): unknown {
        const b = body as { id?: string; meta?: { resourceType?: string } };
        if (b && b.id && b.meta?.resourceType) {
            return { ...b, meta: { ...b.meta, location: `${emulator.url}/${b.meta.resourceType}s/${b.id}` } };
        }
        return body;
    }

    function drop(res: http.ServerResponse, record: RequestRecord): void {
        record.status = 0;
        res.socket?.destroy();
    }

    function admin(path: string, res: http.ServerResponse): void {
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body, null, 2));
        };
        if (path === "/_emulator/requests") return json(200, requests.map(({ authorization: _, ...r }) => r));
        if (path === "/_emulator/state") return json(200, { users: [...store.users.values()], groups: [...store.groups.values()] });
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
    return { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), ...(scimType ? { scimType } : {}), detail };
}
