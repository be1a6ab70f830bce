import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as runtime from "../../provider/runtime";
import { harnesses, Harness, idsIn } from "../support/provider";
import { stderrOf } from "../support/stderr";

/**
 * Issue 14: `up` writes only what the diff of state against the declaration
 * implies (the pull request's preview ran with no token and no refresh).
 * What InVision has that the diff does not cover is left alone and recorded
 * in the outputs. Played on the strictest profile; each test stages a change
 * made by hand in InVision between two runs, straight in the emulator's store.
 */
const h = harnesses();


const seed = (x: Harness, ...names: string[]) => names.map((n) => x.emu.seedUser({ userName: `${n}@example.com` }).id);
const membersOf = (x: Harness, id: string) => x.emu.store.getGroup(id).members.map((m) => String(m.value)).sort();
const bodies = (x: Harness, method: string) => x.emu.requests.filter((r) => r.method === method).map((r) => JSON.stringify(r.body));

describe("a group update writes only what the diff implies (strict profile)", () => {
    it("a member added by hand is kept, recorded as unmanaged and named; the next diff shows her removal", async () => {
        const x = await h({ profile: "strict" });
        const [alice, bob, zoe] = seed(x, "alice", "bob", "zoe");
        const g = await x.group.create(await x.checkedGroup({ displayName: "Design", members: [alice] }));
        // By hand, between runs: zoe is added in InVision's console.
        x.emu.store.getGroup(g.id).members.push({ value: zoe });
        runtime.newRun();
        x.emu.clearRequests();
        const news = await x.checkedGroup({ displayName: "Design", members: [alice, bob] });
        const diffed = await stderrOf(() => x.group.diff(g.id, g.outs, news));
        assert.equal(diffed.result.changes, true);
        assert.doesNotMatch(diffed.err, /zoe/, "the preview cannot know of zoe");
        const { result, err } = await stderrOf(() => x.group.update(g.id, g.outs, news));
        assert.deepEqual(membersOf(x, g.id), [alice, bob, zoe].sort(), "zoe stays: the preview did not show her removal");
        assert.ok(bodies(x, "PATCH").every((b) => !b.includes(`"${zoe}"`)), "no request names zoe");
        assert.deepEqual(idsIn(result.outs).members, [alice, bob]);
        assert.deepEqual(idsIn(result.outs).unmanagedMembers, [zoe]);
        assert.match(err, /group 'Design': 1 member\(s\) in InVision that the program does not declare were not in this run's preview, so they were kept: zoe@example.com/);
        // The next preview names her as a removal, and the `up` after it removes her.
        runtime.newRun();
        // As the engine does: the program declares the resource (check) before it is diffed.
        await x.checkedGroup({ displayName: "Design", members: [alice, bob] });
        const next = await stderrOf(() => x.group.diff(g.id, result.outs, news));
        assert.equal(next.result.changes, true);
        assert.match(next.err, /group 'Design' will remove 1 member\(s\): zoe@example.com \(not declared in the program\)/);
        await stderrOf(() => x.group.update(g.id, result.outs, news));
        assert.deepEqual(membersOf(x, g.id), [alice, bob].sort());
    });

    it("a rename removes nobody, even a member added by hand", async () => {
        const x = await h({ profile: "strict" });
        const [alice, zoe] = seed(x, "alice", "zoe");
        const g = await x.group.create(await x.checkedGroup({ displayName: "Design", members: [alice] }));
        x.emu.store.getGroup(g.id).members.push({ value: zoe });
        runtime.newRun();
        const news = await x.checkedGroup({ displayName: "Product Design", members: [alice] });
        const { result } = await stderrOf(() => x.group.update(g.id, g.outs, news));
        assert.equal(x.emu.store.getGroup(g.id).displayName, "Product Design");
        assert.deepEqual(membersOf(x, g.id), [alice, zoe].sort());
        assert.deepEqual(idsIn(result.outs).unmanagedMembers, [zoe]);
    });

    it("a declared member removed by hand is not re-added unseen: recorded, and the next diff shows it", async () => {
        const x = await h({ profile: "strict" });
        const [alice, bob, carol] = seed(x, "alice", "bob", "carol");
        const g = await x.group.create(await x.checkedGroup({ displayName: "Ops", members: [alice, bob] }));
        const stored = x.emu.store.getGroup(g.id);
        stored.members = stored.members.filter((m) => String(m.value) !== bob);
        runtime.newRun();
        const news = await x.checkedGroup({ displayName: "Ops", members: [alice, bob, carol] });
        const { result, err } = await stderrOf(() => x.group.update(g.id, g.outs, news));
        assert.deepEqual(membersOf(x, g.id), [alice, carol].sort());
        assert.deepEqual(idsIn(result.outs).members, [alice, carol]);
        assert.match(err, /not in the group in InVision.*bob@example.com/);
        const next = await x.group.diff(g.id, result.outs, news);
        assert.equal(next.changes, true);
    });

    it("a removal the diff implies of someone already gone by hand sends nothing", async () => {
        const x = await h({ profile: "strict" });
        const [alice, bob] = seed(x, "alice", "bob");
        const g = await x.group.create(await x.checkedGroup({ displayName: "Ops", members: [alice, bob] }));
        const stored = x.emu.store.getGroup(g.id);
        stored.members = stored.members.filter((m) => String(m.value) !== bob);
        runtime.newRun();
        x.emu.clearRequests();
        const news = await x.checkedGroup({ displayName: "Ops", members: [alice] });
        await stderrOf(() => x.group.update(g.id, g.outs, news));
        assert.equal(x.emu.writes().length, 0);
    });
});

describe("a user update writes only what the diff implies (strict profile)", () => {
    it("a console deactivation survives a name edit, is recorded, and the next diff shows it", async () => {
        const x = await h({ profile: "strict" });
        const u = await x.user.create(await x.checkedUser({ userName: "mallory@example.com", givenName: "Mal" }));
        x.emu.store.getUser(u.id).active = false;
        runtime.newRun();
        x.emu.clearRequests();
        const news = await x.checkedUser({ userName: "mallory@example.com", givenName: "Mallory" });
        const { result, err } = await stderrOf(() => x.user.update(u.id, u.outs, news));
        assert.equal(x.emu.store.getUser(u.id).active, false, "still deactivated: the preview did not show a reactivation");
        assert.equal(x.emu.store.getUser(u.id).name?.givenName, "Mallory");
        assert.ok(bodies(x, "PATCH").every((b) => !/active/i.test(b)), `no PATCH touches active: ${bodies(x, "PATCH")}`);
        assert.equal(result.outs.active, false);
        assert.match(err, /mallory@example.com.*left as it is: deactivated \(declared active: true\)/);
        const next = await x.user.diff(u.id, result.outs, news);
        assert.equal(next.changes, true, "the next preview shows the reactivation");
    });

    it("a reviewed reactivation is applied", async () => {
        const x = await h({ profile: "strict" });
        const u = await x.user.create(await x.checkedUser({ userName: "rea@example.com", active: false }));
        runtime.newRun();
        const { outs } = await x.user.update(u.id, u.outs, await x.checkedUser({ userName: "rea@example.com" }));
        assert.equal(outs.active, true);
        assert.equal(x.emu.store.getUser(u.id).active, true);
    });
});

describe("the deletion guard counts live data on every path (strict and invision-documented)", () => {
    for (const profile of ["strict", "invision-documented"] as const) {
        it(`${profile}: deleting a group counts its live members, hand-added ones too, before anything is sent`, async () => {
            const x = await h({ profile }, { "invision:maxMembershipRemovals": "2" });
            const [alice] = seed(x, "alice");
            const extra = seed(x, ...Array.from({ length: 20 }, (_, i) => `hand${i}`));
            const g = await x.group.create(await x.checkedGroup({ displayName: "Big", members: [alice] }));
            x.emu.store.getGroup(g.id).members.push(...extra.map((value) => ({ value })));
            runtime.newRun();
            x.emu.clearRequests();
            await assert.rejects(stderrOf(() => x.group.delete(g.id, g.outs)), /deleting group 'Big', which removes 21 member\(s\) \(alice@example.com, hand0@example.com.*maxMembershipRemovals/s);
            assert.equal(x.emu.writes().length, 0);
            assert.equal(membersOf(x, g.id).length, 21);
        });

        it(`${profile}: deleting a group names everyone who loses access through it`, async () => {
            const x = await h({ profile });
            const [alice, zoe] = seed(x, "alice", "zoe");
            const g = await x.group.create(await x.checkedGroup({ displayName: "Gone", members: [alice] }));
            x.emu.store.getGroup(g.id).members.push({ value: zoe });
            runtime.newRun();
            const { err } = await stderrOf(() => x.group.delete(g.id, g.outs));
            assert.match(err, /deleting group 'Gone': 2 member\(s\) lose the access it gave them: alice@example.com, zoe@example.com/);
        });
    }

    it("removing a user state believes inactive, reactivated by hand, asks the guard and says so", async () => {
        const x = await h({ profile: "strict" }, { "invision:maxDeactivations": "0" });
        const u = await x.user.create(await x.checkedUser({ userName: "back@example.com", active: false }));
        x.emu.store.getUser(u.id).active = true;
        runtime.newRun();
        x.emu.clearRequests();
        await assert.rejects(stderrOf(() => x.user.delete(u.id, u.outs)), /deactivating user back@example.com.*maxDeactivations/s);
        assert.equal(x.emu.writes().length, 0);
        assert.equal(x.emu.store.getUser(u.id).active, true);
    });

    it("removing a user inactive in state and in InVision costs no budget and sends no write", async () => {
        const x = await h({ profile: "strict" }, { "invision:maxDeactivations": "0" });
        const u = await x.user.create(await x.checkedUser({ userName: "left@example.com", active: false }));
        runtime.newRun();
        x.emu.clearRequests();
        await x.user.delete(u.id, u.outs);
        assert.equal(x.emu.writes().length, 0);
    });

    it("a new resource declared active: false adopting an active account asks the guard and names the person", async () => {
        const x = await h({ profile: "strict" }, { "invision:maxDeactivations": "0" });
        const seeded = x.emu.seedUser({ userName: "adopt@example.com" });
        x.emu.clearRequests();
        await assert.rejects(stderrOf(async () => x.user.create(await x.checkedUser({ userName: "adopt@example.com", active: false }))), /deactivating user adopt@example.com.*maxDeactivations/s);
        assert.equal(x.emu.writes().length, 0);
        assert.equal(x.emu.store.getUser(seeded.id).active, true);

        const y = await h({ profile: "strict" });
        y.emu.seedUser({ userName: "adopt2@example.com" });
        const { err } = await stderrOf(async () => y.user.create(await y.checkedUser({ userName: "adopt2@example.com", active: false })));
        assert.match(err, /deactivating user adopt2@example.com: an existing active account adopted/);
        assert.equal(y.emu.store.userByName("adopt2@example.com")?.active, false);
    });
});
