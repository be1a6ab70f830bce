import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { providerModule } from "../../provider/resources/providers";
import { compareDeployments } from "../../provider/state/compare";
import { parseExport, StackExport, StateFileError } from "../../provider/state/deployment";
import { acceptedProviderTexts, checkProviderTexts } from "../../provider/state/module-reference";
import { PlaintextSecretError, placeholderSecrets, redactSecrets, SECRET_SIG, SIG_KEY } from "../../provider/state/secrets";
import { importableSnapshot, makeSnapshot, snapshotStack } from "../../provider/state/snapshot";
import { formatVerdict, passed, verifyState } from "../../provider/state/verify";

const STACK = "urn:pulumi:prod::invision-access::pulumi:pulumi:Stack::invision-access-prod";
const USER = "urn:pulumi:prod::invision-access::pulumi-nodejs:dynamic/invision:User::alice@example.com";
const GROUP = "urn:pulumi:prod::invision-access::pulumi-nodejs:dynamic/invision:Group::Design";
const secret = (ciphertext: string) => ({ [SIG_KEY]: SECRET_SIG, ciphertext });

/** A small exported stack, as `pulumi stack export` prints it: a user and a group of the dynamic door. */
function exported(): StackExport {
    const user = providerModule("user");
    const group = providerModule("group");
    return parseExport(
        JSON.stringify({
            version: 3,
            deployment: {
                manifest: { time: "2026-12-01T10:00:00Z", magic: "abc", version: "v3.248.0" },
                secrets_providers: { type: "passphrase", state: { salt: "v1:salt" } },
                resources: [
                    { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: { note: secret("v1:aaaa:bbbb") } },
                    {
                        urn: USER,
                        custom: true,
                        id: "u-1",
                        type: "pulumi-nodejs:dynamic/invision:User",
                        inputs: { __provider: user, userName: "alice@example.com" },
                        outputs: { __provider: user, userName: "alice@example.com", active: true },
                        created: "2026-12-01T09:59:00Z",
                        modified: "2026-12-01T09:59:00Z",
                    },
                    {
                        urn: GROUP,
                        custom: true,
                        id: "g-1",
                        type: "pulumi-nodejs:dynamic/invision:Group",
                        inputs: { __provider: group, displayName: "Design", members: ["alice@example.com"] },
                        outputs: { __provider: group, displayName: "Design", members: ["alice@example.com"], memberIds: ["u-1"], unmanagedMembers: [] },
                    },
                ],
            },
        }),
        "test",
    );
}
const copy = (s: StackExport): StackExport => JSON.parse(JSON.stringify(s));
const res = (s: StackExport, urn: string) => s.deployment.resources.find((r) => r.urn === urn)!;

