import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, packageVersion, pluginArchive, Project, RunResult, steps } from "./harness";
import { note } from "./safety-spec";

const TOKEN = "team-move-SECRET-token-8b2e41";
const ROSTER = {
    users: [{ email: "alice@example.com" }, { email: "bob@example.com" }, { email: "carol@example.com" }],
    groups: [
        { name: "Design", members: ["alice@example.com", "bob@example.com"] },
        { name: "Research", members: ["carol@example.com"] },
    ],
};
const STACKS = ["ts-documented", "ts-wrong", "yaml-documented", "yaml-wrong"] as const;
type StackName = (typeof STACKS)[number];

/** The YAML twin of team-move-program: the same Team, by the same name, in the same project. */
const yamlProgram = (movedFrom: boolean) =>
    stringify({ name: "team-move", runtime: "yaml", resources: { team: { type: "invision:index:Team", properties: { roster: "team.yaml", ...(movedFrom ? { movedFrom: "dynamic" } : {}) } } } });

/** What the tenant looks like, by name: who is active, each group's members by email. */
function tenantView(emu: Emulator) {
    const email = (id: string) => emu.store.getUser(id).userName;
    return {
        active: [...emu.store.users.values()].filter((u) => u.active !== false).map((u) => u.userName).sort(),
        groups: Object.fromEntries([...emu.store.groups.values()].map((g) => [g.displayName, g.members.map((m) => email(String(m.value))).sort()])),
        ids: [...emu.store.users.values(), ...emu.store.groups.values()].map((o) => String(o.id)).sort(),
    };
}

interface StateResource {
    urn: string;
    type: string;
    id?: string;
}

/**
 * Issue 22, item 2: a TypeScript InVisionTeam stack moved to the invision
 * plugin's types, from TypeScript (plugin.pluginResources) and to a YAML
 * `invision:index:Team`. The documented way (`movedFrom: "dynamic"`, which
 * aliases each child to its old type) previews no change, says that the same
 * people are handed over, and sends no request. The wrong way (no option:
 * every child created anew under the plugin's type and the old one deleted
 * by the dynamic provider's process) deactivates nobody and deletes no
 * group, though the adoptions happen in one provider process and the deletes
 * in another.
 */
