import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The rules issue 24 sets for the example workflows, checked the same way for
 * examples/gitops and examples/yaml.
 */

export interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
export interface Job {
    permissions?: Record<string, string>;
    environment?: string;
    needs?: string;
    if?: string;
    env?: Record<string, string>;
    steps: Step[];
}
export interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
}

export const readWorkflow = (dir: string, name: string): { text: string; wf: Workflow } => {
    const text = fs.readFileSync(path.join(dir, ".github", "workflows", name), "utf8");
    return { text, wf: parse(text) as Workflow };
};

/** No secret at all in a pull request's workflow; GitHub's own token only where the comment and the snapshot need it. */
export function assertPullRequestWorkflowHoldsNoCredential(dir: string): void {
    const { text, wf } = readWorkflow(dir, "invision-preview.yml");
    assert.ok(wf.on.pull_request);
    assert.ok(!wf.on.pull_request_target, "pull_request_target would hand secrets to a fork's code");
    assert.doesNotMatch(text, /secrets\./, "no secret of any kind");
    assert.doesNotMatch(text, /PULUMI_ACCESS_TOKEN|INVISION_SCIM_TOKEN|PULUMI_CONFIG_PASSPHRASE|AWS_|AZURE_|GOOGLE_/);
    assert.deepEqual(wf.permissions, {}, "nothing by default; each job says what it needs");

    const preview = wf.jobs.preview;
    assert.deepEqual(preview.permissions, { contents: "read", actions: "read" }, "the job running the pull request's code can write nothing");
    assert.equal(preview.environment, undefined, "no environment, so no environment secret");
    const checkout = preview.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    assert.equal(checkout.with?.["persist-credentials"], false, "the token is not left in .git/config for the pull request's code");
    const run = preview.steps.find((s) => /preview-from-snapshot/.test(s.run ?? ""));
    assert.ok(run, "previews from the snapshot");
    assert.match(run!.run!, /preview-from-snapshot --stack "\$STACK" --out preview\.txt -- --diff/);
    // A mirror of the plugin's archives is a repository variable, never a secret.
    const optional = ["INVISION_VERSION", "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"].filter((k) => run!.env?.[k] !== undefined);
    assert.deepEqual(Object.keys(run!.env ?? {}).sort(), ["GITHUB_TOKEN", "STACK", ...optional].sort());
    if (run!.env?.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES !== undefined) assert.match(run!.env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES, /^\$\{\{ vars\.[A-Z_]+ \}\}$/);
    assert.equal(run!.env!.GITHUB_TOKEN, "${{ github.token }}");
    for (const s of preview.steps) {
        assert.ok(!/--refresh|pulumi (up|refresh|login)\b/.test(s.run ?? ""), `no step reads InVision, applies or logs in: ${s.run}`);
        assert.ok(!s.uses?.startsWith("pulumi/actions@"), "no backend-bound pulumi/actions step");
    }

    const comment = wf.jobs.comment;
    assert.equal(comment.needs, "preview");
    assert.deepEqual(comment.permissions, { "pull-requests": "write" });
    for (const s of comment.steps) {
        assert.ok(!s.uses?.startsWith("actions/checkout@"), "the comment job checks out no code of the pull request");
        assert.ok(!/\b(npm|npx|node|pulumi)\b/.test(s.run ?? ""), `the comment job runs nothing of the pull request: ${s.run}`);
    }
    const tokenUses = [...text.matchAll(/\$\{\{\s*github\.token\s*\}\}/g)].length;
    assert.equal(tokenUses, 2, "GitHub's token twice: the snapshot (read) and the comment (write)");
}

