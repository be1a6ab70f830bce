import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, createYamlProject, Project, RunResult, steps, YamlProject } from "./harness";
import { note, user } from "./safety-spec";

const TOKEN_A = "tenantA-SECRET-token-5e1f0a";
const TOKEN_B = "tenantB-SECRET-token-c37d92";
const PEOPLE = ["alice@example.com", "bob@example.com", "carol@example.com"];

/**
 * Two tenants that hand out the same ids (numeric, in the same order), each
 * already holding the stack's people, so a mix-up between them cannot hide:
 * tenant B's alice has tenant A's alice's id.
 */
async function tenants(): Promise<[Emulator, Emulator]> {
    const [a, b] = [await startEmulator({ token: TOKEN_A, ids: "numeric" }), await startEmulator({ token: TOKEN_B, ids: "numeric" })];
    for (const emu of [a, b]) for (const email of PEOPLE) emu.seedUser({ userName: email, givenName: email.split("@")[0] });
    a.seedGroup({ displayName: "Design", members: [a.store.userByName(PEOPLE[0])!.id, a.store.userByName(PEOPLE[1])!.id] });
    b.seedGroup({ displayName: "Design" });
    assert.equal(a.store.userByName(PEOPLE[0])!.id, b.store.userByName(PEOPLE[0])!.id);
    return [a, b];
}

const active = (emu: Emulator) => [...emu.store.users.values()].filter((u) => u.active !== false).map((u) => u.userName).sort();
const host = (emu: Emulator) => new URL(emu.url).host;

async function setTenant(p: { pulumi: Project["pulumi"] }, emu: Emulator, token: string): Promise<void> {
    await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
    await p.pulumi(configSet("invision:scimToken", token, { secret: true }));
}

function noToken(transcript: string[]): void {
    const all = transcript.join("\n");
    for (const t of [TOKEN_A, TOKEN_B]) assert.ok(!all.includes(t), "a token in the CLI's output");
}

/**
 * Issue 22, item 1: one tenant per state. A stack's `invision:scimBaseUrl`
 * changed to another tenant is never applied silently: the dynamic resources
 * refuse at preview, naming both hosts; the plugin previews the move (its
 * provider replaced: each resource created in the new tenant, removed from
 * the old by the old configuration). Either way, destroy after it leaves no
 * one with access in either tenant.
 */
