import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { main } from "../../provider/cli/main";
import { providerModule } from "../../provider/resources/providers";
import { SECRET_SIG, SIG_KEY } from "../../provider/state/secrets";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-cli-"));
const write = (name: string, value: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof value === "string" ? value : JSON.stringify(value));
    return f;
};
const GROUP = "urn:pulumi:prod::access::pulumi-nodejs:dynamic/invision:Group::Design";
const exported = (unmanaged: string[], provider = providerModule("group")) => ({
    version: 3,
    deployment: {
        manifest: { time: "t" },
        resources: [
            { urn: "urn:pulumi:prod::access::pulumi:pulumi:Stack::access-prod", type: "pulumi:pulumi:Stack", outputs: { k: { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" } } },
            { urn: GROUP, type: "pulumi-nodejs:dynamic/invision:Group", inputs: { __provider: provider }, outputs: { __provider: provider, unmanagedMembers: unmanaged } },
        ],
    },
});

/** Runs the CLI in this process with stderr captured. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
    const lines: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
    try {
        return { code: await main(argv, {}), stderr: lines.join("") };
    } finally {
        process.stderr.write = orig;
    }
}

describe("pulumi-invision snapshot and verify-state", () => {
    it("snapshot writes the export with no ciphertext; verify-state passes the unchanged export against it (exit 0)", async () => {
        const exp = write("export.json", exported([]));
        const snap = path.join(dir, "snapshot.json");
        assert.equal((await run(["snapshot", "--in", exp, "--out", snap])).code, 0);
        assert.ok(!fs.readFileSync(snap, "utf8").includes("v1:abc"));
        const ok = await run(["verify-state", "--expected", snap, "--actual", exp]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stderr, /State check passed: the backend's 2 resources are the trusted snapshot's/);
    });

    it("verify-state exits 1 and names the resource and property that differ", async () => {
        const snap = path.join(dir, "snapshot.json");
        const tampered = write("tampered.json", exported(["mallory@example.com"]));
        const r = await run(["verify-state", "--expected", snap, "--actual", tampered]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, new RegExp(`${GROUP.replace(/[$.]/g, "\\$&")}\\n    outputs\\.unmanagedMembers: snapshot \\[\\], backend \\["mallory@example\\.com"\\]`));
    });

    it("verify-state --providers-only exits 1 on foreign code only, and says the state was not compared", async () => {
        const ok = await run(["verify-state", "--providers-only", "--actual", write("a.json", exported(["mallory@example.com"]))]);
        assert.equal(ok.code, 0);
        assert.match(ok.stderr, /NOT compared with a trusted snapshot/);
        const bad = await run(["verify-state", "--providers-only", "--actual", write("b.json", exported([], "exports.handler = () => ({});"))]);
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /outputs\.__provider is not this package's module reference/);
    });

    it("usage errors exit 2: both or neither of --expected and --providers-only, an unknown flag, a stray argument", async () => {
        const exp = path.join(dir, "export.json");
        for (const argv of [
            ["verify-state", "--actual", exp],
            ["verify-state", "--actual", exp, "--expected", exp, "--providers-only"],
            ["verify-state", "--actual", exp, "--providers-only", "--bogus"],
            ["verify-state", "--actual", exp, "--providers-only", "s3cret-stray"],
            ["snapshot", "--in", exp],
            ["preview-from-snapshot", "--snapshot", exp, "--repo", "a/b"],
        ]) {
            const r = await run(argv);
            assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
            assert.ok(!r.stderr.includes("s3cret"), "arguments are never echoed");
        }
    });

    it("a file that is not an export exits 1 with the reason", async () => {
        const r = await run(["verify-state", "--providers-only", "--actual", write("bad.json", "{ not json")]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /bad\.json is not JSON/);
        const shown = await run(["snapshot", "--in", write("shown.json", { version: 3, deployment: { resources: [{ urn: "urn:pulumi:p::q::t::n", type: "t", outputs: { s: { [SIG_KEY]: SECRET_SIG, plaintext: '"hunter2"' } } }] } }), "--out", path.join(dir, "x.json")]);
        assert.equal(shown.code, 1);
        assert.match(shown.stderr, /without --show-secrets/);
        assert.ok(!shown.stderr.includes("hunter2"));
    });
});
