import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { exportTenant } from "../../provider";
import { ScimClient } from "../../provider/scim/client";
import { calls, count, harnesses, idsIn } from "../support/provider";

/**
 * One test per dialect fallback and per write verification: each sets the
 * emulator to the one behaviour (RFC 7644 allows it, or a known server does
 * it), and asserts the server's final state and the requests sent.
 */
const h = harnesses();
const patches = (emu: Awaited<ReturnType<typeof h>>["emu"]) => emu.requests.filter((r) => r.method === "PATCH");
const opsOf = (body: unknown) => (body as { Operations: { op: string; path?: string; value?: unknown }[] }).Operations;

describe("lookups", () => {
    it("case-exact filter: a miss then a 409 is resolved by a case-insensitive listing, and the user adopted", async () => {
        const { emu, user, checkedUser } = await h({ filterCase: "exact" });
        const seeded = emu.seedUser({ userName: "Erin@Example.com" });
        const r = await user.create(await checkedUser({ userName: "erin@example.com" }));
        assert.equal(r.id, seeded.id);
        assert.equal(emu.store.users.size, 1);
        assert.equal(count(emu, "POST"), 1, "the POST that said 409");
        assert.ok(calls(emu).some((q) => q.status === 409));
    });

    it("hidden deactivated user: found by the id this process saw, adopted and reactivated", async () => {
        const { emu, user, checkedUser } = await h({ inactiveUsers: "hidden" });
        const made = await user.create(await checkedUser({ userName: "gus@example.com" }));
        await user.delete(made.id, made.outs); // deactivated: now hidden from lists and filters
        const back = await user.create(await checkedUser({ userName: "gus@example.com" }));
        assert.equal(back.id, made.id);
        assert.equal(emu.store.getUser(made.id).active, true);
        assert.equal(emu.store.users.size, 1);
    });

    it("hidden deactivated user with no known id: an error that says how to bring them back, and nothing written", async () => {
        const { emu, user, checkedUser } = await h({ inactiveUsers: "hidden" });
        emu.seedUser({ userName: "hal@example.com", active: false });
        await assert.rejects(user.create(await checkedUser({ userName: "hal@example.com" })), /hal@example\.com already exists \(409[^)]*\).*reactivate hal@example\.com in InVision's admin console/s);
        assert.equal(emu.writes().filter((w) => w.status < 300).length, 0);
    });

    it("hidden deactivated user in a listed group: found through the group's member display", async () => {
        const { emu, user, checkedUser } = await h({ inactiveUsers: "hidden" });
        const ida = emu.seedUser({ userName: "ida@example.com", active: false });
        emu.seedGroup({ displayName: "Old team", members: [ida.id] });
        const r = await user.create(await checkedUser({ userName: "ida@example.com" }));
        assert.equal(r.id, ida.id);
        assert.equal(emu.store.getUser(ida.id).active, true);
    });

    it("numeric ids are compared as strings", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ ids: "numeric" });
        const a = await user.create(await checkedUser({ userName: "num@example.com" }));
        assert.equal(typeof a.id, "string");
        const g = await group.create(await checkedGroup({ displayName: "Nums", members: [a.id] }));
        assert.deepEqual(idsIn(g.outs).members, [a.id]);
        const again = await user.create(await checkedUser({ userName: "num@example.com" }));
        assert.equal(again.id, a.id);
        assert.equal(emu.store.users.size, 1);
    });

    it("/ServiceProviderConfig saying filters are unsupported skips the filter; one that lies is overruled by the answers", async () => {
        const honest = await h({ filter: "rejected" });
        honest.emu.seedUser({ userName: "jo@example.com" });
        await honest.user.create(await honest.checkedUser({ userName: "jo@example.com" }));
        assert.equal(honest.emu.requests.filter((q) => q.query.filter !== undefined).length, 0, "the hint saved the probe");
        const liar = await h({ filter: "rejected", serviceProviderConfig: "lying" });
        liar.emu.seedUser({ userName: "jo@example.com" });
        const r = await liar.user.create(await liar.checkedUser({ userName: "jo@example.com" }));
        assert.ok(r.id);
        assert.equal(liar.emu.requests.filter((q) => q.query.filter !== undefined).length, 1, "tried once, then listed");
        assert.equal(liar.emu.writes().length, 0);
    });
});

describe("answers without a body", () => {
    for (const postResponse of ["empty", "empty-no-location"] as const) {
        it(`POST answered 201 with no body (${postResponse}): the user is read from the server`, async () => {
            const { emu, user, checkedUser } = await h({ postResponse });
            const r = await user.create(await checkedUser({ userName: "kim@example.com", givenName: "Kim" }));
            assert.equal(r.id, emu.store.userByName("kim@example.com")!.id);
            assert.equal(r.outs.givenName, "Kim");
            assert.equal(emu.store.users.size, 1);
        });
    }

    it("PATCH answered 204: the change is read back and checked", async () => {
        const { emu, user, checkedUser } = await h({ patchResponse: "no-content" });
        const a = await user.create(await checkedUser({ userName: "lee@example.com", givenName: "Lee" }));
        const r = await user.update(a.id, a.outs, await checkedUser({ userName: "lee@example.com", givenName: "Leo" }));
        assert.equal(r.outs.givenName, "Leo");
        assert.equal(emu.store.getUser(a.id).name?.givenName, "Leo");
    });
});

