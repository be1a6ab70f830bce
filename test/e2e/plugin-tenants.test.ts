import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createYamlProject, YamlProject } from "./harness";
import { note } from "./safety-spec";

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
        await p.pulumi(configSet("invision:scimToken", TOKEN_A, { secret: true }));
        await p.pulumi(configSet("tenantBUrl", b.url));
        await p.pulumi(configSet("tenantBToken", TOKEN_B, { secret: true }));
        await p.pulumi(configSet("aliceName", "Alice-SECRET-name", { secret: true }));
    });
    after(async () => {
        await a?.close();
        await b?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("a token set as plain config is refused before any request, with how to set it as a secret: the state holds it only encrypted, the history only as the CLI recorded the config of the update that ran", async () => {
        await p.pulumi(configSet("invision:scimToken", TOKEN_A));
        for (const args of [["preview"], ["up", "--yes"], ["up", "--yes", "--skip-preview"]]) {
            const r = await p.pulumi(args, { allowFail: true });
            assert.notEqual(r.code, 0, r.out);
            assert.match(r.out, /invision:scimToken \(or the provider's scimToken\) is given in plain text/);
            assert.match(r.out, /pulumi config set --secret invision:scimToken/);
            assert.ok(!r.out.includes(TOKEN_A));
        }
        // The explicit provider of tenant B has its token as a secret: its resources went ahead.
        assert.equal(a.requests.length, 0);
        // The state holds the provider's configuration with the token encrypted (`up --skip-preview` records the provider
        // before Configure refuses). What holds it in clear is what the CLI keeps of the stack's config as set: the history
        // entry of the one update that ran (the previews refused first), beside Pulumi.e2e.yaml.
        const holding = p.stateFiles().filter((f) => fs.readFileSync(f, "utf8").includes(TOKEN_A));
        note(`files of the backend holding the plain token: ${holding.map((f) => path.relative(p.dir, f)).join(", ")}`);
        assert.equal(holding.length, 1);
        assert.match(holding[0], /\.history\.json$/);
        const state = JSON.parse((await p.pulumi(["stack", "export"])).stdout);
        const provider = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("pulumi:providers:invision::default"));
        assert.ok(provider.inputs.scimToken.sealed.ciphertext, JSON.stringify(provider.inputs));
        await p.pulumi(configSet("invision:scimToken", TOKEN_A, { secret: true }));
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
            // The history of the refused update above holds the config as it was set then (plain); nothing else.
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
