import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { createYamlProject, steps, YamlProject } from "./harness";
import { previewBody, recordHandAdded, tamper } from "./snapshot-support";

/**
 * Issue 24 through the real CLI, YAML door (the invision plugin installed
 * from its archive): the preview from a snapshot equals the preview against
 * the backend, the token in stack config included; the apply's check
 * refuses state a trusted job did not write.
 */

const TOKEN = "snapshot-yaml-SECRET-token-8d2b6e1f";
const note = (s: string) => process.stdout.write(`# ${s}\n`);
const PROGRAM = stringify({
    name: "invision-yaml-snapshot",
    runtime: "yaml",
    resources: { team: { type: "invision:index:Team", properties: { roster: "team.yaml" } } },
    outputs: { access: "${team.access}" },
});
const roster = (users: string[], design: string[]) =>
    stringify({ users: users.map((u) => ({ email: `${u}@example.com`, givenName: u })), groups: [{ name: "Design", members: design.map((u) => `${u}@example.com`) }] });

describe("the pull request previews from a snapshot; the apply trusts only what a trusted job published (YAML + plugin)", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: YamlProject;
    const file = (name: string) => path.join(p.dir, name);

    async function publishSnapshot(): Promise<string> {
        await p.pulumi(["stack", "export", "--file", file("export.json")]);
        const r = await p.invision(["snapshot", "--in", file("export.json"), "--out", file("snapshot.json")]);
        assert.equal(r.code, 0, r.out);
        return file("snapshot.json");
    }
    async function check(snapshot: string) {
        await p.pulumi(["stack", "export", "--file", file("current.json")]);
        return p.invision(["verify-state", "--expected", snapshot, "--actual", file("current.json")]);
    }

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createYamlProject("snapshot-yaml", { "Pulumi.yaml": PROGRAM, "team.yaml": roster(["alice", "bob", "carol"], ["alice", "bob"]) });
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        // In stack config, as the YAML example allows: the default provider's state then holds it (encrypted).
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        await p.pulumi(["up", "--yes"]);
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("the preview from the snapshot, with no credential, equals the preview against the backend", async () => {
        const snapshot = await publishSnapshot();
        assert.ok(!fs.readFileSync(snapshot, "utf8").includes(TOKEN));
        assert.equal((await check(snapshot)).code, 0);
        fs.writeFileSync(file("team.yaml"), roster(["alice", "carol", "erin"], ["alice", "carol", "erin"]));
        emu.clearRequests();
        const real = await p.pulumi(["preview", "--diff"]);
        const fromSnapshot = await p.invision(["preview-from-snapshot", "--snapshot", snapshot, "--", "--diff"], { PULUMI_BACKEND_URL: "", PULUMI_CONFIG_PASSPHRASE: "" });
        assert.equal(fromSnapshot.code, 0, fromSnapshot.out);
        assert.equal(emu.requests.length, 0);
        assert.deepEqual(steps(fromSnapshot.stdout).sort(), ["+ invision:User erin@example.com create", "- invision:User bob@example.com delete", "~ invision:Group Design update"]);
        assert.deepEqual(previewBody(fromSnapshot.stdout), previewBody(real.stdout));
        assert.ok(!fromSnapshot.out.includes(TOKEN));
        note(`preview from the snapshot (YAML):\n${previewBody(fromSnapshot.stdout).join("\n")}`);
    });

    it("a member recorded in state as hand-added is caught before anything runs; without the check, up removes her", async () => {
        await p.pulumi(["up", "--yes"]);
        const snapshot = await publishSnapshot();
        const mallory = emu.seedUser({ userName: "mallory@example.com" });
        const design = emu.store.groupByName("Design")!;
        emu.store.patchGroup(design.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: mallory.id }] }] });
        await tamper(p.pulumi, p.dir, (d) => recordHandAdded(d, "invision:index:Group::Design", "mallory@example.com", mallory.id));
        emu.clearRequests();
        const refused = await check(snapshot);
        assert.equal(refused.code, 1, refused.out);
        assert.match(refused.stderr, /invision:index:Group::Design\n\s+outputs\.unmanagedMembers: snapshot \[\], backend \["mallory@example\.com"\]/);
        assert.equal(emu.requests.length, 0);
        assert.ok(emu.store.getGroup(design.id).members.some((m) => m.value === mallory.id), "Mallory keeps her access");

        await p.pulumi(["up", "--yes"]);
        assert.ok(!emu.store.getGroup(design.id).members.some((m) => m.value === mallory.id), "an up without the check removes her");
    });
});
