import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, Project, steps } from "./harness";

const TOKEN = "gitops-SECRET-token-8a7b6c5d";
const note = (s: string) => process.stdout.write(`# ${s}\n`);

/**
 * The GitOps flow: an existing tenant -> export -> commit roster -> preview ->
 * up (adopts all, no write) -> no-change preview -> a pull request's change.
 */
describe("adopting an existing tenant through a roster", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const roster = () => path.join(p.dir, "team.yaml");

    before(async () => {
        // A tenant provisioned by hand: 150 people over several pages, some deactivated, 5 groups.
        emu = await startEmulator({ token: TOKEN, pageSize: 40 });
        const ids: string[] = [];
        for (let i = 0; i < 150; i++) {
            const n = String(i).padStart(3, "0");
            ids.push(emu.seedUser({ userName: `person${n}@example.com`, givenName: `Person`, familyName: `N${n}`, active: i % 10 !== 7 }).id);
        }
        ["Design", "Research", "Product", "Marketing", "Leadership"].forEach((name, g) => emu.seedGroup({ displayName: name, members: ids.filter((_, i) => i % 5 === g || i < 3) }));
        p = await createProject("gitops", path.resolve(__dirname, "..", "..", "examples", "team"));
        fs.rmSync(roster(), { force: true });
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("export writes a roster that matches the tenant, paging through it", async () => {
        const r = await p.bin("pulumi-invision", ["export", "--out", "team.yaml"], { INVISION_SCIM_BASE_URL: emu.url, INVISION_SCIM_TOKEN: TOKEN });
        assert.equal(r.code, 0, r.out);
        assert.match(r.stderr, /150 users \(15 deactivated\), 5 groups/);
        const written = parse(fs.readFileSync(roster(), "utf8"));
        assert.equal(written.users.length, 150);
        assert.equal(written.users.filter((u: { active?: boolean }) => u.active === false).length, 15);
        assert.deepEqual(written.groups.map((g: { name: string }) => g.name), ["Design", "Leadership", "Marketing", "Product", "Research"]);
        const userPages = emu.requests.filter((q) => q.path === "/Users");
        assert.deepEqual(userPages.map((q) => q.query.startIndex), ["1", "41", "81", "121"]);
        assert.equal(emu.writes().length, 0);
        assert.ok(!r.out.includes(TOKEN));
        note(`export: ${emu.requests.length} requests (${userPages.length} pages of users)`);
    });

    it("the first up adopts everything with no write; the next preview shows no change", async () => {
        emu.clearRequests();
        const pv = await p.pulumi(["preview"]);
        // 150 users and 5 groups, under the InVisionTeam component (itself a create too).
        assert.equal(steps(pv.stdout).filter((s) => s.startsWith("+") && !s.includes("invision:Team ")).length, 155);
        assert.equal(emu.requests.length, 0);
        const t0 = Date.now();
        await p.pulumi(["up", "--yes"]);
        note(`adoption up of 150 users + 5 groups: ${emu.requests.length} requests, ${emu.writes().length} writes, ${((Date.now() - t0) / 1000).toFixed(1)} s, max ${emu.stats.maxInFlight} in flight`);
        assert.equal(emu.writes().length, 0, JSON.stringify(emu.writes().slice(0, 3)));
        assert.equal(emu.store.users.size, 150);
        assert.equal(emu.store.groups.size, 5);
        emu.clearRequests();
        const again = await p.pulumi(["preview"]);
        assert.match(again.stdout, /157 unchanged/);
        assert.deepEqual(steps(again.stdout), []);
        assert.equal(emu.requests.length, 0);
    });

    it("reordering and reformatting the roster changes nothing", async () => {
        const doc = parse(fs.readFileSync(roster(), "utf8"));
        doc.users.reverse();
        doc.groups.reverse();
        for (const g of doc.groups) g.members.reverse();
        fs.writeFileSync(roster(), `# reordered\n${stringify(doc, { indent: 4, flowCollectionPadding: false, defaultKeyType: "PLAIN" })}`);
        const pv = await p.pulumi(["preview"]);
        assert.deepEqual(steps(pv.stdout), []);
        assert.match(pv.stdout, /157 unchanged/);
    });

    it("a one-person change previews as exactly that, and says who gains and loses access", async () => {
        const doc = parse(fs.readFileSync(roster(), "utf8"));
        doc.users.push({ email: "newhire@example.com", givenName: "New", familyName: "Hire" });
        const design = doc.groups.find((g: { name: string }) => g.name === "Design");
        design.members.push("newhire@example.com");
        fs.writeFileSync(roster(), stringify(doc));
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout).sort(), ["+ invision:User newhire@example.com create", "~ invision:Group Design update"]);
        assert.match(pv.stdout, /\+ newhire@example\.com\s*: "Design"/);
        // The group's diff names the person, as the roster does: no SCIM id, no [unknown].
        assert.match(pv.stdout, /~ members\s*: \{[^}]*\+ newhire@example\.com\s*: "member"/);
        assert.doesNotMatch(pv.stdout, /\[unknown\]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"?\s*$/m);
        assert.equal(emu.requests.length, 0);
        fs.writeFileSync(path.join(p.dir, "preview-one-person.txt"), pv.stdout);
        note(`one-person preview text saved: ${path.join(p.dir, "preview-one-person.txt")}`);
        await p.pulumi(["up", "--yes"]);
        assert.ok(emu.store.getGroup(emu.store.groupByName("Design")!.id).members.some((m) => m.display === "newhire@example.com"));
    });

    it("a bad roster fails the preview with its file and line, before any request", async () => {
        const good = fs.readFileSync(roster(), "utf8");
        fs.writeFileSync(roster(), good.replace("newhire@example.com", "newhire-at-example.com").replace(/members:\n/, "members:\n      - ghost@example.com\n"));
        emu.clearRequests();
        const pv = await p.pulumi(["preview"], { allowFail: true });
        assert.notEqual(pv.code, 0);
        assert.match(pv.out, /team\.yaml:\d+: users\[\d+\]\.email: userName must be an email/);
        assert.match(pv.out, /team\.yaml:\d+: groups\[\d+\]\.members\[0\]: ghost@example\.com is not a user in this roster/);
        assert.equal(emu.requests.length, 0);
        fs.writeFileSync(roster(), good);
    });

    it("the installed package exposes the emulator subpath and the bin", async () => {
        const { execFileSync } = await import("node:child_process");
        const out = execFileSync(process.execPath, ["-e", "require('pulumi-invision/emulator').startEmulator().then(async (e) => { console.log(e.url); await e.close(); })"], { cwd: p.dir, encoding: "utf8" });
        assert.match(out, /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2/);
        const help = await p.bin("pulumi-invision", ["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /Usage: pulumi-invision export --out FILE/);
    });

    it("access lists, by email, people a group has that the roster does not declare, once an up recorded them", async () => {
        const outsider = emu.seedUser({ userName: "outsider@example.com" });
        emu.store.groupByName("Design")!.members.push({ value: outsider.id });
        const doc = parse(fs.readFileSync(roster(), "utf8"));
        const design = doc.groups.find((g: { name: string }) => g.name === "Design");
        design.members = design.members.filter((m: string) => m !== "newhire@example.com");
        fs.writeFileSync(roster(), stringify(doc));
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.match(pv.stdout, /~ newhire@example\.com\s*: "Design" => "\(no group\)"/);
        await p.pulumi(["up", "--yes"]);
        const access = JSON.parse((await p.pulumi(["stack", "output", "access", "--json"])).stdout);
        assert.equal(access["(in these groups, not in the roster)"], "outsider@example.com (Design)");
        assert.equal(access["newhire@example.com"], "(no group)");
        const next = await p.pulumi(["preview", "--diff"]);
        assert.match(next.out, /group 'Design' will remove 1 member\(s\): outsider@example.com \(not declared in the program\)/);
    });

    it("no token in any output", () => {
        assert.ok(!p.transcript.join("\n").includes(TOKEN));
        for (const f of p.stateFiles()) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN));
    });
});
