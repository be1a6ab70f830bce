import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as runtime from "../../provider/runtime";
import { count, harnesses, idsIn } from "../support/provider";

/**
 * Issue 15: a group's members are people's emails. A member may be someone
 * the program does not declare as an InVisionUser (provisioned by Okta or
 * Entra ID): their id is found at apply, from the run's listings. Played on
 * the strict profile (case-exact filters, numeric ids, members left out of
 * group lists).
 */
const h = harnesses();

describe("group members by email (strict profile)", () => {
    it("creates and changes a group of people the program does not declare", async () => {
        const x = await h({ profile: "strict" });
        const ids = ["ann", "ben", "cat"].map((n) => x.emu.seedUser({ userName: `${n}@example.com` }).id);
        const g = await x.group.create(await x.checkedGroup({ displayName: "Outsiders", members: ["ann@example.com", "Ben@Example.com"] }));
        assert.deepEqual(x.emu.store.getGroup(g.id).members.map((m) => String(m.value)).sort(), [ids[0], ids[1]].sort());
        assert.deepEqual(g.outs.members, ["ann@example.com", "Ben@Example.com"], "as declared");
        assert.deepEqual(idsIn(g.outs).members, [ids[0], ids[1]]);

        runtime.newRun();
        const news = await x.checkedGroup({ displayName: "Outsiders", members: ["ann@example.com", "cat@example.com"] });
        assert.equal((await x.group.diff(g.id, g.outs, news)).changes, true);
        x.emu.clearRequests();
        const u = await x.group.update(g.id, g.outs, news);
        assert.deepEqual(x.emu.store.getGroup(g.id).members.map((m) => String(m.value)).sort(), [ids[0], ids[2]].sort());
        assert.deepEqual(u.outs.members, ["ann@example.com", "cat@example.com"]);
        // ben leaves by the id state recorded; cat is looked up once.
        assert.ok(count(x.emu, "GET", /^\/Users/) <= 1, JSON.stringify(x.emu.requests.map((r) => `${r.method} ${r.path}`)));
        assert.equal((await x.group.diff(g.id, u.outs, news)).changes, false);
    });

    it("an email nobody in InVision has fails the create and the update, naming it, with nothing written to the group", async () => {
        const x = await h({ profile: "strict" });
        x.emu.seedUser({ userName: "ann@example.com" });
        x.emu.clearRequests();
        await assert.rejects(
            x.group.create(await x.checkedGroup({ displayName: "Typo", members: ["ann@example.com", "zed@example.com"] })),
            /group 'Typo' lists 1 member\(s\) that no InVision user has as email: zed@example.com\. Nothing was written to this group/,
        );
        assert.equal(x.emu.writes().length, 0);

        const g = await x.group.create(await x.checkedGroup({ displayName: "Real", members: ["ann@example.com"] }));
        runtime.newRun();
        x.emu.clearRequests();
        await assert.rejects(x.group.update(g.id, g.outs, await x.checkedGroup({ displayName: "Real renamed", members: ["nobody@example.com"] })), /nobody@example.com/);
        assert.equal(x.emu.writes().length, 0, "not even the rename, nor the removal of ann");
        assert.equal(x.emu.store.getGroup(g.id).displayName, "Real");
    });

    it("ids still work, and a program switching from ids to emails changes nothing", async () => {
        const x = await h({ profile: "strict" });
        const ann = x.emu.seedUser({ userName: "ann@example.com" }).id;
        const g = await x.group.create(await x.checkedGroup({ displayName: "Ids", members: [ann] }));
        assert.deepEqual(g.outs.members, ["ann@example.com"], "an email where InVision has one");
        runtime.newRun();
        const byEmail = await x.checkedGroup({ displayName: "Ids", members: ["ANN@example.com"] });
        assert.equal((await x.group.diff(g.id, g.outs, byEmail)).changes, false);
        // State written before members were emails: ids, with their emails beside them.
        const older = { displayName: "Ids", members: [ann], unmanagedMembers: [], memberEmails: ["ann@example.com"] };
        assert.equal((await x.group.diff(g.id, older, byEmail)).changes, false);
        x.emu.clearRequests();
        await x.group.update(g.id, older, byEmail);
        assert.equal(x.emu.writes().length, 0);
    });

    it("check refuses a malformed email member and a person listed twice in two spellings", async () => {
        const x = await h({ profile: "strict" });
        const r = await x.group.check({}, { displayName: "G", members: ["ann@", "bob@example.com", "BOB@example.com"] });
        assert.deepEqual(
            r.failures?.map((f) => f.property),
            ["members[0]", "members[2]"],
        );
    });
});
