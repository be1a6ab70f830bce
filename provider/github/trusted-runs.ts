import { z } from "zod";

/**
 * Which workflow runs' snapshots are trusted. Any job can upload an artifact
 * named like the snapshot, a pull request's included (it can even run a
 * modified copy of the apply workflow). Only a run of one of the apply or
 * drift workflow files, on the protected branch, started by an event that
 * runs that branch's own copy of the file, from this repository, is a
 * trusted job; its artifact is the state it left.
 */
export interface TrustPolicy {
    /** owner/name */
    repository: string;
    branch: string;
    /** Workflow file names under .github/workflows/, e.g. invision-apply.yml. */
    workflows: readonly string[];
}

/**
 * Events that run the workflow file as it is on the branch: never
 * pull_request(_target), workflow_run or anything a branch other than main controls.
 */
export const TRUSTED_EVENTS: readonly string[] = ["push", "schedule", "workflow_dispatch"];

/**
 * Conclusions of a run that got to run its steps: a failed or cancelled apply
 * still publishes the state it left (its publish step runs `if: always()`
 * once the state check passed), and the next run must compare with that.
 * Never one still running (its artifact may not be the last word), nor one
 * that never ran (skipped, waiting for approval, failed to start).
 */
export const FINISHED_CONCLUSIONS: readonly string[] = ["success", "failure", "cancelled", "timed_out"];

export const runSchema = z.looseObject({
    id: z.number(),
    path: z.string(),
    event: z.string(),
    head_branch: z.string().nullable(),
    status: z.string().nullable(),
    conclusion: z.string().nullable(),
    created_at: z.string(),
    html_url: z.string().optional(),
    repository: z.looseObject({ full_name: z.string() }),
    head_repository: z.looseObject({ full_name: z.string() }).nullable(),
});
export type WorkflowRun = z.infer<typeof runSchema>;

export const artifactSchema = z.looseObject({
    id: z.number(),
    name: z.string(),
    expired: z.boolean(),
    created_at: z.string().nullable(),
    archive_download_url: z.string(),
    size_in_bytes: z.number().optional(),
});
export type Artifact = z.infer<typeof artifactSchema>;

/** Why a run is not trusted, or undefined when it is. */
export function distrust(run: WorkflowRun, policy: TrustPolicy): string | undefined {
    const file = policy.workflows.find((w) => run.path === `.github/workflows/${w}` || run.path.startsWith(`.github/workflows/${w}@`));
    if (!file) return `workflow ${run.path} is not one of ${policy.workflows.join(", ")}`;
    if (run.repository.full_name.toLowerCase() !== policy.repository.toLowerCase()) return `run of another repository (${run.repository.full_name})`;
    if (run.head_repository?.full_name.toLowerCase() !== policy.repository.toLowerCase()) return `code from another repository (${run.head_repository?.full_name ?? "unknown"})`;
    if (run.head_branch !== policy.branch) return `branch ${run.head_branch ?? "(none)"}, not ${policy.branch}`;
    if (!TRUSTED_EVENTS.includes(run.event)) return `event ${run.event}, which can run a copy of the workflow the branch does not hold`;
    if (run.status !== "completed") return `still ${run.status ?? "running"}`;
    if (!FINISHED_CONCLUSIONS.includes(run.conclusion ?? "")) return `concluded ${run.conclusion ?? "(none)"}: it ran no step`;
    return undefined;
}

/** Trusted runs, newest first, and every other run with the reason it was left out. */
export function trustedRuns(runs: readonly WorkflowRun[], policy: TrustPolicy): { trusted: WorkflowRun[]; refused: { run: WorkflowRun; reason: string }[] } {
    const trusted: WorkflowRun[] = [];
    const refused: { run: WorkflowRun; reason: string }[] = [];
    for (const run of runs) {
        const reason = distrust(run, policy);
        if (reason) refused.push({ run, reason });
        else if (!trusted.some((t) => t.id === run.id)) trusted.push(run);
    }
    trusted.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
    return { trusted, refused };
}

/** The run's snapshot artifact: exactly that name, not expired; the newest if a re-run uploaded several. */
export function snapshotArtifact(artifacts: readonly Artifact[], name: string): Artifact | undefined {
    return artifacts
        .filter((a) => a.name === name && !a.expired)
        .sort((a, b) => Date.parse(b.created_at ?? "") - Date.parse(a.created_at ?? "") || b.id - a.id)[0];
}

/** The artifact name a stack's snapshot is published under. */
export function snapshotArtifactName(stack: string): string {
    // Artifact names cannot hold '/', which an organisation-qualified stack name (acme/prod) does.
    return `invision-state-${stack.split("/").pop()}`;
}
