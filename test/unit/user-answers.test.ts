import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerCapabilities } from "../../provider/scim/capabilities";
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
