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

describe("examples/gitops", () => {
    it("previews pull requests and comments the diff, with the token from a secret", () => {
        const wf = workflow("invision-preview.yml");
        assert.ok(wf.on.pull_request);
        assert.equal(wf.permissions["pull-requests"], "write");
        const step = pulumiStep(wf);
        assert.equal(step.with!.command, "preview");
        assert.equal(step.with!["comment-on-pr"], true);
        assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
    });
    it("applies on main, one run at a time", () => {
        const wf = workflow("invision-apply.yml");
        assert.deepEqual(wf.on.push.branches, ["main"]);
        assert.equal(wf.concurrency["cancel-in-progress"], false);
        const step = pulumiStep(wf);
        assert.equal(step.with!.command, "up");
        assert.equal(step.env!.INVISION_SCIM_TOKEN, "${{ secrets.INVISION_SCIM_TOKEN }}");
    });
    it("ships a valid sample roster, the same as the root one", () => {
        assert.ok(loadRosterFile(path.join(dir, "team.yaml")).users.length > 0);
        assert.equal(fs.readFileSync(path.join(dir, "team.yaml"), "utf8"), fs.readFileSync(path.join(dir, "..", "..", "team.yaml"), "utf8"));
    });
});
