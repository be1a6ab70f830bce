import assert from "node:assert/strict";
import * as runtime from "../../provider/runtime";
import { describe, it } from "node:test";
import { count, harnesses, Harness, idsIn } from "../support/provider";
import { stderrOf } from "../support/stderr";

/**
 * The safety rails in the provider, against the emulator over HTTP. Each
 * harness is one provider process's run (a fresh budget, no claims).
 */
const h = harnesses();

/** What a new provider process starts with: no claims, no names, a fresh budget (same emulator and settings). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newProcess = () => runtime.newRun();


async function seedUsers(x: Harness, ...names: string[]): Promise<string[]> {
    return names.map((n) => x.emu.seedUser({ userName: `${n}@example.com` }).id);
}

describe("first adoption of a group never removes members", () => {
    it("keeps undeclared members as unmanagedMembers, named; the next diff names them, and update removes them", async () => {
        const x = await h();
        const [alice, xavier, yan] = await seedUsers(x, "alice", "xavier", "yan");
        const g = x.emu.seedGroup({ displayName: "Ops", members: [alice, xavier, yan] });
        const aliceUser = await x.user.create(await x.checkedUser({ userName: "alice@example.com" }));

        const { result: created, err } = await stderrOf(async () => x.group.create(await x.checkedGroup({ displayName: "Ops", members: [aliceUser.id] })));
        assert.equal(created.id, g.id);
        assert.equal(count(x.emu, "PATCH", /^\/Groups/), 0, "no membership write at adoption");
        assert.deepEqual(x.emu.store.getGroup(g.id).members.map((m) => m.value).sort(), [alice, xavier, yan].sort());
        assert.deepEqual(idsIn(created.outs).members, [alice]);
        assert.deepEqual(idsIn(created.outs).unmanagedMembers, [xavier, yan]);
        // Members are emails, their ids beside them: each stored once.
        assert.deepEqual(created.outs.members, ["alice@example.com"]);
        assert.deepEqual(created.outs.unmanagedMembers, ["xavier@example.com", "yan@example.com"]);
        assert.equal(created.outs.memberEmails, undefined);
        assert.equal(created.outs.memberNames, undefined);
        assert.match(err, /group 'Ops' adopted with 2 member\(s\) the program does not declare, kept for now: xavier@example.com, yan@example.com/);

        // The next run: a new process, so names come from state alone. Diff sends nothing and names who goes.
        newProcess();
        x.emu.clearRequests();
        const { result: d, err: warned } = await stderrOf(async () => x.group.diff(g.id, created.outs, await x.checkedGroup({ displayName: "Ops", members: [alice] })));
        assert.equal(d.changes, true);
        assert.match(warned, /warning: \[invision\] group 'Ops' will remove 2 member\(s\): xavier@example.com \(not declared in the program\), yan@example.com \(not declared in the program\)/);
        assert.equal(x.emu.requests.filter((r) => r.method === "PATCH").length, 0);

        await x.group.update(g.id, created.outs, await x.checkedGroup({ displayName: "Ops", members: [alice] }));
        assert.deepEqual(x.emu.store.getGroup(g.id).members.map((m) => m.value), [alice]);
    });

    it("a group the create made new gets exactly the declared members", async () => {
        const x = await h();
        const [a] = await seedUsers(x, "a");
        const r = await x.group.create(await x.checkedGroup({ displayName: "Fresh", members: [a] }));
        assert.deepEqual(idsIn(r.outs).unmanagedMembers, []);
    });
});

describe("hand-over protection from diff", () => {
    it("a still-declared resource that is diffed claims its user: the old resource's delete is skipped, in a new process", async () => {
        const x = await h();
        const old = await x.user.create(await x.checkedUser({ userName: "moved@example.com" }));
        const moved = await x.user.create(await x.checkedUser({ userName: "moved@example.com" }));
        // The run failed here, before the old resource's delete. The next run is a new process:
        newProcess();
        const d = await x.user.diff(moved.id, moved.outs, await x.checkedUser({ userName: "moved@example.com" }));
        assert.equal(d.changes, false);
        x.emu.clearRequests();
        const { err } = await stderrOf(() => x.user.delete(old.id, old.outs));
        assert.equal(x.emu.writes().length, 0);
        assert.equal(x.emu.store.getUser(old.id).active, true);
        assert.match(err, /now managed by another resource/);
    });
    it("a diff that replaces its resource claims nothing: the replaced account goes as onDelete says", async () => {
        const x = await h();
        const u = await x.user.create(await x.checkedUser({ userName: "old@example.com" }));
        const { result: d, err } = await stderrOf(async () => x.user.diff(u.id, u.outs, await x.checkedUser({ userName: "new@example.com" })));
        assert.deepEqual(d.replaces, ["userName"]);
        assert.match(err, /user old@example.com will be replaced by new@example.com: the account old@example.com will be deactivated/);
        await stderrOf(() => x.user.delete(u.id, u.outs));
        assert.equal(x.emu.store.getUser(u.id).active, false);
    });
});

describe("deletion guard", () => {
    it("deactivates at most maxDeactivations users in a run; the rest fail before any request", async () => {
        const x = await h({}, { "invision:maxDeactivations": "2" });
        const users = await Promise.all(["a", "b", "c", "d"].map(async (n) => x.user.create(await x.checkedUser({ userName: `${n}@example.com` }))));
        x.emu.clearRequests();
        const results = await stderrOf(() => Promise.allSettled(users.map((u) => x.user.delete(u.id, u.outs))));
        const refused = results.result.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
        assert.equal(refused.length, 2);
        assert.equal(x.emu.writes().length, 2, "only the allowed deactivations were sent");
        assert.equal([...x.emu.store.users.values()].filter((u) => u.active === false).length, 2);
        assert.match(String(refused[1].reason.message), /invision:maxDeactivations.*2 refused so far/s);
    });
    it("a deactivation by update counts too, and reads the live user first", async () => {
        const x = await h({}, { "invision:maxDeactivations": "0" });
        const u = await x.user.create(await x.checkedUser({ userName: "off@example.com" }));
        x.emu.clearRequests();
        await assert.rejects(x.user.update(u.id, u.outs, await x.checkedUser({ userName: "off@example.com", active: false })), /deactivating user off@example.com.*INVISION_MAX_DEACTIVATIONS/s);
        assert.equal(x.emu.writes().length, 0);
        assert.equal(x.emu.store.getUser(u.id).active, true);
    });
    it("removes at most maxMembershipRemovals memberships; a group update past it sends nothing", async () => {
        const x = await h({}, { "invision:maxMembershipRemovals": "3" });
        const ids = await seedUsers(x, "m1", "m2", "m3", "m4", "m5");
        const a = await x.group.create(await x.checkedGroup({ displayName: "A", members: ids.slice(0, 2) }));
        const b = await x.group.create(await x.checkedGroup({ displayName: "B", members: ids }));
        x.emu.clearRequests();
        await x.group.update(a.id, a.outs, await x.checkedGroup({ displayName: "A", members: [] }));
        await assert.rejects(x.group.update(b.id, b.outs, await x.checkedGroup({ displayName: "B Renamed", members: [] })), /removing 5 member\(s\) from group 'B Renamed'.*invision:maxMembershipRemovals.*INVISION_MAX_MEMBERSHIP_REMOVALS.*5 refused so far/s);
        assert.equal(x.emu.store.getGroup(b.id).members.length, 5);
        assert.equal(x.emu.store.getGroup(b.id).displayName, "B", "nothing of a refused update is sent, not even the rename");
        // Deleting a group removes its members' access through it: counted too.
        await assert.rejects(x.group.delete(b.id, b.outs), /maxMembershipRemovals/);
        assert.ok(x.emu.store.getGroup(b.id));
    });
    it("the bound holds across parallel operations", async () => {
        const x = await h({ latencyMs: 10 }, { "invision:maxDeactivations": "3" });
        const users = await Promise.all(Array.from({ length: 8 }, async (_, i) => x.user.create(await x.checkedUser({ userName: `p${i}@example.com` }))));
        x.emu.clearRequests();
        await stderrOf(() => Promise.allSettled(users.map((u) => x.user.delete(u.id, u.outs))));
        assert.equal(count(x.emu, "PATCH"), 3);
    });
    it("a default bound applies when none is set", async () => {
        const x = await h();
        const users = await Promise.all(Array.from({ length: 12 }, async (_, i) => x.user.create(await x.checkedUser({ userName: `d${i}@example.com` }))));
        const results = await stderrOf(() => Promise.allSettled(users.map((u) => x.user.delete(u.id, u.outs))));
        assert.equal(results.result.filter((r) => r.status === "rejected").length, 2);
    });
});

describe("preview needs no token", () => {
    it("check and diff work with no connection settings at all", async () => {
        const x = await h({}, { "invision:scimToken": "", "invision:scimBaseUrl": "" });
        const saved = { t: process.env.INVISION_SCIM_TOKEN, u: process.env.INVISION_SCIM_BASE_URL };
        delete process.env.INVISION_SCIM_TOKEN;
        delete process.env.INVISION_SCIM_BASE_URL;
        try {
            const inputs = await x.checkedUser({ userName: "nt@example.com" });
            const d = await x.user.diff("id1", { ...inputs, active: true }, { ...inputs, active: false });
            assert.equal(d.changes, true);
            const gi = await x.checkedGroup({ displayName: "G", members: ["id1"] });
            assert.equal((await x.group.diff("g1", { displayName: "G", members: ["id1"], unmanagedMembers: ["id2"], memberEmails: ["", "z@example.com"] }, gi)).changes, true);
            await assert.rejects(x.user.create(inputs), /invision:scimToken/);
            assert.equal(x.emu.requests.length, 0);
        } finally {
            if (saved.t !== undefined) process.env.INVISION_SCIM_TOKEN = saved.t;
            if (saved.u !== undefined) process.env.INVISION_SCIM_BASE_URL = saved.u;
        }
    });
});
