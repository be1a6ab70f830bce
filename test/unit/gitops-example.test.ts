import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadRosterFile } from "../../provider/roster/load";

const dir = path.resolve(__dirname, "..", "..", "examples", "gitops");
const workflow = (name: string) => parse(fs.readFileSync(path.join(dir, ".github", "workflows", name), "utf8"));
const pulumiStep = (wf: { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }> }) =>
    Object.values(wf.jobs)[0].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;

/** Every value in a parsed YAML document, with its path: to find a secret wherever it is set. */
function walk(node: unknown, path: string[] = [], out: [string, unknown][] = []): [string, unknown][] {
    out.push([path.join("."), node]);
    if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...path, k], out);
    return out;
}
const SCIM_TOKEN = /INVISION_SCIM_TOKEN|secrets\.INVISION/;

describe("examples/gitops", () => {
    it("previews pull requests and comments the diff, with no SCIM token anywhere and no refresh", () => {
        const text = fs.readFileSync(path.join(dir, ".github", "workflows", "invision-preview.yml"), "utf8");
        const wf = workflow("invision-preview.yml");
        assert.ok(wf.on.pull_request);
        assert.ok(!wf.on.pull_request_target, "pull_request_target would hand secrets to a fork's code");
        assert.equal(wf.permissions["pull-requests"], "write");
        const step = pulumiStep(wf);
        assert.equal(step.with!.command, "preview");
        assert.equal(step.with!["comment-on-pr"], true);
        assert.notEqual(step.with!.refresh, true, "a refresh reads InVision, which needs the token");
        // The pull request's own code runs here (npm ci scripts, index.ts): no key, value or step may carry the token.
        for (const [where, value] of walk(wf)) {
            assert.ok(!SCIM_TOKEN.test(where), `${where} names the SCIM token`);
            if (typeof value === "string") assert.ok(!SCIM_TOKEN.test(value), `${where} = ${value}`);
        }
        assert.ok(!/secrets\.INVISION/.test(text));
        for (const s of Object.values(wf.jobs as Record<string, { steps: { run?: string; with?: Record<string, unknown> }[] }>).flatMap((j) => j.steps)) {
            assert.ok(!/--refresh/.test(s.run ?? ""), "no step refreshes");
        }
    });
    it("applies on main, one run at a time, in a protected environment", () => {
        const wf = workflow("invision-apply.yml");
        assert.deepEqual(wf.on.push.branches, ["main"]);
        assert.equal(wf.concurrency["cancel-in-progress"], false);
        const job = Object.values(wf.jobs as Record<string, { environment?: unknown }>)[0];
        assert.equal(job.environment, "invision-production");
        const step = pulumiStep(wf);
        assert.equal(step.with!.command, "up");
        assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
    });
    it("checks main for drift on a schedule, with the token, and reports it as an issue", () => {
        const wf = workflow("invision-drift.yml");
        assert.ok(Array.isArray(wf.on.schedule) && wf.on.schedule[0].cron, "scheduled");
        assert.ok(!wf.on.pull_request && !wf.on.pull_request_target, "never on a pull request's code");
        assert.equal(wf.permissions.issues, "write");
        const job = Object.values(wf.jobs as Record<string, { environment?: unknown; steps: { uses?: string; if?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }>)[0];
        assert.ok(job.environment, "the token comes from an environment restricted to main");
        assert.equal(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with!.ref, "main");
        const step = pulumiStep(wf);
        assert.equal(step.with!.command, "preview");
        assert.equal(step.with!.refresh, true);
        assert.equal(step.with!["expect-no-changes"], true);
        assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
        const report = job.steps.find((s) => s.if === "failure()");
        assert.ok(report && /gh issue create/.test(report.run ?? ""), "a failed check opens an issue");
        assert.equal(wf.concurrency.group, workflow("invision-apply.yml").concurrency.group, "never runs while an apply does");
    });
    it("ships a valid sample roster, the same as the root one", () => {
        assert.ok(loadRosterFile(path.join(dir, "team.yaml")).users.length > 0);
        assert.equal(fs.readFileSync(path.join(dir, "team.yaml"), "utf8"), fs.readFileSync(path.join(dir, "..", "..", "team.yaml"), "utf8"));
    });
});
