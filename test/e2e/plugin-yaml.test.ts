import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { KEPT_KEY } from "../../provider/roster/team";
import { createYamlProject, steps, YamlProject } from "./harness";

const TOKEN = "yaml-SECRET-token-3e9d0c7b1a";
const note = (s: string) => process.stdout.write(`# ${s}\n`);

/** A Pulumi YAML program: two users and a group of its own, and a Team from a roster file. */
function program(o: { aliceGiven: string; designMembers: string[] }): string {
    return stringify({
        name: "invision-yaml",
        runtime: "yaml",
        resources: {
            alice: { type: "invision:index:User", properties: { userName: "alice@example.com", givenName: o.aliceGiven } },
            bob: { type: "invision:index:User", properties: { userName: "bob@example.com", givenName: "Bob" } },
            design: { type: "invision:index:Group", properties: { displayName: "Design", members: o.designMembers.map((r) => `\${${r}.userName}`) } },
            team: { type: "invision:index:Team", properties: { roster: "team.yaml" } },
        },
        outputs: { aliceId: "${alice.id}", access: "${team.access}" },
    });
}

const roster = (users: string[], research: string[]) =>
    stringify({ users: users.map((u) => ({ email: `${u}@example.com`, givenName: u })), groups: [{ name: "Research", members: research.map((u) => `${u}@example.com`) }] });

