import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, RequestRecord, startEmulator } from "../../provider/emulator";
import { configSet, createProject, Project, steps } from "./harness";

const note = (s: string) => process.stdout.write(`# ${s}\n`);
const ONBOARDING = { PULUMI_SKIP_CHECKPOINTS: "true" };

/** Every descendant of a process, read from /proc before any of them is killed (once killed, they are re-parented). */
function processTree(root: number): number[] {
    const parent = new Map<number, number>();
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            // The fields after the command name, which may itself hold spaces and parentheses.
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
        } catch {
            // gone already
        }
    }
    const tree = [root];
    for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
    return tree;
}

const posts = (rs: RequestRecord[], collection: string) => rs.filter((r) => r.method === "POST" && r.path === `/${collection}`);
const patches = (rs: RequestRecord[], collection: string) => rs.filter((r) => r.method === "PATCH" && r.path.startsWith(`/${collection}/`));

/**
 * The onboarding mode (README, "Large tenants"): PULUMI_SKIP_CHECKPOINTS=true
 * makes the engine write state once, at the end. It is safe for the first
 * `up` of an exported tenant because every create adopts what exists, so a
 * run killed midway (SIGKILL: no state written at all) is simply run again.
 * Here 50 people are in InVision already and 10 new hires come with the same
 * onboarding, as do a new group and 5 members missing from an existing one.
 */
describe("onboarding with PULUMI_SKIP_CHECKPOINTS, killed midway", { timeout: 20 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const people = Array.from({ length: 60 }, (_, i) => ({ email: `person${String(i).padStart(2, "0")}@example.com`, givenName: "Person", familyName: `N${i}` }));
    const newHires = people.slice(50).map((u) => u.email);
    const design = [...people.slice(0, 20), ...people.slice(50, 55)].map((u) => u.email);

    before(async () => {
        // Latency stretches the run so that the kill lands among the creates.
        emu = await startEmulator({ latencyMs: 150 });
        const ids = new Map(people.slice(0, 50).map((u) => [u.email, emu.seedUser({ userName: u.email, givenName: u.givenName, familyName: u.familyName }).id]));
        emu.seedGroup({ displayName: "Design", members: design.filter((e) => ids.has(e)).map((e) => ids.get(e)!) });
        emu.seedGroup({ displayName: "Everyone", members: [...ids.values()] });
        p = await createProject("onboarding", path.resolve(__dirname, "..", "..", "examples", "team"));
        fs.writeFileSync(
            path.join(p.dir, "team.yaml"),
            stringify({
                users: people,
                groups: [
                    { name: "Design", members: design },
                    { name: "Everyone", members: people.slice(0, 50).map((u) => u.email) },
                    { name: "New hires", members: newHires },
                ],
            }),
        );
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", emu.token, { secret: true }));
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("a second run converges: no duplicate, and it writes only what the first left missing", async () => {
        emu.clearRequests();
        const first = p.start(["up", "--yes", "--skip-preview"], { env: ONBOARDING });
        // Kill the CLI and everything it started (language host, program, provider) once a few new hires are posted.
        let killed = false;
        const watch = setInterval(() => {
            if (killed || posts(emu.requests, "Users").length < 2) return;
            killed = true;
            for (const pid of processTree(first.child.pid!).reverse()) {
                try {
                    process.kill(pid, "SIGKILL");
                } catch {
                    // exited meanwhile
                }
            }
        }, 5);
        const r1 = await first.done;
        clearInterval(watch);
        assert.ok(killed, `the first run finished before the kill:\n${r1.out}`);
        assert.notEqual(r1.code, 0);
        const firstRun = [...emu.requests];
        // Let requests the killed provider had in flight land: the emulator still processes them.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const landed = [...emu.requests];

        // What the killed run left missing, from InVision itself.
        const userNames = [...emu.store.users.values()].map((u) => u.userName.toLowerCase());
        const missingUsers = people.filter((u) => !userNames.includes(u.email)).length;
        const groupByName = new Map([...emu.store.groups.values()].map((g) => [g.displayName, g]));
        const idOf = new Map([...emu.store.users.values()].map((u) => [u.userName.toLowerCase(), u.id]));
        const lacking = (name: string, wanted: string[]) => {
            const held = new Set((groupByName.get(name)?.members ?? []).map((m) => m.value));
            return wanted.some((e) => !held.has(idOf.get(e) ?? `missing:${e}`));
        };
        const groupsToPatch = [["Design", design] as const].filter(([n, w]) => groupByName.has(n) && lacking(n, w)).length;
        const groupsToCreate = groupByName.has("New hires") ? 0 : 1;
        note(`killed after ${firstRun.length} requests (${posts(firstRun, "Users").length} user POSTs); left missing: ${missingUsers} users, ${groupsToCreate} group, ${groupsToPatch} group short of members`);
        assert.ok(missingUsers + groupsToCreate + groupsToPatch > 0, "the kill left nothing to do: not midway");

        // The killed run still holds the stack's lock: `pulumi cancel` releases it (README, "Large tenants").
        const locked = await p.pulumi(["up", "--yes", "--skip-preview"], { env: ONBOARDING, allowFail: true });
        assert.match(locked.out, /currently locked/);
        await p.pulumi(["cancel", "--yes"]);
        emu.clearRequests();
        const r2 = await p.pulumi(["up", "--yes", "--skip-preview"], { env: ONBOARDING });
        const second = emu.requests;
        note(`second run: ${second.length} requests, ${emu.writes().length} writes`);

        // Converged: everyone once, each group exactly as declared.
        assert.equal(emu.store.users.size, 60);
        assert.equal(new Set([...emu.store.users.values()].map((u) => u.userName.toLowerCase())).size, 60, "a duplicate user");
        const ids = new Map([...emu.store.users.values()].map((u) => [u.userName.toLowerCase(), u.id]));
        const members = (name: string) => [...emu.store.groups.values()].filter((g) => g.displayName === name).map((g) => g.members.map((m) => m.value).sort());
        assert.deepEqual(members("Design"), [design.map((e) => ids.get(e)!).sort()]);
        assert.deepEqual(members("New hires"), [newHires.map((e) => ids.get(e)!).sort()]);
        assert.equal(members("Everyone")[0].length, 50);

        // Only what was missing was written, by the second run; the two together wrote each thing once.
        assert.equal(posts(second, "Users").length, missingUsers);
        assert.equal(posts(second, "Groups").length, groupsToCreate);
        assert.equal(patches(second, "Groups").length, groupsToPatch);
        assert.equal(patches(second, "Users").length, 0);
        assert.equal(second.filter((q) => q.method === "DELETE").length, 0);
        assert.equal(posts([...landed, ...second], "Users").length, 10);
        assert.ok(posts([...landed, ...second], "Groups").length <= 1);

        assert.ok(patches([...landed, ...second], "Groups").length <= 1, "Design was patched twice");

        // And the state written at the end is complete: the next preview shows no change.
        assert.equal(r2.code, 0);
        emu.clearRequests();
        const again = await p.pulumi(["preview"]);
        assert.deepEqual(steps(again.stdout), []);
        assert.match(again.stdout, /65 unchanged/);
        assert.equal(emu.requests.length, 0);
    });
});
