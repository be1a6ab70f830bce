import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerCapabilities } from "../../provider/scim/capabilities";
import { ScimError } from "../../provider/scim/errors";
import type { ScimRequest, ScimResponse } from "../../provider/scim/http";
import { Listing } from "../../provider/scim/listing";
import { PeopleBook } from "../../provider/scim/people";
import type { ScimUser } from "../../provider/scim/schemas";
import { Users } from "../../provider/scim/users";

/** A server that answers a create with what it was sent, and stores no externalId (RFC 7643 lets it). */
function echoingServer() {
    const stored = new Map<string, Record<string, unknown>>();
    const requests: string[] = [];
    let next = 1;
    const send = async (req: ScimRequest): Promise<ScimResponse> => {
        requests.push(`${req.method} ${req.path}`);
        if (req.method === "POST") {
            const id = String(next++);
            const body = req.body as Record<string, unknown>;
            const { externalId: _dropped, ...kept } = body;
            stored.set(id, { ...kept, id });
            return { status: 201, data: { ...body, id } } as ScimResponse;
        }
        const id = req.path.split("/").pop()!;
        return { status: 200, data: stored.get(id) } as ScimResponse;
    };
    return { send, requests };
}

describe("Users.create: which answers are trusted without a read-back", () => {
    it("a verdict from a create without externalId does not vouch for an answer's externalId", async () => {
        const server = echoingServer();
        const caps = new ServerCapabilities(100);
        const users = new Users({
            send: server.send,
            capabilities: caps,
            listing: new Listing<ScimUser>("user", async () => ({ items: [] }), (u) => u.userName, caps),
            people: new PeopleBook(),
        });
        await users.create({ userName: "ann@example.com", active: true });
        assert.equal(caps.facts.answersMatchStore.user, "yes");
        const bob = await users.create({ userName: "bob@example.com", active: true, externalId: "okta-42" });
        assert.equal(bob.externalId ?? undefined, undefined, "the server stored no externalId; the echoed answer must not be recorded as stored");
        const cid = await users.create({ userName: "cid@example.com", active: true, externalId: "okta-43" });
        assert.equal(cid.externalId ?? undefined, undefined);
    });

    it("once a field has been read back and matched, later creates with it cost one request", async () => {
        const server = echoingServer();
        const caps = new ServerCapabilities(100);
        const users = new Users({ send: server.send, capabilities: caps, listing: new Listing<ScimUser>("user", async () => ({ items: [] }), (u) => u.userName, caps), people: new PeopleBook() });
        await users.create({ userName: "ann@example.com", active: true, givenName: "Ann" });
        await users.create({ userName: "bob@example.com", active: true, givenName: "Bob" });
        await users.create({ userName: "cid@example.com", active: true });
        assert.deepEqual(server.requests, ["POST /Users", "GET /Users/1", "POST /Users", "POST /Users"]);
    });
});

describe("Users.create: the first read-back checks whom the id names", () => {
    it("an answered id that belongs to someone else is a silent failure, not a create", async () => {
        // SSO inactive on some servers: 201 with an id, nothing stored; the id is another person's.
        const send = async (req: ScimRequest): Promise<ScimResponse> => {
            if (req.method === "POST") return { status: 201, data: { ...(req.body as object), id: "7" } } as ScimResponse;
            return { status: 200, data: { id: "7", userName: "someone.else@example.com", active: true } } as ScimResponse;
        };
        const caps = new ServerCapabilities(100);
        const users = new Users({ send, capabilities: caps, listing: new Listing<ScimUser>("user", async () => ({ items: [] }), (u) => u.userName, caps), people: new PeopleBook() });
        await assert.rejects(() => users.create({ userName: "ann@example.com", active: true }), (e: Error) => e.name === "SilentFailureError" && /ann@example\.com/.test(e.message));
        assert.notEqual(caps.facts.answersMatchStore.user, "yes");
    });
});

/** A tiny tenant behind `send`, for what the shared listing serves after our own writes. */
function tenantServer(n: number) {
    const users = new Map<string, Record<string, unknown>>();
    for (let i = 1; i <= n; i++) users.set(String(i), { id: String(i), userName: `u${i}@example.com`, active: true });
    const send = async (req: ScimRequest): Promise<ScimResponse> => {
        const id = req.path.split("/")[2];
        if (req.method === "GET" && !id) return { status: 200, data: { totalResults: users.size, Resources: [...users.values()].map((u) => ({ ...u })) } } as ScimResponse;
        if (req.method === "GET") return users.has(id) ? ({ status: 200, data: { ...users.get(id) } } as ScimResponse) : Promise.reject(new ScimError("gone", 404, undefined, "GET", req.path));
        if (req.method === "PATCH") {
            for (const op of (req.body as { Operations: { path: string; value: unknown }[] }).Operations) users.get(id)![op.path] = op.value;
            return { status: 204, data: undefined } as ScimResponse;
        }
        if (req.method === "DELETE") {
            users.delete(id);
            return { status: 204, data: undefined } as ScimResponse;
        }
        throw new Error(`unexpected ${req.method} ${req.path}`);
    };
    const caps = new ServerCapabilities(100);
    const listing = new Listing<ScimUser>(
        "user",
        async (start, count) => {
            const r = await send({ method: "GET", path: "/Users", query: { startIndex: start, count } });
            const body = r.data as { totalResults: number; Resources: ScimUser[] };
            return { items: body.Resources.slice(start - 1, start - 1 + count), totalResults: body.totalResults };
        },
        (u) => u.userName,
        caps,
    );
    return { send, caps, listing, client: new Users({ send, capabilities: caps, listing, people: new PeopleBook() }) };
}

describe("Users: the shared listing after our own writes", () => {
    it("a read served from the listing shows a deactivation this process made", async () => {
        const t = tenantServer(5);
        await t.client.read("1");
        await t.client.read("2");
        assert.ok(t.listing.current(), "loaded: the tenant fits in one page");
        await t.client.patch("3", { active: false });
        assert.equal((await t.client.read("3"))?.active, false);
    });

    it("a user this process deleted is not found by the next lookup", async () => {
        const t = tenantServer(5);
        await t.client.read("1");
        await t.client.read("2");
        assert.ok(t.listing.current());
        await t.client.delete("4");
        assert.equal(await t.client.find("u4@example.com"), undefined);
    });
});

describe("FilteredLookup: a server that ignores filters", () => {
    it("answering a userName filter with other users is taken as 'filters unsupported', never as a match", async () => {
        const everyone = [{ id: "1", userName: "ann@example.com" }, { id: "2", userName: "bob@example.com" }];
        const send = async (): Promise<ScimResponse> => ({ status: 200, data: { totalResults: 2, Resources: everyone } }) as ScimResponse;
        const caps = new ServerCapabilities(100);
        const users = new Users({ send, capabilities: caps, listing: new Listing<ScimUser>("user", async () => ({ items: everyone, totalResults: 2 }), (u) => u.userName, caps), people: new PeopleBook() });
        assert.equal(await users.find("cid@example.com"), undefined, "ann is not cid");
        assert.equal(caps.facts.userFilter, "no");
    });
});