/** The apply and drift workflows: the state check before anything runs from state, the snapshot published after. */
export function assertTrustedWorkflowChecksThenPublishes(dir: string, name: "invision-apply.yml" | "invision-drift.yml"): void {
    const { wf } = readWorkflow(dir, name);
    assert.ok(!wf.on.pull_request && !wf.on.pull_request_target, "never on a pull request's code");
    assert.equal(wf.permissions?.actions, "read", "reads the last trusted snapshot");
    const job = Object.values(wf.jobs)[0];
    assert.ok(job.environment, "the credentials come from an environment restricted to main");
    const steps = job.steps;
    const at = (f: (s: Step) => boolean, what: string) => {
        const i = steps.findIndex(f);
        assert.ok(i >= 0, `${name}: ${what}`);
        return i;
    };
    const fetch = at((s) => /fetch-snapshot --stack "\$STACK" --out trusted-snapshot\.json/.test(s.run ?? ""), "fetches the last trusted snapshot");
    const verify = at((s) => s.id === "verify", "checks the state");
    const pulumi = at((s) => !!s.uses?.startsWith("pulumi/actions@"), "runs pulumi");
    const publish = at((s) => s.id === "snapshot", "publishes a snapshot");
    const upload = at((s) => !!s.uses?.startsWith("actions/upload-artifact@"), "uploads it");
    assert.ok(fetch < verify && verify < pulumi && pulumi < publish && publish < upload, `${name}: fetch, check, pulumi, publish, upload, in that order`);
    assert.match(steps[verify].run!, /pulumi stack export --stack "\$STACK" --file current-state\.json\n/);
    assert.match(steps[verify].run!, /verify-state --actual current-state\.json --expected trusted-snapshot\.json/);
    assert.equal(steps[verify].if, undefined, "the check is never skipped");
    assert.equal(steps[pulumi].if, undefined, "pulumi runs only after the check succeeded (steps stop at a failure)");
    assert.equal(steps[pulumi].env?.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
    assert.equal(steps[publish].if, "${{ always() && steps.verify.outcome == 'success' }}", "published after a failed run too, never after a refused check");
    assert.match(steps[publish].run!, /(pulumi-invision|"\$INVISION") snapshot --in state-export\.json --out snapshot\.json/);
    assert.equal(steps[upload].with?.name, "${{ steps.snapshot.outputs.artifact }}");
    assert.match(steps[publish].run!, /artifact=invision-state-\$\{STACK##\*\/\}/);
    assert.equal(steps[upload].with?.path, "snapshot.json");
    assert.equal(wf.concurrency?.group, "invision-access");
}

const pulumiStep = (wf: Workflow) => Object.values(wf.jobs)[0].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;

export function assertApplyOnMain(dir: string): void {
    const { wf } = readWorkflow(dir, "invision-apply.yml");
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
    assert.equal(wf.concurrency?.["cancel-in-progress"], false);
    assert.equal(Object.values(wf.jobs)[0].environment, "invision-production");
    const step = pulumiStep(wf);
    assert.equal(step.with!.command, "up");
    assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
    const dispatch = wf.on.workflow_dispatch as { inputs: Record<string, { type: string; default: boolean }> };
    assert.deepEqual([dispatch.inputs.trust_current_state.type, dispatch.inputs.trust_current_state.default], ["boolean", false], "adopting the current state is a deliberate, reviewed run");
}

export function assertDriftCheck(dir: string): void {
    const { wf } = readWorkflow(dir, "invision-drift.yml");
    assert.ok(Array.isArray(wf.on.schedule) && (wf.on.schedule as { cron: string }[])[0].cron, "scheduled");
    assert.equal(wf.permissions?.issues, "write");
    const job = Object.values(wf.jobs)[0];
    assert.equal(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with!.ref, "main");
    const step = pulumiStep(wf);
    assert.equal(step.with!.command, "preview");
    assert.equal(step.with!.refresh, true);
    assert.equal(step.with!["expect-no-changes"], true);
    assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
    const report = job.steps.find((s) => s.if === "failure()");
    assert.ok(report && /gh issue create/.test(report.run ?? ""), "a failed check opens an issue");
    assert.match(report!.run!, /STATE_REFUSED/, "and says whether it was drift or a refused state");
    assert.equal(wf.concurrency?.group, readWorkflow(dir, "invision-apply.yml").wf.concurrency?.group, "never runs while an apply does");
}
