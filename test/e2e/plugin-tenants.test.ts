import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createYamlProject, YamlProject } from "./harness";

const TOKEN_A = "tenantA-SECRET-token-1b2c3d";
const TOKEN_B = "tenantB-SECRET-token-9f8e7d";

/**
 * Two InVision tenants from one YAML program: the stack's `invision:` config
 * for the default provider, an explicit provider instance with its own URL
 * and token for the other. The engine starts a plugin process per provider,
 * so each has its own settings, client and deletion budget.
 */
describe("the invision plugin: two tenants in one program through explicit providers", { timeout: 30 * 60_000 }, () => {
    let a: Emulator;
    let b: Emulator;
    let p: YamlProject;

    before(async () => {
        a = await startEmulator({ token: TOKEN_A });
        b = await startEmulator({ token: TOKEN_B });
        p = await createYamlProject(
            "plugin-tenants",
            {
                "Pulumi.yaml": stringify({
                    name: "invision-tenants",
                    runtime: "yaml",
                    config: { tenantBUrl: { type: "string" }, tenantBToken: { type: "string", secret: true }, aliceName: { type: "string", secret: true } },
                    resources: {
                        tenantB: { type: "pulumi:providers:invision", properties: { scimBaseUrl: "${tenantBUrl}", scimToken: "${tenantBToken}" } },
                        alice: { type: "invision:index:User", properties: { userName: "alice@example.com", givenName: "${aliceName}" } },
                        bob: { type: "invision:index:User", properties: { userName: "bob@example.com" }, options: { provider: "${tenantB}" } },
                        teamB: { type: "invision:index:Team", properties: { roster: "team-b.yaml" }, options: { providers: ["${tenantB}"] } },
                    },
                }),
                "team-b.yaml": stringify({ users: [{ email: "carol@example.com" }], groups: [{ name: "Design", members: ["carol@example.com"] }] }),
            },
        );
        await p.pulumi(configSet("invision:scimBaseUrl", a.url));
        // Not set as a secret: the plugin's CheckConfig makes it one, so the
        // default provider's inputs in state hold it encrypted.
        await p.pulumi(configSet("invision:scimToken", TOKEN_A));
        await p.pulumi(configSet("tenantBUrl", b.url));
        await p.pulumi(configSet("tenantBToken", TOKEN_B, { secret: true }));
        await p.pulumi(configSet("aliceName", "Alice-SECRET-name", { secret: true }));
    });
    after(async () => {
        await a?.close();
        await b?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("each resource lands in its provider's tenant, a Team's children in the Team's; no token is stored or shown, a secret input stays secret", async () => {
        await p.pulumi(["up", "--yes"]);
        assert.deepEqual([...a.store.users.values()].map((u) => u.userName), ["alice@example.com"]);
        assert.deepEqual([...b.store.users.values()].map((u) => u.userName).sort(), ["bob@example.com", "carol@example.com"]);
        assert.equal(b.store.groupByName("Design")!.members.length, 1);
        assert.equal(a.store.groups.size, 0);
        const state = (await p.pulumi(["stack", "export"])).stdout;
        // A secret input stays a secret output.
        assert.equal(a.store.userByName("alice@example.com")!.name?.givenName, "Alice-SECRET-name");
        assert.ok(!state.includes("Alice-SECRET-name"));
        const alice = JSON.parse(state).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::alice"));
        assert.ok(alice.outputs.givenName.ciphertext, JSON.stringify(alice.outputs));
        for (const t of [TOKEN_A, TOKEN_B]) {
            assert.ok(!state.includes(t));
            // An update's history records the stack's config as the user set it: plain here, on purpose.
            const files = p.stateFiles().filter((f) => t === TOKEN_B || !f.endsWith(".history.json"));
            for (const f of files) assert.ok(!fs.readFileSync(f, "utf8").includes(t), `token in ${f}`);
            // Our own command line setting the plain config holds it; what the CLI printed must not.
            assert.ok(!p.transcript.filter((c) => !c.startsWith("$ pulumi config set -- invision:scimToken")).join("\n").includes(t));
        }
        await p.pulumi(["destroy", "--yes"]);
        assert.ok([...a.store.users.values(), ...b.store.users.values()].every((u) => u.active === false));
        assert.equal(b.store.groups.size, 0);
    });
});