describe("PATCH spellings", () => {
    it("a server that takes only Entra's capitalised op names: the other spelling after a 400, learned once", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ opCase: "capitalised" });
        const a = await user.create(await checkedUser({ userName: "mo@example.com", givenName: "Mo" }));
        await user.update(a.id, a.outs, await checkedUser({ userName: "mo@example.com", givenName: "Moe" }));
        assert.equal(emu.store.getUser(a.id).name?.givenName, "Moe");
        const g = await group.create(await checkedGroup({ displayName: "Caps" }));
        await group.update(g.id, g.outs, await checkedGroup({ displayName: "Caps", members: [a.id] }));
        assert.deepEqual(emu.store.getGroup(g.id).members.map((m) => m.value), [a.id]);
        const refused = patches(emu).filter((p) => p.status === 400);
        assert.equal(refused.length, 1, "one refusal, then the learned spelling");
        assert.equal(opsOf(patches(emu).at(-1)!.body)[0].op, "Add");
    });

    for (const memberRemoval of ["value-list", "filter-path"] as const) {
        it(`a server that removes members only as ${memberRemoval}: the other form after a 400`, async () => {
            const { emu, user, group, checkedUser, checkedGroup } = await h({ memberRemoval });
            const ids = await Promise.all(["n1", "n2", "n3"].map(async (n) => (await user.create(await checkedUser({ userName: `${n}@example.com` }))).id));
            const g = await group.create(await checkedGroup({ displayName: "Rm", members: ids }));
            const r1 = await group.update(g.id, g.outs, await checkedGroup({ displayName: "Rm", members: [ids[0], ids[1]] }));
            await group.update(g.id, r1.outs, await checkedGroup({ displayName: "Rm", members: [ids[0]] }));
            assert.deepEqual(emu.store.getGroup(g.id).members.map((m) => m.value), [ids[0]]);
            const removals = patches(emu).filter((p) => opsOf(p.body).some((o) => o.op.toLowerCase() === "remove"));
            assert.equal(removals.filter((p) => p.status === 400).length, memberRemoval === "value-list" ? 1 : 0, "refused once, then learned");
            const last = opsOf(removals.at(-1)!.body)[0];
            assert.equal(last.path === "members" ? "value-list" : "filter-path", memberRemoval);
        });
    }

    it("a server that answers 200 to the removal form it ignores: the read-back catches it and the other form is tried", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ memberRemoval: "value-list", ignoreUnsupportedRemoval: true });
        const [a, b] = await Promise.all(["o1", "o2"].map(async (n) => (await user.create(await checkedUser({ userName: `${n}@example.com` }))).id));
        const g = await group.create(await checkedGroup({ displayName: "Liar", members: [a, b] }));
        await group.update(g.id, g.outs, await checkedGroup({ displayName: "Liar", members: [a] }));
        assert.deepEqual(emu.store.getGroup(g.id).members.map((m) => m.value), [a]);
    });

    it("a strict server's 400 noTarget for a member already gone is reconciled by the read-back", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ removeMissingMember: "noTarget" });
        const [a, b] = await Promise.all(["p1", "p2"].map(async (n) => (await user.create(await checkedUser({ userName: `${n}@example.com` }))).id));
        const g = await group.create(await checkedGroup({ displayName: "Gone", members: [a, b] }));
        // Someone removes b in InVision between our read and our PATCH (as a replayed PATCH would find it).
        emu.failNext({ count: 1, method: "PATCH", delayMs: 1 });
        const store = emu.store.getGroup(g.id);
        const r = await group.update(g.id, { ...g.outs }, await checkedGroup({ displayName: "Gone", members: [a] })).catch((e) => e);
        assert.ok(!(r instanceof Error), String(r));
        assert.deepEqual(emu.store.getGroup(g.id).members.map((m) => m.value), [a]);
        assert.ok(store);
    });
});

