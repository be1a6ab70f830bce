import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { KEPT_KEY } from "../../provider/roster/team";
import { configSet, createYamlProject, steps, YamlProject } from "./harness";

const TOKEN = "edges-SECRET-token-0c4d9a";
const GINA = "gina.secret@example.com";
const NOBODY = "nobody.secret@example.com";
const TOKEN_LIKE = "k9Xv2Lq8Rz4Tn7Wp3Ys6Ub1";

type Resources = Record<string, unknown>;

/**
 * The program lives in prog/ (`main: prog/`), its rosters at the project
 * root, where a roster path is relative to in TypeScript too.
 */
const project = stringify({ name: "plugin-edges", runtime: "yaml", main: "prog/" });
const program = (extra: Resources = {}) =>
    stringify({
        resources: {
            alice: { type: "invision:index:User", properties: { userName: "alice@example.com" } },
            team: { type: "invision:index:Team", properties: { roster: "team.yaml" } },
            ...extra,
        },
        outputs: { access: "${team.access}" },
    });
const roster = (research: string[]) => stringify({ users: research.map((email) => ({ email })), groups: [{ name: "Research", members: research }] });

/**
 * Issue 22, items 3 to 7 of "Why", through the YAML door and the real CLI:
 * the Team's `access` known at preview; no secret in any message; a base URL
 * refused as token-like is stored nowhere; `pulumi import` of what does not
 * exist says so, and an imported group's members are its declared members;
 * a roster path is relative to the project root (`main: prog/`); the
 * empty-roster refusal gives YAML's advice.
 */