describe("an InVisionTeam stack moved from the dynamic resources to the plugin", { timeout: 40 * 60_000 }, () => {
    let p: Project;
    const emus = new Map<StackName, Emulator>();
    const emu = (s: StackName) => emus.get(s)!;
    // --stack before any "--": after it the CLI takes everything for values.
    const run = (s: StackName, args: string[]) => {
        const end = args.indexOf("--");
        return p.pulumi(end < 0 ? [...args, "--stack", s] : [...args.slice(0, end), "--stack", s, ...args.slice(end)]);
    };

    before(async () => {
        p = await createProject("team-move", path.join(__dirname, "team-move-program"));
        fs.writeFileSync(path.join(p.dir, "team.yaml"), stringify(ROSTER));
        await p.pulumi(["plugin", "install", "resource", "invision", packageVersion(), "--file", pluginArchive()]);
        p.writeSpec({ classes: "dynamic" });
        for (const s of STACKS) {
            emus.set(s, await startEmulator({ token: TOKEN }));
            if (s !== "ts-documented") await p.pulumi(["stack", "init", s]);
            else await p.pulumi(["stack", "rename", s, "--stack", "e2e"]);
            await run(s, configSet("invision:scimBaseUrl", emu(s).url));
            await run(s, configSet("invision:scimToken", TOKEN, { secret: true }));
        }
        // Four stacks of one program, each its own tenant: their first ups at once.
        await Promise.all(STACKS.map((s) => run(s, ["up", "--yes"])));
        for (const s of STACKS) assert.equal(emu(s).store.users.size, 3, s);
    });
    after(async () => {
        for (const e of emus.values()) await e.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    async function resources(s: StackName): Promise<StateResource[]> {
        return (JSON.parse((await run(s, ["stack", "export"])).stdout).deployment.resources ?? []) as StateResource[];
    }
    /** Users and groups of one door, as name=id. */
    const ids = (rs: StateResource[], prefix: string) =>
        rs
            .filter((r) => r.type === `${prefix}User` || r.type === `${prefix}Group`)
            .map((r) => `${r.urn.split("::").pop()}=${r.id}`)
            .sort();

    /** The documented move: no step, the hand-over said for each of the five, no request; up sends nothing and state keeps every id. */
    async function documented(s: StackName): Promise<RunResult> {
        const before = await resources(s);
        const dynamicIds = ids(before, "pulumi-nodejs:dynamic/invision:");
        assert.equal(dynamicIds.length, 5);
        emu(s).clearRequests();
        const pv = await run(s, ["preview"]);
        assert.deepEqual(steps(pv.stdout), [], pv.stdout);
        assert.equal(emu(s).requests.length, 0, "the preview sends no request");
        note(`${s}: the preview's hand-over lines are on ${/moves from the dynamic resources/.test(pv.stdout) ? "stdout" : "stderr"}`);
        for (const who of ["user alice@example.com", "user bob@example.com", "user carol@example.com"]) {
            assert.match(pv.out, new RegExp(`${who} moves from the dynamic resources \\(InVisionUser\\) to the invision plugin \\(invision:index:User\\): the same InVision account \\(id [^)]+\\) is handed over`));
        }
        for (const g of ["Design", "Research"]) assert.match(pv.out, new RegExp(`group '${g}' moves from the dynamic resources \\(InVisionGroup\\) to the invision plugin \\(invision:index:Group\\): the same InVision group`));
        const tenant = tenantView(emu(s));
        const up = await run(s, ["up", "--yes"]);
        assert.equal(emu(s).writes().length, 0, up.stdout);
        assert.deepEqual(tenantView(emu(s)), tenant);
        const after = await resources(s);
        assert.deepEqual(ids(after, "invision:index:"), dynamicIds);
        assert.equal(ids(after, "pulumi-nodejs:dynamic/").length, 0);
        emu(s).clearRequests();
        const again = await run(s, ["preview"]);
        assert.deepEqual(steps(again.stdout), []);
        return up;
    }

    /** The move without the option: creates and deletes, in two provider processes, and yet nobody loses access. */
    async function wrong(s: StackName): Promise<void> {
        const tenant = tenantView(emu(s));
        emu(s).clearRequests();
        const pv = await run(s, ["preview"]);
        assert.equal(steps(pv.stdout).filter((x) => x.startsWith("+ ")).length, 5, pv.stdout);
        assert.equal(steps(pv.stdout).filter((x) => x.startsWith("- ")).length, 5, pv.stdout);
        const up = await run(s, ["up", "--yes"]);
        const writes = emu(s).writes();
        note(`${s}: up sent ${writes.length} write(s): ${writes.map((w) => `${w.method} ${w.path}`).join(", ") || "none"}`);
        assert.ok(!writes.some((w) => w.method === "DELETE"), "no group deleted, no user deleted");
        assert.ok(!writes.some((w) => JSON.stringify(w.body ?? "").includes('"active"') && JSON.stringify(w.body).includes("false")), "nobody deactivated");
        assert.deepEqual(tenantView(emu(s)), tenant, "the same people, active, in the same groups, under the same ids");
        // Each delete was skipped by the process that made it, because the other process's adoption claimed the object.
        assert.equal((up.stdout.match(/is now managed by another resource of this stack; handed over, nothing is removed from InVision/g) ?? []).length >= 5, true, up.stdout);
        const after = await resources(s);
        assert.equal(ids(after, "invision:index:").length, 5);
        assert.equal(ids(after, "pulumi-nodejs:dynamic/").length, 0);
    }

    it("TypeScript, with movedFrom: \"dynamic\": no change, the hand-over said, no write", async () => {
        p.writeSpec({ classes: "plugin", movedFrom: "dynamic" });
        await documented("ts-documented");
    });

    it("TypeScript, without it: nobody deactivated, no group deleted", async () => {
        p.writeSpec({ classes: "plugin" });
        await wrong("ts-wrong");
    });

    it("to a YAML invision:index:Team, with movedFrom: dynamic: no change, the hand-over said, no write", async () => {
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), yamlProgram(true));
        await documented("yaml-documented");
    });

    it("to a YAML invision:index:Team, without it: nobody deactivated, no group deleted", async () => {
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), yamlProgram(false));
        await wrong("yaml-wrong");
        // Our own command lines setting the token hold it (--stack follows it); what the CLI printed must not.
        assert.ok(!p.transcript.filter((c) => !c.startsWith("$ pulumi config set --secret invision:scimToken")).join("\n").includes(TOKEN));
    });
});