describe("members a listing leaves out", () => {
    it("are read by id, never taken as none", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ groupListMembers: "omitted", filter: "rejected" });
        const a = emu.seedUser({ userName: "q@example.com" });
        const seeded = emu.seedGroup({ displayName: "Listed", members: [a.id] });
        const r = await group.create(await checkedGroup({ displayName: "Listed", members: [a.id] }));
        assert.equal(r.id, seeded.id);
        assert.deepEqual(idsIn(r.outs).members, [a.id]);
        assert.equal(emu.writes().length, 0, "an absent list read as empty would have re-added the member");
        assert.ok(user);
        assert.ok(checkedUser);
    });

    it("with no GET by id either: operations fail loudly, and export writes no roster", async () => {
        const { emu, group, checkedGroup } = await h({ groupListMembers: "omitted", groupGet: 405, filter: "rejected" });
        const a = emu.seedUser({ userName: "r@example.com" });
        const seeded = emu.seedGroup({ displayName: "Nowhere", members: [a.id] });
        await assert.rejects(group.create(await checkedGroup({ displayName: "Nowhere", members: [] })), /does not show the members of group 'Nowhere'/);
        await assert.rejects(group.read(seeded.id, { members: [a.id], displayName: "Nowhere" }), /does not show the members/);
        assert.deepEqual(emu.store.getGroup(seeded.id).members.map((m) => m.value), [a.id], "nobody removed");
        assert.equal(emu.writes().length, 0);
        const client = new ScimClient({ baseUrl: emu.url, token: emu.token, maxConcurrency: 2, requestTimeoutMs: 5000 });
        await assert.rejects(exportTenant(client), /does not show the members of group 'Nowhere'/);
    });
});

describe("every write is verified", () => {
    it("an externalId the server does not store is an error naming the person, not endless drift", async () => {
        const { user, checkedUser } = await h({ externalId: "ignored" });
        await assert.rejects(user.create(await checkedUser({ userName: "sam@example.com", externalId: "E-1" })), /did not store externalId for sam@example\.com.*Remove externalId/s);
    });

    it("a membership change answered with success and not applied names who still has access", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ memberRemoval: "filter-path", ignoreUnsupportedRemoval: true });
        const [a, b] = await Promise.all(["t1", "t2"].map(async (n) => (await user.create(await checkedUser({ userName: `${n}@example.com` }))).id));
        const g = await group.create(await checkedGroup({ displayName: "Sticky", members: [a, b] }));
        // Both removal forms are answered 200 and ignored: there is nothing left to try.
        (emu.options as { memberRemoval: string }).memberRemoval = "none";
        await assert.rejects(group.update(g.id, g.outs, await checkedGroup({ displayName: "Sticky", members: [a] })), /group 'Sticky'.*t2@example\.com still has access through it/s);
    });

    it("SSO inactive, silent, on a membership change: the read-back fails the update", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h();
        const [a, b] = await Promise.all(["u1", "u2"].map(async (n) => (await user.create(await checkedUser({ userName: `${n}@example.com` }))).id));
        const g = await group.create(await checkedGroup({ displayName: "Silent", members: [a] }));
        (emu.options as { ssoInactive: unknown }).ssoInactive = "silent";
        await assert.rejects(group.update(g.id, g.outs, await checkedGroup({ displayName: "Silent", members: [a, b] })), /u2@example\.com was not added/);
        assert.deepEqual(emu.store.getGroup(g.id).members.map((m) => m.value), [a]);
    });
});

describe("the token", () => {
    it("is scrubbed from an error text that echoes it back", async () => {
        const token = "echo-SECRET-token-77aa1c";
        const server = http.createServer((req, res) => {
            res.writeHead(400, { "Content-Type": "application/scim+json" });
            res.end(JSON.stringify({ status: "400", detail: `bad request with header ${req.headers.authorization} (token ${encodeURIComponent(token)})` }));
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const client = new ScimClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`, token, maxConcurrency: 1, requestTimeoutMs: 5000 });
            const err = await client.users.get("x").catch((e: Error) => e);
            assert.ok(err instanceof Error);
            assert.match(err.message, /\[redacted\]/);
            assert.ok(!err.message.includes(token), err.message);
            assert.ok(!String(err.stack).includes(token));
        } finally {
            server.close();
        }
    });
});

describe("after a 409, a fresh look", () => {
    it("a group someone created after this run listed the groups is adopted, not a failed create", async () => {
        const { emu, group, checkedGroup } = await h({ filter: "rejected" });
        await group.create(await checkedGroup({ displayName: "First" })); // loads the group listing
        const theirs = emu.seedGroup({ displayName: "Second" }); // created elsewhere, after our listing
        const r = await group.create(await checkedGroup({ displayName: "Second" }));
        assert.equal(r.id, theirs.id);
        assert.equal(emu.store.groups.size, 2);
        assert.ok(calls(emu).some((q) => q.method === "POST" && q.status === 409));
    });

    it("a user someone created after this run listed the users is adopted", async () => {
        const { emu, user, checkedUser } = await h({ filter: "rejected" });
        await user.create(await checkedUser({ userName: "first@example.com" }));
        const theirs = emu.seedUser({ userName: "second@example.com" });
        const r = await user.create(await checkedUser({ userName: "second@example.com" }));
        assert.equal(r.id, theirs.id);
        assert.equal(emu.store.users.size, 2);
    });
});
