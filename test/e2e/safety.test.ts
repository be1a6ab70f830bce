import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { createProject, Project, steps } from "./harness";
import { note, user, warnings } from "./safety-spec";

/**
 * The safety rails through the real pulumi CLI: what a reviewer reads in a
 * preview, a hand-over that survives a failed run, and the deletion guard.
 * Each step builds on the previous one's state, as a repository's history does.
 */

const TOKEN = "safety-SECRET-token-3e9d1c7b";

describe("safety rails through the real pulumi CLI", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const active = (email: string) => [...emu.store.users.values()].find((u) => u.userName === email)!.active !== false;
    const groupMembers = (name: string) =>
        emu.store
            .groupByName(name)!
            .members.map((m) => emu.store.getUser(m.value).userName)
            .sort();

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        // A tenant with a group that has people the program will not declare.
        for (const n of ["alice", "bob", "carol", "xavier", "yan"]) emu.seedUser({ userName: `${n}@example.com` });
        const id = (n: string) => [...emu.store.users.values()].find((u) => u.userName === `${n}@example.com`)!.id;
        emu.seedGroup({ displayName: "Ops", members: [id("alice"), id("xavier"), id("yan")] });
        p = await createProject("safety", path.join(__dirname, "safety-program"));
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("adopting a group removes nobody; the next preview names the undeclared members it will remove, by email", async () => {
        p.writeSpec({
            users: [user("alice"), user("bob"), user("carol")],
            groups: [
                { key: "ops", displayName: "Ops", members: ["alice@example.com"] },
                { key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com"] },
            ],
        });
        const up = await p.pulumi(["up", "--yes"]);
        assert.deepEqual(groupMembers("Ops"), ["alice@example.com", "xavier@example.com", "yan@example.com"], "the adoption removed nobody");
        assert.ok(
            warnings(up.out).some((w) => /group 'Ops' adopted with 2 member\(s\) the program does not declare, kept for now: xavier@example.com, yan@example.com/.test(w)),
            up.out,
        );

        emu.clearRequests();
        const preview = await p.pulumi(["preview"]);
        assert.equal(emu.requests.length, 0, "a preview sends no request");
        assert.deepEqual(steps(preview.stdout), ["~ invision:Group ops update"]);
        assert.deepEqual(warnings(preview.out), [
            "warning: [invision] group 'Ops' will remove 2 member(s): xavier@example.com (not declared in the program), yan@example.com (not declared in the program)",
        ]);
        note(`preview after the adoption of Ops:\n${preview.stdout.trim()}`);

        await p.pulumi(["up", "--yes"]);
        assert.deepEqual(groupMembers("Ops"), ["alice@example.com"]);
        assert.ok(active("xavier@example.com"), "removed from the group, not deactivated");
    });

    it("a roster edit that deactivates one person names them in the preview", async () => {
        p.writeSpec({
            users: [user("alice"), user("carol")],
            groups: [
                { key: "ops", displayName: "Ops", members: ["alice@example.com"] },
                { key: "design", displayName: "Design", members: ["alice@example.com"] },
            ],
        });
        emu.clearRequests();
        const preview = await p.pulumi(["preview"]);
        assert.equal(emu.requests.length, 0);
        assert.deepEqual(steps(preview.stdout).sort(), ["- invision:User bob@example.com delete", "~ invision:Group design update"]);
        // Bob's own resource is gone from the program (never diffed): the group's state names him.
        assert.deepEqual(warnings(preview.out), ["warning: [invision] group 'Design' will remove 1 member(s): bob@example.com"]);
        note(`preview of a roster edit that removes bob:\n${preview.stdout.trim()}`);
        const up = await p.pulumi(["up", "--yes"]);
        assert.ok(!active("bob@example.com"));
        assert.ok(warnings(up.out).some((w) => /deactivating user bob@example.com/.test(w)), up.out);

        p.writeSpec({
            users: [user("alice"), user("carol", { active: false })],
            groups: [
                { key: "ops", displayName: "Ops", members: ["alice@example.com"] },
                { key: "design", displayName: "Design", members: ["alice@example.com"] },
            ],
        });
        const off = await p.pulumi(["preview"]);
        assert.deepEqual(warnings(off.out), ["warning: [invision] user carol@example.com will be deactivated (active: false)"]);
        note(`preview of active: false on carol:\n${off.stdout.trim()}`);
    });

    it("a preview needs no SCIM token", async () => {
        await p.pulumi(["config", "rm", "invision:scimToken"]);
        try {
            emu.clearRequests();
            const r = await p.pulumi(["preview"]);
            assert.equal(emu.requests.length, 0);
            assert.match(r.stdout, /~ +pulumi-nodejs:dynamic\/invision:User carol@example.com update/);
        } finally {
            await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        }
    });

    it("a refactor whose run fails between the adoption and the old resource's delete keeps the person on the next run", async () => {
        // carol's resource is renamed; a new group lists her, and its create fails, ending the run early.
        p.writeSpec({
            users: [user("alice"), user("carol", { name: "carol" })],
            groups: [
                { key: "ops", displayName: "Ops", members: ["alice@example.com"] },
                { key: "design", displayName: "Design", members: ["alice@example.com"] },
                { key: "support", displayName: "Support", members: ["carol"] },
            ],
        });
        emu.failNext({ count: 1, status: 400, method: "POST", path: /^\/Groups/ });
        const failed = await p.pulumi(["up", "--yes"], { allowFail: true });
        assert.notEqual(failed.code, 0, "the injected fault fails the run");
        assert.ok(active("carol@example.com"));
        const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout) as { deployment: { resources: { urn: string }[] } };
        const urns = state.deployment.resources.map((r) => r.urn);
        assert.ok(urns.some((u) => u.endsWith("::carol")) && urns.some((u) => u.endsWith("::carol@example.com")), "both resources are in state: the old one's delete never ran");

        emu.clearRequests();
        const again = await p.pulumi(["up", "--yes"]);
        assert.ok(active("carol@example.com"), "the re-run did not deactivate someone still declared");
        assert.ok(!emu.writes().some((w) => /^\/Users\//.test(w.path)), "no write to any user");
        assert.deepEqual(groupMembers("Support"), ["carol@example.com"]);
        assert.ok(warnings(again.out).some((w) => /user carol@example.com is now managed by another resource of this stack; handed over/.test(w)), again.out);
    });

    it("the deletion guard stops a run past invision:maxDeactivations, and nothing past the bound changes", async () => {
        for (const n of ["dan", "erin", "fay"]) emu.seedUser({ userName: `${n}@example.com` });
        const everyone = [user("alice"), user("carol", { name: "carol" }), user("dan"), user("erin"), user("fay")];
        const groups = [
            { key: "ops", displayName: "Ops", members: ["alice@example.com"] },
            { key: "design", displayName: "Design", members: ["alice@example.com"] },
            { key: "support", displayName: "Support", members: ["carol"] },
        ];
        p.writeSpec({ users: everyone, groups });
        await p.pulumi(["up", "--yes"]);
        await p.pulumi(["config", "set", "invision:maxDeactivations", "1"]);
        // A truncated roster: three people gone at once.
        p.writeSpec({ users: everyone.slice(0, 2), groups });
        emu.clearRequests();
        const r = await p.pulumi(["up", "--yes"], { allowFail: true });
        assert.notEqual(r.code, 0);
        assert.equal([..."dan erin fay".split(" ")].filter((n) => !active(`${n}@example.com`)).length, 1, "exactly the bound was deactivated");
        assert.equal(emu.writes().length, 1, "nothing was sent for the refused ones");
        assert.match(r.out, /Refused by the deletion guard, nothing was sent: deactivating user \w+@example.com needs 1 user deactivation or deletion, and this run may make at most 1 \(invision:maxDeactivations \/ INVISION_MAX_DEACTIVATIONS\); 1 already made, 2 refused so far in this run/);
        note(`guard refusal: ${/Refused by the deletion guard[^\n]*/.exec(r.out)![0]}`);

        // Intended after all: raise the bound for one run.
        await p.pulumi(["config", "set", "invision:maxDeactivations", "5"]);
        await p.pulumi(["up", "--yes"]);
        assert.ok(["dan", "erin", "fay"].every((n) => !active(`${n}@example.com`)));
        assert.ok(active("alice@example.com") && active("carol@example.com"));
    });

    it("never prints the token", () => {
        for (const t of p.transcript) assert.ok(!t.includes(TOKEN));
    });
});
