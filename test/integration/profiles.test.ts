import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { PROFILE_NAMES } from "../../provider/emulator";
import { calls, harnesses, idsIn } from "../support/provider";

/**
 * Issue 7's lifecycle against every server profile the emulator plays. Each
 * step is a separate `pulumi` operation (a fresh provider process, so
 * nothing learned or listed carries over), and each step checks what the
 * emulator now holds, not what the provider said. A step either leaves the
 * server exactly as declared or fails with an error a person can act on.
 */
const h = harnesses();
const figures: string[] = [];
after(() => {
    if (figures.length) process.stdout.write(`# requests per lifecycle (SCIM requests incl. the /ServiceProviderConfig probe per run):\n${figures.map((f) => `#   ${f}`).join("\n")}\n`);
});

for (const profile of PROFILE_NAMES) {
    describe(`the lifecycle on the ${profile} profile`, () => {
        it("leaves the server exactly as declared, or says what to do", async () => {
            const x = await h({ profile });
            const { emu, user, group, checkedUser, checkedGroup } = x;
            const counts: Record<string, number> = {};
            const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
                x.newRun();
                emu.clearRequests();
                const out = await run();
                counts[name] = emu.requests.length;
                return out;
            };
            const live = (id: string) => emu.store.getUser(id);
            const membersOf = (id: string) => emu.store.getGroup(id).members.map((m) => String(m.value)).sort();

            // 1. Three users.
            const created = await step("create 3 users", () =>
                Promise.all(["ann", "ben", "cat"].map(async (n) => user.create(await checkedUser({ userName: `${n}@example.com`, givenName: n, externalId: `ext-${n}` })))),
            );
            const [ann, ben, cat] = created;
            assert.equal(emu.store.users.size, 3);
            for (const c of created) assert.equal(live(c.id).active, true);
            assert.deepEqual(created.map((c) => String(live(c.id).externalId)), ["ext-ann", "ext-ben", "ext-cat"]);

            // 2. Adopt a user whose email differs only in case.
            const seeded = emu.seedUser({ userName: "Dana@Example.com", givenName: "Dana" });
            const dana = await step("adopt Dana@ as dana@", async () => user.create(await checkedUser({ userName: "dana@example.com", givenName: "Dana" })));
            assert.equal(String(dana.id), String(seeded.id));
            assert.equal(emu.store.users.size, 4, "no duplicate");

            // 3a. Deactivate one through the program (active: false), then declare it active again.
            const benOff = await step("deactivate ben", async () => user.update(ben.id, ben.outs, await checkedUser({ userName: "ben@example.com", givenName: "ben", externalId: "ext-ben", active: false })));
            assert.equal(live(ben.id).active, false);
            await step("reactivate ben", async () => user.update(ben.id, benOff.outs, await checkedUser({ userName: "ben@example.com", givenName: "ben", externalId: "ext-ben" })));
            assert.equal(live(ben.id).active, true);

            // 3b. Remove one from the program (deactivated), then declare it again.
            await step("remove cat", () => user.delete(cat.id, cat.outs));
            assert.equal(live(cat.id).active, false);
            const back = await step("declare cat again", async () => {
                try {
                    return await user.create(await checkedUser({ userName: "cat@example.com", givenName: "cat", externalId: "ext-cat" }));
                } catch (e) {
                    // Only a server that hides deactivated users may refuse, and the error must say what to do.
                    assert.equal(emu.options.inactiveUsers, "hidden", String(e));
                    assert.match(String(e), /already exists \(409[^)]*\).*reactivate cat@example\.com in InVision's admin console/s);
                    emu.store.users.get(String(cat.id))!.active = true; // what the person then does
                    x.newRun();
                    return user.create(await checkedUser({ userName: "cat@example.com", givenName: "cat", externalId: "ext-cat" }));
                }
            });
            assert.equal(String(back.id), String(cat.id));
            assert.equal(live(cat.id).active, true);
            assert.equal(emu.store.users.size, 4, "no duplicate");

            // 4. A group with two members.
            const g = await step("group of 2", async () => group.create(await checkedGroup({ displayName: "Design", members: [ann.id, ben.id] })));
            assert.deepEqual(membersOf(g.id), [ann.id, ben.id].map(String).sort());

            // 5. Add one member and remove one.
            const g2 = await step("add 1, remove 1", async () => group.update(g.id, g.outs, await checkedGroup({ displayName: "Design", members: [ann.id, dana.id] })));
            assert.deepEqual(membersOf(g.id), [ann.id, dana.id].map(String).sort());
            assert.deepEqual(idsIn(g2.outs).members, [ann.id, dana.id]);

            // 6. A member added outside shows as unmanaged.
            emu.store.groups.get(String(g.id))!.members.push({ value: cat.id, display: "cat@example.com" });
            const refreshed = await step("refresh", () => group.read(g.id, g2.outs));
            assert.deepEqual(idsIn(refreshed.props).unmanagedMembers, [cat.id]);
            assert.deepEqual(idsIn(refreshed.props).members, [ann.id, dana.id]);

            // 7. Delete the group: gone, or (no DELETE on this server) emptied and kept.
            await step("delete group", () => group.delete(g.id, refreshed.props));
            const left = emu.store.groups.get(String(g.id));
            if (left) {
                assert.notEqual(emu.options.groupDelete, "supported");
                assert.deepEqual(left.members, []);
            }
            const total = Object.values(counts).reduce((a, b) => a + b, 0);
            figures.push(`${profile.padEnd(20)} ${String(total).padStart(4)}  (${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(", ")})`);
            assert.ok(calls(emu).every((r) => r.status !== 500), "no request the server could not handle");
        });
    });
}