describe("the invision plugin from YAML, through the real CLI, installed from its archive", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: YamlProject;
    const write = (file: string, text: string) => fs.writeFileSync(path.join(p.dir, file), text);
    const id = (email: string) => emu.store.userByName(email)!.id;

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createYamlProject("plugin-yaml", {
            "Pulumi.yaml": program({ aliceGiven: "Alice", designMembers: ["alice", "bob"] }),
            "team.yaml": roster(["carol", "dan"], ["carol", "dan"]),
        });
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("the plugin is installed in the empty PULUMI_HOME from the archive", async () => {
        const ls = await p.pulumi(["plugin", "ls"]);
        assert.match(ls.stdout, /invision\s+resource\s+0\.\d+\.\d+/);
        assert.ok(fs.readdirSync(path.join(p.home, "plugins")).some((d) => d.startsWith("resource-invision-v")));
    });

    it("preview lists every create, the Team's children included, and sends no request", async () => {
        const r = await p.pulumi(["preview"]);
        assert.deepEqual(steps(r.stdout).sort(), [
            "+ invision:Group Research create",
            "+ invision:Group design create",
            "+ invision:Team team create",
            "+ invision:User alice create",
            "+ invision:User bob create",
            "+ invision:User carol@example.com create",
            "+ invision:User dan@example.com create",
        ]);
        assert.match(r.stdout, /\+\s+invision:index:Team team create/);
        assert.equal(emu.requests.length, 0);
    });

    it("up creates them; a second up writes nothing", async () => {
        const t0 = Date.now();
        const up = await p.pulumi(["up", "--yes"]);
        note(`first up (4 users, 2 groups, a team): ${Date.now() - t0} ms, ${emu.requests.length} requests`);
        assert.equal(emu.store.users.size, 4);
        assert.deepEqual(emu.store.groupByName("Design")!.members.map((m) => m.value).sort(), [id("alice@example.com"), id("bob@example.com")].sort());
        assert.deepEqual(emu.store.groupByName("Research")!.members.map((m) => m.value).sort(), [id("carol@example.com"), id("dan@example.com")].sort());
        assert.match(up.stdout, /aliceId\s*:\s*"[^"]+"/);
        const outputs = JSON.parse((await p.pulumi(["stack", "output", "--json"])).stdout);
        assert.equal(outputs.aliceId, id("alice@example.com"));
        assert.deepEqual(outputs.access, { "carol@example.com": "Research", "dan@example.com": "Research", [KEPT_KEY]: "none" });
        emu.clearRequests();
        const again = await p.pulumi(["up", "--yes"]);
        assert.match(again.stdout, /8 unchanged/);
        assert.equal(emu.writes().length, 0);
        note(`no-op up: ${emu.requests.length} requests, ${emu.writes().length} writes`);
    });

    it("an edit previews exactly its changes with no request, and up applies them", async () => {
        write("Pulumi.yaml", program({ aliceGiven: "Alicia", designMembers: ["alice"] }));
        write("team.yaml", roster(["carol"], ["carol"]));
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout).sort(), ["- invision:User dan@example.com delete", "~ invision:Group Research update", "~ invision:Group design update", "~ invision:User alice update"].sort());
        assert.match(pv.stdout, /givenName\s*:\s*"Alice" => "Alicia"/);
        assert.equal(emu.requests.length, 0);
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.getUser(id("alice@example.com")).name?.givenName, "Alicia");
        assert.deepEqual(emu.store.groupByName("Design")!.members.map((m) => m.value), [id("alice@example.com")]);
        assert.equal(emu.store.userByName("dan@example.com")!.active, false, "a person removed from the roster is deactivated");
    });

    it("refresh sees an out-of-band change without writing; the next up corrects it", async () => {
        emu.store.patchUser(id("bob@example.com"), { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }, false);
        emu.clearRequests();
        const rf = await p.pulumi(["refresh", "--yes"]);
        assert.equal(emu.writes().length, 0);
        // The plugin's words reach a YAML user (the engine hides a plugin's stderr: they go through its log service).
        assert.match(rf.out, /warning: \[invision\] user bob@example.com: InVision differs from what the last run recorded \(changed outside this program\): deactivated/);
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.match(pv.out, /~ invision:index:User: \(update\)/);
        assert.match(pv.out, /warning: \[invision\] user bob@example.com will be reactivated/);
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.getUser(id("bob@example.com")).active, true);
    });

    it("pulumi import adopts an existing user and group, with no write", async () => {
        const erin = emu.seedUser({ userName: "erin@example.com", givenName: "Erin" });
        emu.clearRequests();
        const r = await p.pulumi(["import", "invision:index:User", "erin", erin.id, "--yes", "--protect=false"]);
        assert.equal(emu.writes().length, 0);
        assert.match(r.stdout, /userName:\s*erin@example.com/, "the generated YAML declares the user");
        const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout);
        const imported = state.deployment.resources.find((x: { urn: string }) => x.urn.endsWith("invision:index:User::erin"));
        assert.equal(imported.id, erin.id);
        assert.equal(imported.inputs.userName, "erin@example.com");
        assert.equal(imported.outputs.givenName, "Erin");

        const leads = emu.seedGroup({ displayName: "Leads", members: [erin.id] });
        emu.clearRequests();
        await p.pulumi(["import", "invision:index:Group", "leads", leads.id, "--yes", "--protect=false"]);
        assert.equal(emu.writes().length, 0);
        const after = JSON.parse((await p.pulumi(["stack", "export"])).stdout);
        const group = after.deployment.resources.find((x: { urn: string }) => x.urn.endsWith("invision:index:Group::leads"));
        assert.equal(group.id, leads.id);
        const members = group.inputs.members as string[] | Record<string, string>;
        assert.deepEqual(Array.isArray(members) ? members : Object.keys(members), ["erin@example.com"]);
    });

    it("state and every line of output hold no token", async () => {
        const state = (await p.pulumi(["stack", "export"])).stdout;
        assert.ok(!state.includes(TOKEN));
        for (const f of p.stateFiles()) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN), `token in ${f}`);
        const all = p.transcript.join("\n");
        assert.ok(all.length > 1000);
        assert.ok(!all.includes(TOKEN), "token in CLI output");
        // The plugin stores no __provider: it is the provider.
        assert.ok(!state.includes("__provider"));
    });

    it("destroy deactivates the users and removes the groups", async () => {
        const before = emu.store.users.size;
        await p.pulumi(["destroy", "--yes"]);
        assert.equal(emu.store.users.size, before);
        assert.ok([...emu.store.users.values()].every((u) => u.active === false));
        assert.equal(emu.store.groups.size, 0);
    });
});