describe("a stack pointed at another tenant (invision:scimBaseUrl changed)", { timeout: 30 * 60_000 }, () => {
    describe("the dynamic resources refuse, naming both hosts, and nothing is written anywhere", () => {
        let a: Emulator;
        let b: Emulator;
        let p: Project;
        before(async () => {
            [a, b] = await tenants();
            p = await createProject("tenant-ts", path.join(__dirname, "safety-program"));
            p.writeSpec({ users: PEOPLE.slice(0, 2).map((e) => user(e.split("@")[0])), groups: [{ key: "design", displayName: "Design", members: PEOPLE.slice(0, 2) }] });
            await setTenant(p, a, TOKEN_A);
            await p.pulumi(["up", "--yes"]);
        });
        after(async () => {
            await a?.close();
            await b?.close();
            if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
        });

        it("preview and up fail before any request, with a message naming both tenants' hosts; destroy leaves no one with access in either", async () => {
            await setTenant(p, b, TOKEN_B);
            a.clearRequests();
            b.clearRequests();
            const pv = await p.pulumi(["preview"], { allowFail: true });
            assert.notEqual(pv.code, 0, pv.out);
            const refusal = new RegExp(`lives in the InVision tenant at ${host(a).replace(/\./g, "\\.")}, but this provider is now configured for ${host(b).replace(/\./g, "\\.")}`);
            assert.match(pv.out, refusal);
            const up = await p.pulumi(["up", "--yes", "--skip-preview"], { allowFail: true });
            assert.notEqual(up.code, 0, up.out);
            assert.match(up.out, refusal);
            assert.equal(a.writes().length + b.writes().length, 0, "no write to either tenant");
            assert.deepEqual(active(a), PEOPLE);

            // destroy: the engine deletes with the configuration state recorded (tenant A's), or refuses: never B's 404 taken as done.
            const d = await p.pulumi(["destroy", "--yes"], { allowFail: true });
            note(`destroy with tenant B configured: exit ${d.code}, ${a.writes().length} write(s) to A, ${b.writes().length} to B`);
            assert.equal(b.writes().length, 0);
            if (d.code !== 0) {
                assert.match(d.out, refusal);
                // As the refusal says: destroy uses the configuration the last update recorded (the refused up recorded B's).
                assert.match(d.out, /set invision:scimBaseUrl back to \S+ and run `pulumi up`/);
                await setTenant(p, a, TOKEN_A);
                const up = await p.pulumi(["up", "--yes"]);
                assert.equal(a.writes().length, 0, up.stdout);
                await p.pulumi(["destroy", "--yes"]);
            }
            assert.deepEqual(active(a), [PEOPLE[2]], "the stack's people lost access in A (carol was never in the stack)");
            assert.equal(a.store.groups.size, 0);
            assert.deepEqual(active(b), PEOPLE, "B is as it was");
            assert.equal(b.store.groupByName("Design")!.members.length, 0);
            noToken(p.transcript);
        });
    });

    describe("the plugin previews a move and makes it: created in the new tenant, removed from the old", () => {
        let a: Emulator;
        let b: Emulator;
        let p: YamlProject;
        before(async () => {
            [a, b] = await tenants();
            p = await createYamlProject("tenant-yaml", {
                "Pulumi.yaml": stringify({
                    name: "tenant-yaml",
                    runtime: "yaml",
                    resources: {
                        alice: { type: "invision:index:User", properties: { userName: PEOPLE[0] } },
                        bob: { type: "invision:index:User", properties: { userName: PEOPLE[1] } },
                        design: { type: "invision:index:Group", properties: { displayName: "Design", members: ["${alice.userName}", "${bob.userName}"] } },
                        team: { type: "invision:index:Team", properties: { roster: "team.yaml" } },
                    },
                }),
                "team.yaml": stringify({ users: [{ email: PEOPLE[2] }], groups: [{ name: "Research", members: [PEOPLE[2]] }] }),
            });
            await setTenant(p, a, TOKEN_A);
            await p.pulumi(["up", "--yes"]);
            assert.deepEqual(active(a), PEOPLE);
        });
        after(async () => {
            await a?.close();
            await b?.close();
            if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
        });

        let preview: RunResult;
        it("the preview shows every resource replaced with the provider, says what that does, and sends no request", async () => {
            await setTenant(p, b, TOKEN_B);
            a.clearRequests();
            b.clearRequests();
            preview = await p.pulumi(["preview"]);
            assert.deepEqual(
                steps(preview.stdout)
                    .filter((s) => s.startsWith("+- "))
                    .sort(),
                ["+- invision:Group Research replace", "+- invision:Group design replace", "+- invision:User alice replace", "+- invision:User bob replace", "+- invision:User carol@example.com replace"],
                preview.stdout,
            );
            const words = preview.stdout.split("\n").filter((l) => new RegExp(`^\\s+warning: \\[invision\\] invision:scimBaseUrl moves this provider from the InVision tenant at ${host(a)} to the one at ${host(b)}`).test(l));
            assert.equal(words.length, 1, "said once, though the engine asks more than one process");
            assert.equal(a.requests.length + b.requests.length, 0);
        });

        it("up creates (adopts) everyone in B and deactivates them in A, though B's ids are A's; destroy then leaves no one with access in either", async () => {
            const up = await p.pulumi(["up", "--yes"]);
            assert.deepEqual(active(b), PEOPLE);
            assert.deepEqual(active(a), [], up.stdout);
            assert.equal(a.store.groups.size, 0);
            assert.deepEqual(b.store.groupByName("Design")!.members.map((m) => m.value).sort(), [b.store.userByName(PEOPLE[0])!.id, b.store.userByName(PEOPLE[1])!.id].sort());
            const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout) as { deployment: { resources: { type: string; outputs?: { tenant?: string } }[] } };
            const tenantsInState = new Set(state.deployment.resources.filter((r) => /^invision:index:(User|Group)$/.test(r.type)).map((r) => r.outputs?.tenant));
            assert.deepEqual([...tenantsInState], [b.url]);

            await p.pulumi(["destroy", "--yes"]);
            assert.deepEqual(active(a), []);
            assert.deepEqual(active(b), []);
            assert.equal(b.store.groups.size, 0);
            noToken(p.transcript);
        });
    });
});
