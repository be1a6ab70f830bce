import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, Project, steps } from "./harness";
import { note, user, warnings } from "./safety-spec";

/**
 * Issue 14 through the real pulumi CLI: `up` writes only what the pull
 * request's preview showed. Each scenario is a change made by hand in
 * InVision, then a pull request whose preview runs with no token (as a PR's
 * CI does), then `up`, then the next preview.
 */

const TOKEN = "bounded-SECRET-token-7a1f0c2e";

describe("the apply is bounded by the preview, through the real pulumi CLI", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const byEmail = (email: string) => [...emu.store.users.values()].find((u) => u.userName === email)!;
    const members = (name: string) =>
        emu.store
            .groupByName(name)!
            .members.map((m) => emu.store.getUser(m.value).userName)
            .sort();

    /** A pull request's preview: no token in reach, no refresh. */
    async function previewWithoutToken(): Promise<string> {
        await p.pulumi(["config", "rm", "invision:scimToken"]);
        try {
            emu.clearRequests();
            const r = await p.pulumi(["preview", "--diff"]);
            assert.equal(emu.requests.length, 0, "the pull request's preview sends no request");
            return r.out;
        } finally {
            await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
        }
    }

    before(async () => {
        emu = await startEmulator({ token: TOKEN, profile: "strict" });
        for (const n of ["zoe", ...Array.from({ length: 20 }, (_, i) => `hand${i}`)]) emu.seedUser({ userName: `${n}@example.com` });
        p = await createProject("bounded", path.join(__dirname, "safety-program"));
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
        p.writeSpec({
            users: [user("alice"), user("bob"), user("mallory", { givenName: "Mal" })],
            groups: [
                { key: "design", displayName: "Design", members: ["alice@example.com"] },
                { key: "big", displayName: "Big", members: ["alice@example.com"] },
            ],
        });
        await p.pulumi(["up", "--yes"]);
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("items 1 and 2: a member added by hand and a console deactivation are left alone by a pull request that did not show them, and the next preview names them", async () => {
        // By hand in InVision: zoe joins Design, mallory is deactivated.
        emu.store.groupByName("Design")!.members.push({ value: byEmail("zoe@example.com").id });
        byEmail("mallory@example.com").active = false;
        // The pull request: bob joins Design, mallory's first name is corrected.
        p.writeSpec({
            users: [user("alice"), user("bob"), user("mallory", { givenName: "Mallory" })],
            groups: [
                { key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com"] },
                { key: "big", displayName: "Big", members: ["alice@example.com"] },
            ],
        });
        const preview = await previewWithoutToken();
        assert.deepEqual(steps(preview).sort(), ["~ invision:Group design update", "~ invision:User mallory@example.com update"]);
        assert.deepEqual(warnings(preview), [], "nobody loses access in what the preview knows");
        note(`the pull request's preview:\n${preview.trim()}`);

        emu.clearRequests();
        const up = await p.pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(members("Design"), ["alice@example.com", "bob@example.com", "zoe@example.com"], "zoe kept: her removal was not in the preview");
        assert.equal(byEmail("mallory@example.com").active, false, "mallory stays deactivated: no reactivation was in the preview");
        assert.equal(byEmail("mallory@example.com").name?.givenName, "Mallory");
        const writes = emu.writes().map((w) => `${w.method} ${w.path} ${JSON.stringify(w.body)}`);
        assert.ok(!writes.some((w) => w.includes(`"${byEmail("zoe@example.com").id}"`)), writes.join("\n"));
        assert.ok(!writes.some((w) => /"active"/.test(w)), writes.join("\n"));
        const said = warnings(up.out);
        assert.ok(said.some((w) => /group 'Design': 1 member\(s\) .* were not in this run's preview, so they were kept: zoe@example.com/.test(w)), up.out);
        assert.ok(said.some((w) => /user mallory@example.com: .*left as it is: deactivated/.test(w)), up.out);
        note(`what up did (writes):\n${writes.join("\n")}\nand said:\n${said.join("\n")}`);

        const next = await previewWithoutToken();
        assert.deepEqual(steps(next).sort(), ["~ invision:Group design update", "~ invision:User mallory@example.com update"]);
        assert.deepEqual(warnings(next).sort(), [
            "warning: [invision] group 'Design' will remove 1 member(s): zoe@example.com (not declared in the program)",
            "warning: [invision] user mallory@example.com will be reactivated: InVision has the account deactivated, the program declares active: true",
        ]);
        note(`the next preview:\n${next.trim()}`);

        await p.pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(members("Design"), ["alice@example.com", "bob@example.com"]);
        assert.equal(byEmail("mallory@example.com").active, true);
    });

    it("item 3: deleting a group counts its live members against the guard, before anything is sent", async () => {
        const big = emu.store.groupByName("Big")!;
        big.members.push(...Array.from({ length: 20 }, (_, i) => ({ value: byEmail(`hand${i}@example.com`).id })));
        await p.pulumi(configSet("invision:maxMembershipRemovals", "2"));
        p.writeSpec({
            users: [user("alice"), user("bob"), user("mallory", { givenName: "Mallory" })],
            groups: [{ key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com"] }],
        });
        const preview = await previewWithoutToken();
        assert.deepEqual(steps(preview), ["- invision:Group big delete"]);
        emu.clearRequests();
        const up = await p.pulumi(["up", "--yes", "--skip-preview"], { allowFail: true });
        assert.notEqual(up.code, 0);
        assert.match(up.out, /Refused by the deletion guard, nothing was sent: deleting group 'Big', which removes 21 member\(s\) \(alice@example.com, hand0@example.com/);
        assert.equal(emu.writes().length, 0);
        assert.equal(emu.store.groupByName("Big")!.members.length, 21);
        // An expected refusal is shown once, as its message: no second copy, no stack trace.
        const diagnostics = up.stdout.slice(up.stdout.indexOf("Diagnostics:"));
        assert.equal(diagnostics.split("Refused by the deletion guard").length - 1, 1, diagnostics);
        assert.doesNotMatch(up.out, /GuardError|^\s+at .*(node_modules|\.ts:\d+)/m);

        await p.pulumi(configSet("invision:maxMembershipRemovals", "25"));
        const again = await p.pulumi(["up", "--yes", "--skip-preview"]);
        assert.equal(emu.store.groupByName("Big"), undefined);
        assert.ok(warnings(again.out).some((w) => /deleting group 'Big': 21 member\(s\) lose the access it gave them: alice@example.com, .*hand0@example.com/.test(w)), again.out);
    });

    it("issue 15: a group of people the program does not declare is created and changed, by email", async () => {
        const spec = {
            users: [user("alice"), user("bob"), user("mallory", { givenName: "Mallory" })],
            groups: [
                { key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com"] },
                { key: "outsiders", displayName: "Outsiders", members: ["hand1@example.com", "hand2@example.com"] },
            ],
        };
        p.writeSpec(spec);
        const preview = await previewWithoutToken();
        assert.match(preview, /\+ outsiders\b|Group::outsiders/);
        assert.match(preview, /hand1@example\.com/);
        await p.pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(members("Outsiders"), ["hand1@example.com", "hand2@example.com"]);

        p.writeSpec({ ...spec, groups: [spec.groups[0], { ...spec.groups[1], members: ["hand2@example.com", "hand3@example.com"] }] });
        const change = await previewWithoutToken();
        assert.match(change, /- +hand1@example\.com *: "member"/);
        assert.match(change, /\+ +hand3@example\.com *: "member"/);
        await p.pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(members("Outsiders"), ["hand2@example.com", "hand3@example.com"]);

        // An email nobody in InVision has: named, and nothing written to that group.
        p.writeSpec({ ...spec, groups: [spec.groups[0], { ...spec.groups[1], members: ["hand2@example.com", "nobody@example.com"] }] });
        emu.clearRequests();
        const failed = await p.pulumi(["up", "--yes", "--skip-preview"], { allowFail: true });
        assert.notEqual(failed.code, 0);
        assert.match(failed.out, /group 'Outsiders' lists 1 member\(s\) that no InVision user has as email: nobody@example\.com\. Nothing was written to this group/);
        assert.ok(!emu.writes().some((w) => w.path.startsWith("/Groups")), JSON.stringify(emu.writes()));
        assert.deepEqual(members("Outsiders"), ["hand2@example.com", "hand3@example.com"]);
    });

    it("never prints the token", () => {
        for (const t of p.transcript) assert.ok(!t.includes(TOKEN));
        for (const f of p.stateFiles()) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN), f);
    });
});