describe("verify-state, rule 1: every dynamic resource's __provider is exactly this package's", () => {
    it("accepts what the resource classes write now, in inputs and outputs", () => {
        assert.deepEqual(checkProviderTexts(exported().deployment.resources), []);
        assert.equal(providerModule("user"), acceptedProviderTexts("user")[0]);
    });

    it("accepts the texts of earlier versions: the SDK serializer's module references (both paths) and 0.1.0's closures", () => {
        for (const kind of ["user", "group"] as const) {
            const texts = acceptedProviderTexts(kind);
            assert.equal(texts.length, 4);
            assert.match(texts[1], new RegExp(`^exports\\.handler = __f0;\\nconst provider = require\\("pulumi-invision/provider/${kind}"\\);\\n`));
            assert.match(texts[2], new RegExp(`require\\("pulumi-invision/dist/dynamic/${kind}\\.js"\\)`));
            assert.match(texts[3], /require\("pulumi-invision\/runtime"\)/);
            assert.equal(texts[3].match(new RegExp(`kind: "${kind}"`, "g"))?.length, 6, "six methods capture the kind");
        }
        const s = exported();
        res(s, USER).outputs!.__provider = acceptedProviderTexts("user")[3];
        res(s, GROUP).inputs!.__provider = acceptedProviderTexts("group")[2];
        assert.deepEqual(checkProviderTexts(s.deployment.resources), []);
    });

    it("refuses code appended to an accepted text, and names the resource and the property", () => {
        const s = exported();
        res(s, USER).outputs!.__provider = `${providerModule("user")}require("fs").writeFileSync("/tmp/x", process.env.INVISION_SCIM_TOKEN);\n`;
        const f = checkProviderTexts(s.deployment.resources);
        assert.equal(f.length, 1);
        assert.equal(f[0].urn, USER);
        assert.equal(f[0].property, "outputs.__provider");
        assert.match(f[0].message, /not this package's module reference/);
    });

    it("refuses one changed character, and whitespace too: nothing is matched loosely", () => {
        for (const text of [providerModule("user").replace("user", "usr"), providerModule("user").trimEnd(), ` ${providerModule("user")}`, acceptedProviderTexts("user")[3].replace("configure(req)", "configure(req, 1)")]) {
            const s = exported();
            res(s, USER).inputs!.__provider = text;
            assert.equal(checkProviderTexts(s.deployment.resources).length, 1, JSON.stringify(text.slice(0, 60)));
        }
    });

    it("refuses another kind's text: a User must load the user module", () => {
        const s = exported();
        res(s, USER).inputs!.__provider = providerModule("group");
        assert.deepEqual(checkProviderTexts(s.deployment.resources).map((f) => f.property), ["inputs.__provider"]);
    });

    it("refuses a __provider that is a secret or not a string: what would run cannot be read", () => {
        for (const value of [secret("v1:zz"), 42, { text: providerModule("user") }, null]) {
            const s = exported();
            res(s, GROUP).outputs!.__provider = value;
            const f = checkProviderTexts(s.deployment.resources);
            assert.equal(f.length, 1);
            assert.match(f[0].message, /not a plain string/);
        }
    });

    it("refuses any other dynamic resource, whatever its __provider", () => {
        const s = exported();
        s.deployment.resources.push({ urn: "urn:pulumi:prod::invision-access::pulumi-nodejs:dynamic:Resource::x", type: "pulumi-nodejs:dynamic:Resource", outputs: { __provider: providerModule("user") } });
        s.deployment.resources.push({ urn: "urn:pulumi:prod::invision-access::pulumi-nodejs:dynamic/other:Thing::y", type: "pulumi-nodejs:dynamic/other:Thing", outputs: {} });
        assert.deepEqual(
            checkProviderTexts(s.deployment.resources).map((f) => f.property),
            ["type", "type"],
        );
    });

    it("leaves other packages' resources alone: their __provider key is data to their plugin", () => {
        const s = exported();
        s.deployment.resources.push({ urn: "urn:pulumi:prod::invision-access::invision:index:User::bob", type: "invision:index:User", inputs: { __provider: "whatever" } });
        assert.deepEqual(checkProviderTexts(s.deployment.resources), []);
    });
});

describe("verify-state, rule 2: the backend's state is the last trusted snapshot", () => {
    it("a fresh export of unchanged state equals its snapshot, whatever the key order and the manifest", () => {
        const snap = makeSnapshot(exported());
        const again = copy(exported());
        again.deployment.manifest = { time: "2027-01-01T00:00:00Z", magic: "other", version: "v3.300.0" };
        const user = res(again, USER);
        user.outputs = Object.fromEntries(Object.entries(user.outputs!).reverse());
        assert.deepEqual(verifyState(again, snap), { providers: [], differences: [] });
        assert.ok(passed(verifyState(again, snap)));
    });

    it("a member recorded as hand-added (unmanagedMembers, memberIds) is named by URN and property", () => {
        const tampered = exported();
        const g = res(tampered, GROUP).outputs!;
        g.unmanagedMembers = ["mallory@example.com"];
        g.memberIds = ["u-1", "u-666"];
        const v = verifyState(tampered, makeSnapshot(exported()));
        assert.deepEqual(
            v.differences.map((d) => `${d.urn} ${d.property}`),
            [`${GROUP} outputs.memberIds`, `${GROUP} outputs.unmanagedMembers`],
        );
        assert.match(v.differences[1].message, /snapshot \[\], backend \["mallory@example\.com"\]/);
        assert.ok(!passed(v));
    });

    it("a deactivation recorded in state is a difference", () => {
        const tampered = exported();
        res(tampered, USER).outputs!.active = false;
        assert.deepEqual(verifyState(tampered, makeSnapshot(exported())).differences.map((d) => d.property), ["outputs.active"]);
    });

    it("an added and a removed resource are named as such", () => {
        const tampered = exported();
        tampered.deployment.resources = tampered.deployment.resources.filter((r) => r.urn !== GROUP);
        tampered.deployment.resources.push({ urn: `${USER}2`, type: "pulumi-nodejs:dynamic/invision:User", outputs: {} });
        const d = verifyState(tampered, makeSnapshot(exported())).differences;
        assert.deepEqual(
            d.map((x) => [x.urn, x.message.includes("added") ? "added" : x.message.includes("removed") ? "removed" : x.message]),
            [
                [`${USER}2`, "added"],
                [GROUP, "removed"],
            ],
        );
    });

    it("the same resources in another order, changed timestamps, pending operations and another secrets provider are differences", () => {
        const base = exported();
        const reordered = copy(base);
        reordered.deployment.resources.reverse();
        assert.deepEqual(compareDeployments(base.deployment, reordered.deployment).map((d) => d.property), ["resources"]);
        const touched = copy(base);
        res(touched, USER).modified = "2026-12-02T00:00:00Z";
        touched.deployment.pending_operations = [{ type: "deleting", resource: { urn: USER } }];
        touched.deployment.secrets_providers = { type: "passphrase", state: { salt: "v1:other" } };
        assert.deepEqual(compareDeployments(base.deployment, touched.deployment).map((d) => `${d.urn} ${d.property}`), [`${USER} modified`, "(deployment) secrets_providers", "(deployment) pending_operations"]);
    });

    it("a secret's ciphertext swapped in the backend differs from the snapshot's digest; the same ciphertext does not", () => {
        const snap = makeSnapshot(exported());
        const swapped = exported();
        res(swapped, STACK).outputs!.note = secret("v1:cccc:dddd");
        assert.deepEqual(verifyState(swapped, snap).differences.map((d) => d.property), ["outputs.note"]);
        assert.deepEqual(verifyState(exported(), snap).differences, []);
    });

    it("the report names every finding, URN first, and says nothing may run", () => {
        const tampered = exported();
        res(tampered, GROUP).outputs!.unmanagedMembers = ["mallory@example.com"];
        res(tampered, USER).outputs!.__provider = "exports.handler = () => ({ delete: () => require('fs').writeFileSync('/tmp/x', '') });";
        const text = formatVerdict(verifyState(tampered, makeSnapshot(exported())), "snapshot.json");
        assert.match(text, /code that is not pulumi-invision's; nothing from this state may run/);
        assert.match(text, new RegExp(`${USER.replace(/[$.]/g, "\\$&")}\\n    outputs\\.__provider is not`));
        assert.match(text, /not the one the last trusted job published \(snapshot\.json\)/);
        assert.match(text, /outputs\.unmanagedMembers: snapshot \[\], backend \["mallory@example\.com"\]/);
    });

    it("--providers-only compares nothing but still refuses foreign code", () => {
        const tampered = exported();
        res(tampered, GROUP).outputs!.unmanagedMembers = ["mallory@example.com"];
        assert.ok(passed(verifyState(tampered)));
        res(tampered, GROUP).outputs!.__provider = "exports.handler = () => ({});";
        assert.equal(verifyState(tampered).providers.length, 1);
    });
});

describe("snapshots", () => {
    it("hold no ciphertext: each secret is a digest, the same for the same ciphertext, and redacting twice changes nothing", () => {
        const snap = makeSnapshot(exported());
        const text = JSON.stringify(snap);
        assert.ok(!text.includes("v1:aaaa:bbbb"));
        const note = res(snap, STACK).outputs!.note as Record<string, string>;
        assert.equal(note[SIG_KEY], SECRET_SIG);
        assert.match(JSON.parse(note.plaintext), /^\[secret sha256:[0-9a-f]{64}\]$/);
        assert.deepEqual(redactSecrets(snap), snap);
        assert.deepEqual(makeSnapshot(exported()), snap);
    });

    it("refuse an export made with --show-secrets", () => {
        const shown = exported();
        res(shown, STACK).outputs!.note = { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify("hunter2") };
        assert.throws(() => makeSnapshot(shown), (e: unknown) => e instanceof PlaintextSecretError && /resources\[0\]\.outputs\.note holds a secret in plaintext/.test((e as Error).message) && !(e as Error).message.includes("hunter2"));
    });

    it("name their stack and project, from the URNs", () => {
        assert.deepEqual(snapshotStack(exported()), { stack: "prod", project: "invision-access" });
        const empty = exported();
        empty.deployment.resources = [];
        assert.throws(() => snapshotStack(empty), /holds no resource/);
    });

    it("import into the throwaway backend with every secret the placeholder and that backend's own key", () => {
        const imp = importableSnapshot(makeSnapshot(exported()), "v1:throwaway-salt");
        assert.deepEqual(imp.deployment.secrets_providers, { type: "passphrase", state: { salt: "v1:throwaway-salt" } });
        assert.deepEqual(res(imp, STACK).outputs!.note, { [SIG_KEY]: SECRET_SIG, plaintext: '"[secret]"' });
        assert.deepEqual(placeholderSecrets({ a: [secret("x")] }), { a: [{ [SIG_KEY]: SECRET_SIG, plaintext: '"[secret]"' }] });
        assert.equal(res(imp, USER).inputs!.__provider, providerModule("user"), "everything else as it was");
    });

    it("an export that is not one is refused with a message, never half-read", () => {
        assert.throws(() => parseExport("{", "x.json"), (e: unknown) => e instanceof StateFileError && /x\.json is not JSON/.test((e as Error).message));
        assert.throws(() => parseExport(JSON.stringify({ version: 3, deployment: { resources: [{ urn: "u" }] } }), "x.json"), /deployment\.resources\.0\.type/);
        assert.throws(() => parseExport(JSON.stringify({ version: 2, deployment: {} }), "x.json"), /version 3 or later/);
    });
});
