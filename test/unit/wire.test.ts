import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeFailure } from "../../provider/scim/errors";
import { collectAll } from "../../provider/scim/pagination";
import { filterLiteral, memberPatches, userBody, userPatch } from "../../provider/scim/patch";
import { scimUserSchema } from "../../provider/scim/schemas";

describe("PATCH builders", () => {
    it("one member added is one request with one operation", () => {
        assert.deepEqual(memberPatches(["u1"], []), [[{ op: "add", path: "members", value: [{ value: "u1" }] }]]);
    });
    it("removal uses a value filter path, escaped", () => {
        assert.deepEqual(memberPatches([], ['a"b']), [[{ op: "remove", path: 'members[value eq "a\\"b"]' }]]);
    });
    it("chunks large changes", () => {
        const add = Array.from({ length: 250 }, (_, i) => `u${i}`);
        const reqs = memberPatches(add, ["x", "y"], 100);
        assert.equal(reqs.length, 1);
        assert.equal(reqs[0].length, 5);
        assert.equal((reqs[0][2].value as unknown[]).length, 50);
        const many = memberPatches([], Array.from({ length: 230 }, (_, i) => `r${i}`), 100);
        assert.deepEqual(many.map((r) => r.length), [100, 100, 30]);
    });
    it("never replaces the member list", () => {
        for (const ops of memberPatches(["a"], ["b"])) for (const op of ops) assert.notEqual(op.op, "replace");
    });
    it("user patch and body", () => {
        assert.deepEqual(userPatch({ active: false, givenName: "A" }), [
            { op: "replace", path: "name.givenName", value: "A" },
            { op: "replace", path: "active", value: false },
        ]);
        const body = userBody({ userName: "a@b.co", active: true, givenName: "A" });
        assert.deepEqual(body.emails, [{ value: "a@b.co", primary: true, type: "work" }]);
        assert.deepEqual(body.name, { givenName: "A", familyName: undefined });
    });
    it("filter literals escape backslashes and quotes", () => assert.equal(filterLiteral('a\\"'), '"a\\\\\\""'));
});

describe("errors", () => {
    it("maps statuses, string or number, to advice", () => {
        assert.match(describeFailure("GET", "/Users", 401, { status: "401", detail: "bad" }).message, /token was refused/);
        assert.match(describeFailure("GET", "/Users", 403, { status: 403 }).message, /SSO/);
        const c = describeFailure("POST", "/Users", 409, { status: "409", scimType: "uniqueness", detail: "exists" });
        assert.equal(c.scimType, "uniqueness");
        // The server's reason is kept; no remedy is guessed (a 409 that reaches a person is one the client could not resolve).
        assert.match(c.message, /409 \(uniqueness\): exists\. InVision already holds an object with this name\./);
        assert.doesNotMatch(c.message, /onExisting/);
        assert.match(describeFailure("GET", "/Users", 429, undefined).message, /rate limiting/);
        assert.match(describeFailure("GET", "/Users", 502, "oops").message, /temporary/);
    });
});

describe("schemas", () => {
    it("reads active as a boolean or a string", () => {
        assert.equal(scimUserSchema.parse({ id: "1", userName: "a", active: "False" }).active, false);
        assert.equal(scimUserSchema.parse({ id: "1", userName: "a", active: true, extra: { x: 1 } }).active, true);
        assert.equal(scimUserSchema.safeParse({ userName: "a" }).success, false);
    });
});

describe("collectAll", () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ id: `i${i}` }));
    const standard = async (start: number, count: number) => ({ items: items.slice(start - 1, start - 1 + count), totalResults: items.length });
    it("walks standard pages", async () => {
        let calls = 0;
        const all = await collectAll(async (s, c) => (calls++, standard(s, c)), 10);
        assert.equal(all.length, 23);
        assert.equal(calls, 3);
    });
    it("asks for everything at once when the server ignores startIndex", async () => {
        let calls = 0;
        const all = await collectAll(async (_s, c) => (calls++, { items: items.slice(0, c), totalResults: 23 }), 10);
        assert.equal(all.length, 23);
        assert.equal(calls, 3);
    });
    it("refuses a list it cannot read whole", async () => {
        await assert.rejects(collectAll(async () => ({ items: items.slice(0, 10), totalResults: 23 }), 10), /reported 23 results but returned only 10/);
        await assert.rejects(collectAll(async (s, c) => ({ items: s > 10 ? [] : items.slice(s - 1, s - 1 + c), totalResults: 23 }), 10), /only 10/);
    });
    it("terminates with no totalResults, past short pages", async () => {
        // A server that caps pages at 7 while we ask for 10, and says no total.
        let calls = 0;
        const all = await collectAll(async (s) => (calls++, { items: items.slice(s - 1, s - 1 + 7) }), 10);
        assert.equal(all.length, 23);
        assert.equal(calls, 5);
    });
    it("terminates when the server returns everything at once", async () => {
        let calls = 0;
        const all = await collectAll(async () => (calls++, { items, totalResults: 23 }), 10);
        assert.equal(all.length, 23);
        assert.equal(calls, 1);
    });
    it("refuses to loop forever", async () => {
        let n = 0;
        await assert.rejects(collectAll(async () => ({ items: [{ id: `x${n++}` }] }), 1, 50), /did not end after 50 pages/);
    });
});
