import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { createProject, Project } from "./harness";

/**
 * Issue 21, two of the smaller items, through the real CLI with InVisionTeam:
 * after a run the deletion guard refused, `access` still says what InVision
 * has and the next preview shows no gain that is not real; and declaring
 * someone recorded as added by hand moves her out of the kept line.
 */
const TOKEN = "team-refused-SECRET-token-5b2e";

const roster = (design: string[]) =>
    stringify({
        users: ["alice", "bob", "carol"].map((n) => ({ email: `${n}@example.com` })),
        groups: [
            { name: "Design", members: design.map((n) => `${n}@example.com`) },
            { name: "Research", members: ["carol@example.com"] },
        ],
    });

describe("InVisionTeam's access after a refused run, and a hand-added member declared", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const access = async () => JSON.parse((await p.pulumi(["stack", "output", "access", "--json"])).stdout) as Record<string, string>;
    const members = (name: string) => emu.store.groupByName(name)!.members.map((m) => emu.store.getUser(m.value).userName).sort();

    before(async () => {
        emu = await startEmulator({ token: TOKEN, profile: "strict" });
        emu.seedUser({ userName: "zoe@example.com" });
        p = await createProject("team-refused", path.resolve(__dirname, "..", "..", "examples", "team"));
        fs.writeFileSync(path.join(p.dir, "team.yaml"), roster(["alice", "bob"]));
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["up", "--yes", "--skip-preview"], { env: { INVISION_SCIM_TOKEN: TOKEN } });
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("a refused run leaves access as InVision has it, and the next preview shows no gain that is not real", async () => {
        await p.pulumi(["config", "set", "invision:maxMembershipRemovals", "0"]);
        fs.writeFileSync(path.join(p.dir, "team.yaml"), roster(["alice"]));
        const up = await p.pulumi(["up", "--yes", "--skip-preview"], { allowFail: true, env: { INVISION_SCIM_TOKEN: TOKEN } });
        assert.notEqual(up.code, 0);
        assert.match(up.out, /Refused by the deletion guard/);
        assert.deepEqual(members("Design"), ["alice@example.com", "bob@example.com"], "nothing was removed");
        const a = await access();
        process.stdout.write(`# access after the refused run: ${JSON.stringify(a)}\n`);
        assert.equal(a["bob@example.com"], "Design", "bob is still in Design in InVision");
        assert.equal(a["alice@example.com"], "Design");
        const next = await p.pulumi(["preview", "--diff"]);
        process.stdout.write(`# the next preview:\n# ${next.stdout.split("\n").join("\n# ")}\n`);
        assert.doesNotMatch(next.stdout, /\+ +\w+@example\.com\s*:/, "no person shows as gaining access");
        assert.match(next.out, /group 'Design' will remove 1 member\(s\): bob@example.com/);
        await p.pulumi(["config", "set", "invision:maxMembershipRemovals", "10"]);
        await p.pulumi(["up", "--yes", "--skip-preview"], { env: { INVISION_SCIM_TOKEN: TOKEN } });
        assert.deepEqual(members("Design"), ["alice@example.com"]);
        assert.equal((await access())["bob@example.com"], "(no group)");
    });

    it("declaring someone recorded as added by hand moves her from the kept line to her own, with no write", async () => {
        const zoe = emu.store.userByName("zoe@example.com")!;
        emu.store.groupByName("Research")!.members.push({ value: zoe.id });
        await p.pulumi(["refresh", "--yes", "--skip-preview"], { env: { INVISION_SCIM_TOKEN: TOKEN } });
        const exported = JSON.parse((await p.pulumi(["stack", "export"])).stdout) as { deployment: { resources: { urn: string; outputs?: { unmanagedMembers?: string[] } }[] } };
        const research = exported.deployment.resources.find((r) => r.urn.endsWith("Group::Research"))!;
        assert.deepEqual(research.outputs?.unmanagedMembers, ["zoe@example.com"], "the refresh recorded her as not declared");
        fs.writeFileSync(
            path.join(p.dir, "team.yaml"),
            stringify({
                users: ["alice", "bob", "carol", "zoe"].map((n) => ({ email: `${n}@example.com` })),
                groups: [
                    { name: "Design", members: ["alice@example.com"] },
                    { name: "Research", members: ["carol@example.com", "zoe@example.com"] },
                ],
            }),
        );
        emu.clearRequests();
        await p.pulumi(["up", "--yes", "--skip-preview"], { env: { INVISION_SCIM_TOKEN: TOKEN } });
        assert.ok(!emu.writes().some((w) => w.path.startsWith("/Groups")), JSON.stringify(emu.writes()));
        const a = await access();
        assert.equal(a["zoe@example.com"], "Research");
        assert.equal(a["(in these groups, not in the roster)"], "none");
    });
});