describe("the invision plugin from YAML: what a new user of the second door runs into", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: YamlProject;
    const write = (file: string, text: string) => fs.writeFileSync(path.join(p.dir, file), text);

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        emu.seedUser({ userName: GINA, givenName: "Gina" });
        p = await createYamlProject("plugin-edges", { "Pulumi.yaml": project, "team.yaml": roster(["carol@example.com"]) });
        fs.mkdirSync(path.join(p.dir, "prog"));
        write("prog/Main.yaml", program());
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("a roster path is relative to the project root, though the program is in prog/; the Team's access is known at every preview", async () => {
        const first = await p.pulumi(["preview"]);
        assert.match(first.stdout, /access: \{/, first.stdout);
        assert.match(first.stdout, /carol@example\.com\s*: "Research"/);
        assert.doesNotMatch(first.stdout, /access: \[unknown\]/);
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.groupByName("Research")!.members.length, 1);

        // A change to a group: its state is not known until it is applied, and the roster's lines still are.
        write("team.yaml", roster(["carol@example.com", "dan@example.com"]));
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.match(pv.stdout, /\+\s*dan@example\.com\s*: "Research"/, pv.stdout);
        assert.match(pv.stdout, new RegExp(`${KEPT_KEY.replace(/[()]/g, "\\$&")}\\s*: "none" => "none; known after this change is applied: Research"`));
        await p.pulumi(["up", "--yes"]);
        const outputs = JSON.parse((await p.pulumi(["stack", "output", "--json"])).stdout);
        assert.deepEqual(outputs.access, { "carol@example.com": "Research", "dan@example.com": "Research", [KEPT_KEY]: "none" });
    });

    it("a value marked secret is quoted in no message: the refusals say [secret]", async () => {
        write(
            "prog/Main.yaml",
            program({
                gina: { type: "invision:index:User", properties: { userName: { "fn::secret": GINA }, onExisting: "fail" } },
                ghosts: { type: "invision:index:Group", properties: { displayName: "Ghosts", members: ["${alice.userName}", { "fn::secret": NOBODY }] } },
            }),
        );
        emu.clearRequests();
        // Two independent refusals: without --continue-on-error the engine stops at the first, and whether
        // the other was reported before it shut the providers down is a race (lost on a busy machine).
        const up = await p.pulumi(["up", "--yes", "--continue-on-error"], { allowFail: true });
        assert.notEqual(up.code, 0);
        assert.match(up.out, /InVision user \[secret\] already exists/);
        assert.match(up.out, /no InVision user has as email: \[secret\]/);
        assert.equal(emu.writes().filter((w) => w.path.startsWith("/Groups")).length, 0);
        for (const s of [GINA, NOBODY]) assert.ok(!p.transcript.join("\n").toLowerCase().includes(s), `${s} in the CLI's output`);
        write("prog/Main.yaml", program());
        await p.pulumi(["up", "--yes"]);
    });

    it("pulumi import of an id InVision does not have, or of a group's id as a user, says so and writes nothing", async () => {
        const group = emu.store.groupByName("Research")!;
        emu.clearRequests();
        for (const [type, id, says] of [
            ["invision:index:User", "no-such-id", "There is no InVision user with id no-such-id"],
            ["invision:index:User", String(group.id), `There is no InVision user with id ${group.id}`],
            ["invision:index:Group", "no-such-id", "There is no InVision group with id no-such-id"],
        ]) {
            const r = await p.pulumi(["import", type, "imported", id, "--yes"], { allowFail: true });
            assert.notEqual(r.code, 0);
            assert.ok(r.out.includes(says), r.out);
            assert.doesNotMatch(r.out, /does not support importing/);
        }
        assert.equal(emu.writes().length, 0);
    });

    it("an imported group's live members become its declared members: declared as imported, the next preview shows no change", async () => {
        const erin = emu.seedUser({ userName: "erin@example.com" });
        const leads = emu.seedGroup({ displayName: "Leads", members: [erin.id, emu.store.userByName("alice@example.com")!.id] });
        emu.clearRequests();
        await p.pulumi(["import", "invision:index:Group", "leads", String(leads.id), "--yes", "--protect=false"]);
        assert.equal(emu.writes().length, 0);
        const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout);
        const imported = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("invision:index:Group::leads"));
        assert.deepEqual([...imported.outputs.members].sort(), ["alice@example.com", "erin@example.com"]);
        assert.deepEqual(imported.outputs.unmanagedMembers, []);
        write("prog/Main.yaml", program({ leads: { type: "invision:index:Group", properties: { displayName: "Leads", members: ["erin@example.com", "alice@example.com"] } } }));
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout), [], pv.stdout);
        assert.doesNotMatch(pv.stdout, /will remove/);
    });

    it("an empty roster is refused with YAML's advice", async () => {
        write("team.yaml", stringify({ users: [], groups: [] }));
        const r = await p.pulumi(["preview"], { allowFail: true });
        assert.notEqual(r.code, 0);
        assert.match(r.out, /has no users: applying it would deactivate everyone/);
        assert.match(r.out, /`allowEmptyRoster: true` under the Team's properties/);
        assert.doesNotMatch(r.out, /pass allowEmptyRoster: true to InVisionTeam/);
        write("team.yaml", roster(["carol@example.com", "dan@example.com"]));
    });

    it("a base URL refused as token-like fails the provider's check without being shown, and is stored nowhere", async () => {
        await p.pulumi(configSet("invision:scimBaseUrl", TOKEN_LIKE, { plaintext: true }));
        for (const args of [["preview"], ["up", "--yes", "--skip-preview"]]) {
            const r = await p.pulumi(args, { allowFail: true });
            assert.notEqual(r.code, 0);
            assert.match(r.out, /invision:scimBaseUrl \(or the provider's scimBaseUrl\) cannot be used: the value looks like a token/);
            assert.ok(!r.out.includes(TOKEN_LIKE), r.out);
        }
        for (const f of p.stateFiles().filter((f) => !f.endsWith(".history.json"))) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN_LIKE), `the refused URL in ${f}`);
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(["destroy", "--yes"]);
        assert.ok([...emu.store.users.values()].filter((u) => u.userName !== GINA && u.userName !== "erin@example.com").every((u) => u.active === false));
        assert.ok(!p.transcript.join("\n").includes(TOKEN));
    });
});
