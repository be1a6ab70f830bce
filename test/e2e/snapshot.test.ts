import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { createProject, Project, steps } from "./harness";
import { previewBody, recordHandAdded, resource, tamper } from "./snapshot-support";

/**
 * Issue 24 through the real CLI, TypeScript door: the pull request's preview
 * runs from a snapshot with no credential and shows what a preview against
 * the backend shows; the apply runs nothing from state a trusted job did not
 * write. `applyAsTheWorkflowDoes` is invision-apply.yml's order of steps.
 */

const TOKEN = "snapshot-SECRET-token-5f1e9a2c";
const note = (s: string) => process.stdout.write(`# ${s}\n`);
const roster = (users: string[], design: string[]) => ({
    users: users.map((u) => ({ userName: `${u}@example.com`, givenName: u })),
    groups: [{ key: "design", displayName: "Design", members: design.map((u) => `${u}@example.com`) }],
});

describe("the pull request previews from a snapshot; the apply trusts only what a trusted job published (TypeScript)", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    let snapshot: string;
    const file = (name: string) => path.join(p.dir, name);
    const invision = (args: string[], env: NodeJS.ProcessEnv = {}) => p.bin("pulumi-invision", args, env);
    const backendDigest = () => createHash("sha256").update(p.stateFiles().sort().map((f) => `${f}\n${fs.readFileSync(f, "utf8")}`).join("\n")).digest("hex");

    /** What invision-apply.yml's steps do, in order: the backend's export checked against the last trusted snapshot, then up, then a new snapshot. */
    async function applyAsTheWorkflowDoes() {
        await p.pulumi(["stack", "export", "--file", file("current.json")]);
        const check = await invision(["verify-state", "--expected", snapshot, "--actual", file("current.json")]);
        if (check.code !== 0) return { check };
        const up = await p.pulumi(["up", "--yes", "--refresh"]);
        await publishSnapshot();
        return { check, up };
    }
    /** The trusted jobs' last step: `pulumi stack export | pulumi-invision snapshot`. */
    async function publishSnapshot() {
        await p.pulumi(["stack", "export", "--file", file("export.json")]);
        const r = await invision(["snapshot", "--in", file("export.json"), "--out", file("snapshot.json")]);
        assert.equal(r.code, 0, r.out);
        snapshot = file("snapshot.json");
    }

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createProject("snapshot");
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        // A secret in stack config, so the preview from the snapshot must do without it.
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        p.writeSpec(roster(["alice", "bob", "carol"], ["alice", "bob"]));
        await p.pulumi(["up", "--yes"]);
        await publishSnapshot();
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("the snapshot holds the state and no token, and the backend's state passes the check", async () => {
        const text = fs.readFileSync(snapshot, "utf8");
        assert.ok(!text.includes(TOKEN));
        assert.match(text, /pulumi-nodejs:dynamic\/invision:Group::design/);
        const check = await invision(["verify-state", "--expected", snapshot, "--actual", file("export.json")]);
        assert.equal(check.code, 0, check.out);
        assert.match(check.stderr, /State check passed: the backend's \d+ resources are the trusted snapshot's/);
    });

    it("a pull request's preview from the snapshot, with no credential, equals the preview against the backend", async () => {
        p.writeSpec(roster(["alice", "carol", "erin"], ["alice", "carol", "erin"]));
        emu.clearRequests();
        const real = await p.pulumi(["preview", "--diff"]);
        const before = backendDigest();
        // The pull-request job's environment: no backend URL, no passphrase, no SCIM token.
        const fromSnapshot = await invision(["preview-from-snapshot", "--snapshot", snapshot, "--stack", "e2e", "--out", file("preview.txt"), "--", "--diff"], {
            PULUMI_BACKEND_URL: "",
            PULUMI_CONFIG_PASSPHRASE: "",
            INVISION_SCIM_TOKEN: "",
        });
        assert.equal(fromSnapshot.code, 0, fromSnapshot.out);
        assert.equal(backendDigest(), before, "the real backend was not touched");
        assert.equal(emu.requests.length, 0, "neither preview sent a request");
        assert.deepEqual(steps(fromSnapshot.stdout).sort(), ["+ invision:User erin@example.com create", "- invision:User bob@example.com delete", "~ invision:Group design update"]);
        assert.deepEqual(previewBody(fromSnapshot.stdout), previewBody(real.stdout));
        assert.equal(fs.readFileSync(file("preview.txt"), "utf8").includes("~ pulumi-nodejs:dynamic/invision:Group: (update)"), true, "--out holds the preview");
        assert.ok(!fromSnapshot.out.includes(TOKEN));
        note(`preview from the snapshot:\n${previewBody(fromSnapshot.stdout).join("\n")}`);
    });

    it("the apply checks the state, applies, and publishes the next snapshot; the check then passes against it", async () => {
        const { check, up } = await applyAsTheWorkflowDoes();
        assert.equal(check.code, 0, check.out);
        assert.ok(up, "up ran");
        assert.ok(emu.store.userByName("erin@example.com"), "erin was created");
        assert.deepEqual(emu.store.groupByName("Design")!.members.map((m) => emu.store.getUser(m.value).userName).sort(), ["alice@example.com", "carol@example.com", "erin@example.com"]);
        // The next run's check: the state is the snapshot this run published.
        await p.pulumi(["stack", "export", "--file", file("current.json")]);
        const next = await invision(["verify-state", "--expected", snapshot, "--actual", file("current.json")]);
        assert.equal(next.code, 0, next.out);
    });

    it("a member recorded in state as hand-added is caught before anything runs: no request, nobody removed", async () => {
        // Mallory really is in the group (added in the console); state is edited to say a run recorded her, so the next up would remove her.
        const mallory = emu.seedUser({ userName: "mallory@example.com", givenName: "Mallory" });
        const design = emu.store.groupByName("Design")!;
        emu.store.patchGroup(design.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: mallory.id }] }] });
        const handAdded = (d: Parameters<typeof recordHandAdded>[0]) => recordHandAdded(d, "invision:Group::design", "mallory@example.com", mallory.id);
        const good = await tamper(p.pulumi, p.dir, handAdded);
        emu.clearRequests();
        const { check, up } = await applyAsTheWorkflowDoes();
        assert.equal(check.code, 1);
        assert.equal(up, undefined, "up never ran");
        assert.match(check.stderr, /not the one the last trusted job published/);
        assert.match(check.stderr, /invision:Group::design\n\s+outputs\.memberIds: /);
        assert.match(check.stderr, /outputs\.unmanagedMembers: snapshot \[\], backend \["mallory@example\.com"\]/);
        assert.equal(emu.requests.length, 0, "no request reached InVision");
        assert.ok(emu.store.getGroup(design.id).members.some((m) => m.value === mallory.id), "Mallory keeps her access");
        note(`the check's refusal:\n${check.stderr.trim()}`);
        await p.pulumi(["stack", "import", "--file", good]);

        // Without the check, the same state removes her: the tamper is real.
        await tamper(p.pulumi, p.dir, handAdded);
        await p.pulumi(["up", "--yes"]);
        assert.ok(!emu.store.getGroup(design.id).members.some((m) => m.value === mallory.id), "an up without the check removes her");
        await publishSnapshot();
    });

    it("a resource with a crafted __provider is caught before anything runs: its code never runs, no request is sent", async () => {
        const mark = file("crafted-provider-ran.txt");
        const crafted = `require("fs").writeFileSync(${JSON.stringify(mark)}, String(process.env.INVISION_SCIM_TOKEN));\nexports.handler = () => require("pulumi-invision/provider/user");\n`;
        const good = await tamper(p.pulumi, p.dir, (d) => {
            const template = resource(d, "invision:User::alice@example.com");
            const ghost = JSON.parse(JSON.stringify(template)) as typeof template;
            ghost.urn = template.urn.replace("alice@example.com", "ghost@example.com");
            ghost.id = "ghost-id";
            ghost.inputs = { ...ghost.inputs, __provider: crafted, userName: "ghost@example.com" };
            ghost.outputs = { ...ghost.outputs, __provider: crafted, userName: "ghost@example.com" };
            d.resources.push(ghost);
        });
        emu.clearRequests();
        const { check, up } = await applyAsTheWorkflowDoes();
        assert.equal(check.code, 1);
        assert.equal(up, undefined, "up never ran");
        assert.match(check.stderr, /code that is not pulumi-invision's; nothing from this state may run/);
        assert.match(check.stderr, /invision:User::ghost@example\.com\n\s+inputs\.__provider is not this package's module reference/);
        assert.match(check.stderr, /invision:User::ghost@example\.com\n\s+outputs\.__provider is not/);
        assert.match(check.stderr, /ghost@example\.com\n\s+resource: is in the backend's state but not in the trusted snapshot \(added\)/);
        assert.ok(!fs.existsSync(mark), "the crafted code did not run");
        assert.equal(emu.requests.length, 0);

        // Even with the snapshot set aside (adopting the current state once), foreign code is refused.
        const providersOnly = await invision(["verify-state", "--providers-only", "--actual", file("current.json")]);
        assert.equal(providersOnly.code, 1, providersOnly.out);
        assert.ok(!fs.existsSync(mark));

        // Without the check, the engine deletes the ghost through its own __provider: the code runs.
        await p.pulumi(["up", "--yes"], { allowFail: true });
        assert.ok(fs.existsSync(mark), "an up without the check runs the code from state");
        await p.pulumi(["stack", "import", "--file", good]);
    });
});
