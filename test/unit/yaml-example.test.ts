import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { RELEASES_URL } from "../../provider/plugin/download";
import { packageSchema } from "../../provider/plugin/schema";
import { loadRosterFile } from "../../provider/roster/load";
import { assertApplyOnMain, assertDriftCheck, assertPullRequestWorkflowHoldsNoCredential, assertTrustedWorkflowChecksThenPublishes, readWorkflow } from "../support/workflows";

const dir = path.resolve(__dirname, "..", "..", "examples", "yaml");
const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)]));

describe("examples/yaml", () => {
    it("needs no TypeScript: a YAML program, its roster, a README and workflows", () => {
        for (const f of files(dir)) assert.match(path.basename(f), /\.(ya?ml|md)$/, `${path.relative(dir, f)} is not YAML or Markdown`);
        const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        assert.equal(program.runtime, "yaml");
    });

    it("declares only types the plugin serves, with the inputs its schema has, and a roster that loads", () => {
        const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        const { resources } = packageSchema("0.0.0", RELEASES_URL);
        for (const [name, r] of Object.entries(program.resources as Record<string, { type: string; properties: Record<string, unknown> }>)) {
            const spec = resources[r.type as keyof typeof resources];
            assert.ok(spec, `${name}: ${r.type} is not an invision type`);
            for (const k of Object.keys(r.properties)) assert.ok(k in spec.inputProperties, `${name}.${k}`);
        }
        assert.ok(loadRosterFile(path.join(dir, "team.yaml")).users.length > 0);
    });

    it("previews pull requests from the last trusted snapshot, with no credential at all, and comments the diff from a job that runs none of its code", () => {
        assertPullRequestWorkflowHoldsNoCredential(dir);
    });
    it("apply and drift check the state before anything runs from it, and publish the snapshot after", () => {
        assertTrustedWorkflowChecksThenPublishes(dir, "invision-apply.yml");
        assertTrustedWorkflowChecksThenPublishes(dir, "invision-drift.yml");
    });
    it("applies on main in a protected environment; checks main for drift daily", () => {
        assertApplyOnMain(dir);
        assertDriftCheck(dir);
    });
    it("names the plugin's version and download URL, so pulumi downloads it; no workflow installs it by hand", () => {
        const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        const version = (JSON.parse(fs.readFileSync(path.resolve(dir, "..", "..", "package.json"), "utf8")) as { version: string }).version;
        assert.deepEqual(program.resources.team.options, { version, pluginDownloadURL: RELEASES_URL });
        for (const name of ["invision-preview.yml", "invision-apply.yml", "invision-drift.yml"]) {
            const { text, wf } = readWorkflow(dir, name);
            const steps = Object.values(wf.jobs)[0].steps;
            assert.ok(!steps.some((s) => /pulumi plugin install/.test(s.run ?? "")), name);
            const npx = [...text.matchAll(/npx --yes "([^"]+)"/g)].map((m) => m[1]);
            assert.ok(npx.length > 0, name);
            for (const what of npx) assert.match(what, /^(\$INVISION|pulumi-invision@\$INVISION_VERSION)$/, `${name}: ${what}`);
            if (npx.includes("$INVISION")) assert.equal(Object.values(wf.jobs)[0].env?.INVISION, "pulumi-invision@${{ vars.INVISION_PLUGIN_VERSION }}");
        }
    });
});
