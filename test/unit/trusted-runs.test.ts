import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Artifact, distrust, snapshotArtifact, snapshotArtifactName, TrustPolicy, trustedRuns, WorkflowRun } from "../../provider/github/trusted-runs";

const policy: TrustPolicy = { repository: "acme/access", branch: "main", workflows: ["invision-apply.yml", "invision-drift.yml"] };

function run(over: Partial<WorkflowRun> = {}): WorkflowRun {
    return {
        id: 100,
        path: ".github/workflows/invision-apply.yml",
        event: "push",
        head_branch: "main",
        status: "completed",
        conclusion: "success",
        created_at: "2026-12-01T10:00:00Z",
        repository: { full_name: "acme/access" },
        head_repository: { full_name: "acme/access" },
        ...over,
    };
}

describe("which runs' snapshots are trusted", () => {
    it("a completed apply or drift run on main, started by push, schedule or workflow_dispatch, in this repository", () => {
        for (const r of [run(), run({ event: "schedule", path: ".github/workflows/invision-drift.yml" }), run({ event: "workflow_dispatch" }), run({ path: ".github/workflows/invision-apply.yml@refs/heads/main" })]) {
            assert.equal(distrust(r, policy), undefined, JSON.stringify(r));
        }
    });

    it("a pull request's run, even of the apply workflow's file (a modified copy) and even from a branch named main in a fork", () => {
        assert.match(distrust(run({ event: "pull_request", head_branch: "feature" }), policy)!, /branch feature/);
        assert.match(distrust(run({ event: "pull_request" }), policy)!, /event pull_request/);
        assert.match(distrust(run({ event: "pull_request_target" }), policy)!, /event pull_request_target/);
        assert.match(distrust(run({ head_repository: { full_name: "mallory/access" } }), policy)!, /another repository \(mallory\/access\)/);
        assert.match(distrust(run({ head_repository: null }), policy)!, /another repository/);
    });

    it("a push to another branch, whose copy of the workflow file the branch controls", () => {
        assert.match(distrust(run({ head_branch: "evil" }), policy)!, /branch evil, not main/);
    });

    it("another workflow, or a file whose name only starts like ours", () => {
        assert.match(distrust(run({ path: ".github/workflows/upload.yml" }), policy)!, /not one of invision-apply\.yml, invision-drift\.yml/);
        assert.match(distrust(run({ path: ".github/workflows/invision-apply.yml.evil" }), policy)!, /not one of/);
        assert.match(distrust(run({ path: "other/.github/workflows/invision-apply.yml" }), policy)!, /not one of/);
    });

    it("a run still in progress, or one that never ran its steps", () => {
        assert.match(distrust(run({ status: "in_progress", conclusion: null }), policy)!, /still in_progress/);
        for (const c of ["skipped", "action_required", "startup_failure", "neutral", "stale"]) assert.match(distrust(run({ conclusion: c }), policy)!, new RegExp(`concluded ${c}`));
        for (const c of ["failure", "cancelled", "timed_out"]) assert.equal(distrust(run({ conclusion: c }), policy), undefined, c);
    });

    it("another repository's run", () => {
        assert.match(distrust(run({ repository: { full_name: "other/repo" } }), policy)!, /run of another repository/);
    });

    it("orders trusted runs newest first, each once, and reports every refused one with its reason", () => {
        const { trusted, refused } = trustedRuns(
            [run({ id: 1, created_at: "2026-12-01T00:00:00Z" }), run({ id: 3, created_at: "2026-12-03T00:00:00Z", event: "pull_request" }), run({ id: 2, created_at: "2026-12-02T00:00:00Z", event: "schedule" }), run({ id: 2, created_at: "2026-12-02T00:00:00Z", event: "schedule" })],
            policy,
        );
        assert.deepEqual(trusted.map((r) => r.id), [2, 1]);
        assert.deepEqual(refused.map((r) => [r.run.id, r.reason]), [[3, "event pull_request, which can run a copy of the workflow the branch does not hold"]]);
    });
});

describe("the snapshot artifact of a run", () => {
    const a = (over: Partial<Artifact>): Artifact => ({ id: 1, name: "invision-state-prod", expired: false, created_at: "2026-12-01T00:00:00Z", archive_download_url: "https://x/1", ...over });
    it("is the newest unexpired artifact of exactly the stack's name", () => {
        assert.equal(snapshotArtifact([a({ id: 1 }), a({ id: 2, created_at: "2026-12-02T00:00:00Z" }), a({ id: 3, created_at: "2026-12-03T00:00:00Z", expired: true }), a({ id: 4, name: "invision-state-prod2", created_at: "2026-12-04T00:00:00Z" })], "invision-state-prod")!.id, 2);
        assert.equal(snapshotArtifact([a({ expired: true })], "invision-state-prod"), undefined);
    });
    it("is named after the stack's own name, an organisation's prefix dropped", () => {
        assert.equal(snapshotArtifactName("prod"), "invision-state-prod");
        assert.equal(snapshotArtifactName("acme/prod"), "invision-state-prod");
    });
});
