import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { createProject, Project, steps } from "./harness";

const TOKEN = "e2e-SECRET-token-5f1c2a9d8e7b";
const report: string[] = [];
const note = (s: string) => {
    report.push(s);
    process.stdout.write(`# ${s}\n`);
};

const roster = (over: Partial<{ users: unknown[]; groups: unknown[] }> = {}) => ({
    users: [
        { userName: "alice@example.com", givenName: "Alice", familyName: "Ng" },
        { userName: "bob@example.com", givenName: "Bob" },
        { userName: "carol@example.com", givenName: "Carol" },
    ],
    groups: [
        { key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com"] },
        { key: "research", displayName: "Research", members: ["carol@example.com"] },
    ],
    ...over,
});

describe("the real pulumi CLI against the emulator", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const ids = () => Object.fromEntries([...emu.store.users.values()].map((u) => [u.userName, u.id]));
    const groupByName = (n: string) => emu.store.groupByName(n);

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createProject("lifecycle");
        p.writeSpec(roster());
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
    });
    after(async () => {
        await emu?.close();
        if (report.length) fs.writeFileSync(`${p?.dir ?? "/tmp"}/e2e-report.txt`, report.join("\n"));
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("preview of a new roster lists every create and sends no request", async () => {
        const r = await p.pulumi(["preview"]);
        assert.deepEqual(steps(r.stdout).sort(), [
            "+ invision:Group design create",
            "+ invision:Group research create",
            "+ invision:User alice@example.com create",
            "+ invision:User bob@example.com create",
            "+ invision:User carol@example.com create",
        ]);
        assert.equal(emu.requests.length, 0);
        note(`preview of 5 creates: ${emu.requests.length} SCIM requests`);
    });

    it("up creates them; a second up changes nothing and writes nothing", async () => {
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.users.size, 3);
        assert.deepEqual(groupByName("Design")!.members.map((m) => m.value).sort(), [ids()["alice@example.com"], ids()["bob@example.com"]].sort());
        note(`first up: ${emu.requests.length} requests (${emu.writes().length} writes)`);
        emu.clearRequests();
        const again = await p.pulumi(["up", "--yes"]);
        assert.match(again.stdout, /6 unchanged/);
        assert.equal(emu.writes().length, 0);
        note(`no-op up: ${emu.requests.length} requests, ${emu.writes().length} writes`);
    });

    it("an edit previews exactly its changes and applies them", async () => {
        // Add dan, remove carol, move bob from Design to Research, rename Research.
        p.writeSpec(
            roster({
                users: [
                    { userName: "alice@example.com", givenName: "Alice", familyName: "Ng" },
                    { userName: "bob@example.com", givenName: "Bob" },
                    { userName: "dan@example.com", givenName: "Dan" },
                ],
                groups: [
                    { key: "design", displayName: "Design", members: ["alice@example.com"] },
                    { key: "research", displayName: "User Research", members: ["bob@example.com", "dan@example.com"] },
                ],
            }),
        );
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout).sort(), [
            "+ invision:User dan@example.com create",
            "- invision:User carol@example.com delete",
            "~ invision:Group design update",
            "~ invision:Group research update",
        ].sort());
        assert.match(pv.stdout, /displayName\s*:\s*"Research" => "User Research"/);
        assert.equal(emu.requests.length, 0);
        await p.pulumi(["up", "--yes"]);
        const i = ids();
        assert.deepEqual(groupByName("Design")!.members.map((m) => m.value), [i["alice@example.com"]]);
        assert.deepEqual(groupByName("User Research")!.members.map((m) => m.value).sort(), [i["bob@example.com"], i["dan@example.com"]].sort());
        assert.equal(emu.store.userByName("carol@example.com")!.active, false, "removed users are deactivated, not deleted");
        note(`edit up: ${emu.requests.length} requests, ${emu.writes().length} writes (${emu.writes().map((w) => `${w.method} ${w.path.split("/")[1]}`).join(", ")})`);
    });

    it("refresh finds out-of-band changes and the next up corrects them", async () => {
        const i = ids();
        emu.store.patchUser(i["alice@example.com"], { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }, false);
        const design = groupByName("Design")!;
        emu.store.patchGroup(design.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: i["carol@example.com"] }] }, { op: "replace", path: "displayName", value: "Design (old)" }] });
        emu.clearRequests();
        const rf = await p.pulumi(["refresh", "--yes"]);
        note(`refresh: ${emu.requests.length} requests, ${emu.writes().length} writes`);
        assert.equal(emu.writes().length, 0);
        // The refresh names what it found, by person, and changes nothing in this run.
        assert.match(rf.out, /warning: \[invision\] user alice@example.com: InVision differs from what the last run recorded \(changed outside this program\): deactivated/);
        assert.match(rf.out, /warning: \[invision\] group 'Design': InVision differs .*renamed to 'Design \(old\)'; 1 member\(s\) added: carol@example.com/);
        // The next preview plans against what the refresh recorded, and says so in words.
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout).sort(), ["~ invision:Group design update", "~ invision:User alice@example.com update"]);
        assert.match(pv.out, /user alice@example.com will be reactivated/);
        assert.match(pv.out, /group 'Design' will remove 1 member\(s\): carol@example.com \(not declared in the program\)/);
        assert.match(pv.out, /group 'Design \(old\)' \(as InVision names it\) will be renamed to 'Design'/);
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.getUser(i["alice@example.com"]).active, true);
        const fixed = emu.store.getGroup(design.id);
        assert.equal(fixed.displayName, "Design");
        assert.deepEqual(fixed.members.map((m) => m.value), [i["alice@example.com"]]);
    });

    it("adopts a user who already exists instead of duplicating", async () => {
        const existing = emu.seedUser({ userName: "erin@example.com", givenName: "Erin" });
        const spec = JSON.parse(fs.readFileSync(`${p.dir}/spec.json`, "utf8"));
        spec.users.push({ userName: "erin@example.com", givenName: "Erin" });
        p.writeSpec(spec);
        emu.clearRequests();
        await p.pulumi(["up", "--yes"]);
        assert.equal([...emu.store.users.values()].filter((u) => u.userName === "erin@example.com").length, 1);
        assert.equal(emu.writes().length, 0, "an exact match is adopted without a write");
        const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout);
        assert.ok(state.deployment.resources.some((r: { id?: string }) => r.id === existing.id));
    });

    it("a wrong token fails up with a clear message, and nothing is lost", async () => {
        const spec = JSON.parse(fs.readFileSync(`${p.dir}/spec.json`, "utf8"));
        spec.users.push({ userName: "frank@example.com" });
        p.writeSpec(spec);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", "wrong-token-value"]);
        emu.clearRequests();
        // Preview talks to nobody, so it cannot know; up fails at its first request.
        const pv = await p.pulumi(["preview"]);
        assert.deepEqual(steps(pv.stdout), ["+ invision:User frank@example.com create"]);
        const u = await p.pulumi(["up", "--yes"], { allowFail: true });
        assert.notEqual(u.code, 0);
        assert.match(u.out, /401.*token was refused/s);
        assert.equal(emu.store.userByName("frank@example.com"), undefined);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        await p.pulumi(["up", "--yes"]);
        assert.ok(emu.store.userByName("frank@example.com"));
    });

    it("state and every line of output hold no token; __provider stays small", async () => {
        const state = (await p.pulumi(["stack", "export"])).stdout;
        const parsed = JSON.parse(state);
        let providers = 0;
        for (const r of parsed.deployment.resources as { type: string; urn: string; inputs?: { __provider?: string }; outputs?: { __provider?: string } }[]) {
            if (r.inputs?.__provider) note(`__provider of ${r.urn.split("::").pop()}: ${Buffer.byteLength(r.inputs.__provider)} bytes`);
            // Stored in inputs and outputs of every resource: a require of a stable module, nothing more.
            for (const text of [r.inputs?.__provider, r.outputs?.__provider]) {
                if (text === undefined) continue;
                providers++;
                assert.ok(Buffer.byteLength(text) <= 400, `__provider of ${r.urn} is ${Buffer.byteLength(text)} bytes`);
                assert.ok(!text.includes(TOKEN), `token in __provider of ${r.urn}`);
            }
        }
        assert.ok(providers >= 10, `${providers} __provider values in state`);
        note(`state (stack export): ${Buffer.byteLength(state)} bytes for ${parsed.deployment.resources.length} resources`);
        for (const f of p.stateFiles()) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN), `token in ${f}`);
        assert.ok(!state.includes(TOKEN));
        const all = p.transcript.join("\n");
        assert.ok(all.length > 1000);
        assert.ok(!all.includes(TOKEN), "token in CLI output");
        assert.ok(!all.includes("wrong-token-value"), "wrong token in CLI output");
    });

    it("destroy deactivates users (still readable) and removes groups", async () => {
        const before = emu.store.users.size;
        await p.pulumi(["destroy", "--yes"]);
        assert.equal(emu.store.users.size, before);
        assert.ok([...emu.store.users.values()].every((u) => u.active === false));
        assert.equal(emu.store.groups.size, 0);
    });
});
