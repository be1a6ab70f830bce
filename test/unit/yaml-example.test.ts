import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { RELEASES_URL } from "../../provider/plugin/download";
import { packageSchema } from "../../provider/plugin/schema";
import { loadRosterFile } from "../../provider/roster/load";

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

    it("names the plugin's version and download URL, so pulumi downloads it; the workflows have no install step, the preview no SCIM token", () => {
        const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        const version = (JSON.parse(fs.readFileSync(path.resolve(dir, "..", "..", "package.json"), "utf8")) as { version: string }).version;
        assert.deepEqual(program.resources.team.options, { version, pluginDownloadURL: RELEASES_URL });
        const preview = fs.readFileSync(path.join(dir, ".github", "workflows", "invision-preview.yml"), "utf8");
        assert.doesNotMatch(preview, /INVISION_SCIM_TOKEN|secrets\.INVISION/);
        for (const name of ["invision-preview.yml", "invision-apply.yml"]) {
            const steps = Object.values(parse(fs.readFileSync(path.join(dir, ".github", "workflows", name), "utf8")).jobs as Record<string, { steps: { run?: string; uses?: string; env?: Record<string, string> }[] }>)[0].steps;
            assert.ok(!steps.some((s) => /pulumi plugin install/.test(s.run ?? "")), name);
            const run = steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
            assert.ok(run?.env?.GITHUB_TOKEN && "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES" in run.env, name);
        }
    });
});
