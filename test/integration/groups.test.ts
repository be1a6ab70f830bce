import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calls, count, harnesses, Harness, idsIn } from "../support/provider";

const h = harnesses();

async function withUsers(x: Harness, n: number): Promise<string[]> {
    return Array.from({ length: n }, (_, i) => x.emu.seedUser({ userName: `m${i}@example.com` }).id);
}

const ops = (body: unknown) => (body as { Operations: unknown[] }).Operations;

describe("InVisionGroup against the emulator", () => {
    it("creates a group with members: the members checked, a lookup, the POST, a read-back", async () => {
        const x = await h();
        const [a, b] = await withUsers(x, 2);
        const r = await x.group.create(await x.checkedGroup({ displayName: "Design", members: [a, b] }));
        const sent = calls(x.emu).map((q) => `${q.method} ${q.path.replace(/\/[^/]+$/, (m) => (m === "/Groups" || m === "/Users" ? m : "/{id}"))}`);
        // Members this process has not seen in InVision are looked up first: one deleted by hand is left out of the POST.
        const start = sent.indexOf("GET /Groups");
        assert.ok(start >= 0 && sent.slice(0, start).every((r) => r.startsWith("GET /Users")), sent.join(", "));
        assert.deepEqual(sent.slice(start, start + 3), ["GET /Groups", "POST /Groups", "GET /Groups/{id}"]);
        // Emails come from users, never from a member's display (RFC 7643: a name): members no user
        // resource of this run reported are read from /Users (in a program, their user resources report them).
        assert.ok(sent.slice(start + 3).every((r) => r.startsWith("GET /Users")), sent.join(", "));
        assert.deepEqual(idsIn(r.outs).members, [a, b]);
        assert.deepEqual(idsIn(r.outs).unmanagedMembers, []);
        assert.deepEqual(x.emu.store.getGroup(r.id).members.map((m) => m.value), [a, b]);
    });

    it("a membership change of one user is one PATCH with one operation", async () => {
        const x = await h();
        const [a, b, c] = await withUsers(x, 3);
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Design", members: [a, b] }));
        x.emu.clearRequests();
        await x.group.update(id, outs, await x.checkedGroup({ displayName: "Design", members: [a, b, c] }));
        assert.equal(count(x.emu, "PATCH"), 1);
        assert.deepEqual(ops(x.emu.requests.find((q) => q.method === "PATCH")!.body), [{ op: "add", path: "members", value: [{ value: c }] }]);
        x.emu.clearRequests();
        await x.group.update(id, outs, await x.checkedGroup({ displayName: "Design", members: [b, c] }));
        assert.deepEqual(ops(x.emu.requests.find((q) => q.method === "PATCH")!.body), [{ op: "remove", path: `members[value eq "${a}"]` }]);
        assert.deepEqual(x.emu.store.getGroup(id).members.map((m) => m.value).sort(), [b, c].sort());
    });

    it("authoritative mode removes a member added out of band; additive keeps them", async () => {
        const x = await h();
        const [a, b, intruder] = await withUsers(x, 3);
        const auth = await x.group.create(await x.checkedGroup({ displayName: "Auth", members: [a] }));
        const add = await x.group.create(await x.checkedGroup({ displayName: "Add", members: [b], membershipMode: "additive" }));
        x.emu.store.patchGroup(auth.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: intruder }] }] });
        x.emu.store.patchGroup(add.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: intruder }] }] });
        x.newRun(); // a refresh is a later operation: a new provider process

        const readAuth = await x.group.read(auth.id, auth.outs);
        assert.deepEqual(idsIn(readAuth.props).unmanagedMembers, [intruder]);
        assert.equal(readAuth.inputs, undefined, "a refresh leaves the inputs as declared: the drift is the provider's to name");
        const sameRun = await x.group.diff(auth.id, readAuth.props, await x.checkedGroup({ displayName: "Auth", members: [a] }));
        assert.equal(sameRun.changes, false, "the refresh's run does not act on what it found (up --refresh)");
        x.newRun(); // the next preview and up
        const diff = await x.group.diff(auth.id, readAuth.props, await x.checkedGroup({ displayName: "Auth", members: [a] }));
        assert.equal(diff.changes, true);
        await x.group.update(auth.id, readAuth.props, await x.checkedGroup({ displayName: "Auth", members: [a] }));
        assert.deepEqual(x.emu.store.getGroup(auth.id).members.map((m) => m.value), [a]);

        const readAdd = await x.group.read(add.id, add.outs);
        const d2 = await x.group.diff(add.id, readAdd.props, await x.checkedGroup({ displayName: "Add", members: [b], membershipMode: "additive" }));
        assert.equal(d2.changes, false);
        x.emu.clearRequests();
        await x.group.update(add.id, readAdd.props, await x.checkedGroup({ displayName: "Add", members: [], membershipMode: "additive" }));
        assert.equal(count(x.emu, "PATCH"), 0, "additive never removes");
        assert.equal(x.emu.store.getGroup(add.id).members.length, 2);
    });

    it("renames in place", async () => {
        const x = await h();
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Eng" }));
        x.emu.clearRequests();
        const r = await x.group.update(id, outs, await x.checkedGroup({ displayName: "Engineering" }));
        assert.equal(r.outs.displayName, "Engineering");
        assert.equal(x.emu.store.getGroup(id).displayName, "Engineering");
        assert.deepEqual(ops(x.emu.requests.find((q) => q.method === "PATCH")!.body), [{ op: "replace", path: "displayName", value: "Engineering" }]);
    });

    it("adopts an existing group and brings its members to the declaration", async () => {
        const x = await h();
        const [a, b] = await withUsers(x, 2);
        const g = x.emu.seedGroup({ displayName: "Ops", members: [a] });
        const r = await x.group.create(await x.checkedGroup({ displayName: "Ops", members: [a, b] }));
        assert.equal(r.id, g.id);
        assert.equal(x.emu.store.groups.size, 1);
        assert.equal(count(x.emu, "POST"), 0);
        assert.deepEqual(x.emu.store.getGroup(g.id).members.map((m) => m.value), [a, b]);
        const y = await h();
        y.emu.seedGroup({ displayName: "Ops" });
        await assert.rejects(y.group.create(await y.checkedGroup({ displayName: "Ops", onExisting: "fail" })), /already exists/);
    });

    it("chunks a large membership change", async () => {
        const x = await h();
        const ids = await withUsers(x, 230);
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Big" }));
        x.emu.clearRequests();
        await x.group.update(id, outs, await x.checkedGroup({ displayName: "Big", members: ids }));
        const patches = x.emu.requests.filter((q) => q.method === "PATCH");
        assert.equal(patches.length, 1);
        assert.deepEqual(ops(patches[0].body).map((o) => ((o as { value: unknown[] }).value).length), [100, 100, 30]);
        assert.equal(x.emu.store.getGroup(id).members.length, 230);
    });

    it("a group of 5,000: one member in and one out is 4 requests, diff sends none, and each id is stored once in the outputs", async () => {
        const x = await h();
        const ids = await withUsers(x, 5001);
        const members = ids.slice(0, 5000);
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Everyone", members }));
        assert.equal(x.emu.store.getGroup(id).members.length, 5000);
        const json = JSON.stringify(outs);
        for (const m of [members[0], members[2500], members[4999]]) assert.equal(json.split(m).length - 1, 1, `${m} is stored once`);

        const next = await x.checkedGroup({ displayName: "Everyone", members: [...members.slice(1), ids[5000]] });
        x.emu.clearRequests();
        assert.equal((await x.group.diff(id, outs, next)).changes, true);
        assert.equal(x.emu.requests.length, 0, "diff (and so preview) sends nothing");
        await x.group.update(id, outs, next);
        // The read it is planned on, the addition, the removal (sent on its own: its form may need the fallback), the read-back.
        assert.deepEqual(calls(x.emu).map((q) => q.method), ["GET", "PATCH", "PATCH", "GET"]);
        const held = new Set(x.emu.store.getGroup(id).members.map((m) => m.value));
        assert.equal(held.size, 5000);
        assert.ok(held.has(ids[5000]) && !held.has(members[0]));
    });

    for (const groupGet of [404, 405, 501] as const) {
        it(`reads groups from the list without GET /Groups/{id} (${groupGet})`, async () => {
            const x = await h({ groupGet });
            const [a] = await withUsers(x, 1);
            const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "NoGet", members: [a] }));
            x.newRun();
            const r = await x.group.read(id, outs);
            assert.equal(r.id, id);
            assert.deepEqual(idsIn(r.props).members, [a]);
            x.emu.store.groups.delete(id);
            x.newRun();
            const gone = await x.group.read(id, outs);
            assert.equal(gone.props.gone, true, "kept in state, recorded as gone: the next preview shows it created again");
        });
    }

    it("reads a deleted group as gone", async () => {
        const x = await h();
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Gone" }));
        x.emu.store.groups.delete(id);
        const r = await x.group.read(id, outs);
        assert.equal(r.id, id);
        assert.equal(r.props.gone, true);
        assert.equal(r.props.displayName, "Gone");
    });

    it("a group this run deleted is not adopted by a later create of the same name", async () => {
        const x = await h();
        await x.group.create(await x.checkedGroup({ displayName: "Keep" }));
        const old = await x.group.create(await x.checkedGroup({ displayName: "Again" }));
        await x.group.read(old.id, old.outs); // the shared listing is loaded by now
        await x.group.delete(old.id, old.outs);
        const again = await x.group.create(await x.checkedGroup({ displayName: "Again" }));
        assert.notEqual(again.id, old.id, "recorded the deleted group's id as the new group");
        assert.ok(x.emu.store.groups.has(again.id));
    });

    it("deletes a group; a 404 counts as done; retain sends nothing", async () => {
        const x = await h();
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Tmp" }));
        await x.group.delete(id, outs);
        assert.equal(x.emu.store.groups.size, 0);
        await x.group.delete(id, outs);
        x.emu.clearRequests();
        await x.group.delete("g", { onDelete: "retain" });
        assert.equal(x.emu.requests.length, 0);
    });

    for (const groupDelete of [405, 501, 404] as const) {
        it(`without DELETE /Groups (${groupDelete}) empties the group, keeps it and warns`, async () => {
            const x = await h({ groupDelete });
            const [a, b] = await withUsers(x, 2);
            const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Keep", members: [a, b] }));
            const warnings: string[] = [];
            const orig = process.stderr.write.bind(process.stderr);
            process.stderr.write = ((s: string) => (warnings.push(String(s)), true)) as typeof process.stderr.write;
            try {
                await x.group.delete(id, outs);
            } finally {
                process.stderr.write = orig;
            }
            assert.equal(x.emu.store.getGroup(id).members.length, 0);
            assert.ok(warnings.some((w) => /cannot delete groups.*emptied and kept/.test(w)), warnings.join(""));
        });
    }

    it("finds groups by listing when filters are rejected", async () => {
        const x = await h({ filter: "rejected" });
        const g = x.emu.seedGroup({ displayName: "Listed" });
        const r = await x.group.create(await x.checkedGroup({ displayName: "Listed" }));
        assert.equal(r.id, g.id);
        assert.equal(x.emu.writes().length, 0);
    });

    it("a group create whose response is lost is found, not duplicated (even where names need not be unique)", async () => {
        const x = await h({ uniqueGroupNames: false });
        x.emu.failNext({ count: 1, drop: true, afterProcessing: true, method: "POST" });
        const r = await x.group.create(await x.checkedGroup({ displayName: "Lost" }));
        assert.equal(x.emu.store.groups.size, 1);
        assert.equal(r.id, [...x.emu.store.groups.keys()][0]);
        assert.equal(count(x.emu, "POST"), 1);
    });

    it("a membership change is seen by a later lookup in the same run", async () => {
        const x = await h({ filter: "rejected" });
        const [a, b] = await withUsers(x, 2);
        const g = await x.group.create(await x.checkedGroup({ displayName: "Moved", members: [a] }));
        await x.group.update(g.id, g.outs, await x.checkedGroup({ displayName: "Moved", members: [a, b] }));
        x.emu.clearRequests();
        // The same group adopted under a new resource name, as after a refactor.
        const again = await x.group.create(await x.checkedGroup({ displayName: "Moved", members: [a, b] }));
        assert.equal(again.id, g.id);
        assert.equal(x.emu.writes().length, 0);
        assert.deepEqual(idsIn(again.outs).unmanagedMembers, []);
    });

    it("matches group names case-insensitively and renames to the declared case", async () => {
        const x = await h();
        const g = x.emu.seedGroup({ displayName: "design team" });
        const r = await x.group.create(await x.checkedGroup({ displayName: "Design Team" }));
        assert.equal(r.id, g.id);
        assert.equal(x.emu.store.getGroup(g.id).displayName, "Design Team");
        assert.equal(x.emu.store.groups.size, 1);
    });

    it("an update never removes members when the group read fails", async () => {
        const x = await h({}, { "invision:retryBudgetSeconds": "2" });
        const [a, b] = await withUsers(x, 2);
        const { id, outs } = await x.group.create(await x.checkedGroup({ displayName: "Safe", members: [a, b] }));
        x.emu.failNext({ count: 100, status: 500, method: "GET" });
        await assert.rejects(x.group.update(id, outs, await x.checkedGroup({ displayName: "Safe", members: [a] })));
        assert.equal(count(x.emu, "PATCH"), 0);
        assert.equal(x.emu.store.getGroup(id).members.length, 2);
    });
});
