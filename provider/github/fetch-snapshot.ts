import { unzipSync } from "fflate";
import { z } from "zod";
import { artifactSchema, runSchema, snapshotArtifact, snapshotArtifactName, TrustPolicy, trustedRuns, WorkflowRun } from "./trusted-runs";

/** The file inside the snapshot artifact. */
export const SNAPSHOT_FILE = "snapshot.json";

export interface FetchOptions extends TrustPolicy {
    stack: string;
    /** A token with `actions: read` on the repository (in Actions, the job's GITHUB_TOKEN). Never printed. */
    token: string;
    /** https://api.github.com, or GITHUB_API_URL (GitHub Enterprise Server). */
    apiUrl: string;
    say?: (line: string) => void;
}

export interface FetchedSnapshot {
    text: string;
    run: WorkflowRun;
    artifactId: number;
}

export class SnapshotFetchError extends Error {}

const RUNS_PER_WORKFLOW = 30;
const MAX_ZIP_BYTES = 512 * 1024 * 1024;

/**
 * The snapshot the last trusted run published, through GitHub's REST API:
 * each trusted workflow's completed runs on the branch, newest first, and
 * the first that carries the artifact. Untrusted runs are never asked for
 * their artifacts.
 */
export async function fetchTrustedSnapshot(o: FetchOptions): Promise<FetchedSnapshot> {
    const say = o.say ?? (() => undefined);
    const [owner, repo] = o.repository.split("/");
    if (!owner || !repo) throw new SnapshotFetchError(`--repo must be owner/name (got ${JSON.stringify(o.repository)})`);
    const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions`;
    const runs: WorkflowRun[] = [];
    for (const w of o.workflows) {
        const q = new URLSearchParams({ branch: o.branch, status: "completed", per_page: String(RUNS_PER_WORKFLOW) });
        const page = await getJson(o, `${base}/workflows/${encodeURIComponent(w)}/runs?${q}`, z.object({ workflow_runs: z.array(runSchema) }), { notFound: "empty" });
        runs.push(...(page?.workflow_runs ?? []));
    }
    const { trusted, refused } = trustedRuns(runs, o);
    for (const { run, reason } of refused) say(`not trusted: run ${run.id} (${run.path}, ${run.event} on ${run.head_branch}): ${reason}`);
    const name = snapshotArtifactName(o.stack);
    for (const run of trusted) {
        const list = await getJson(o, `${base}/runs/${run.id}/artifacts?${new URLSearchParams({ name, per_page: "100" })}`, z.object({ artifacts: z.array(artifactSchema) }));
        const artifact = snapshotArtifact(list!.artifacts, name);
        if (!artifact) continue;
        if ((artifact.size_in_bytes ?? 0) > MAX_ZIP_BYTES) throw new SnapshotFetchError(`artifact ${name} of run ${run.id} is ${artifact.size_in_bytes} bytes, more than a snapshot can be`);
        const zip = await download(o, artifact.archive_download_url);
        let files: Record<string, Uint8Array>;
        try {
            files = unzipSync(zip, { filter: (f) => f.name === SNAPSHOT_FILE });
        } catch (e) {
            throw new SnapshotFetchError(`artifact ${name} of run ${run.id} is not a readable zip: ${(e as Error).message}`);
        }
        const file = files[SNAPSHOT_FILE];
        if (!file) throw new SnapshotFetchError(`artifact ${name} of run ${run.id} holds no ${SNAPSHOT_FILE}`);
        say(`snapshot: artifact ${name} of run ${run.id} (${run.path}, ${run.event} on ${run.head_branch}, ${run.created_at}${run.html_url ? `, ${run.html_url}` : ""})`);
        return { text: Buffer.from(file).toString("utf8"), run, artifactId: artifact.id };
    }
    throw new SnapshotFetchError(
        `no trusted run of ${o.workflows.join(" or ")} on ${o.branch} in ${o.repository} published ${name} (looked at ${trusted.length} trusted run(s) of ${runs.length}): ` +
            "run the apply workflow once by hand with trust_current_state (see \"Trusted snapshots\" in the pulumi-invision README), or check --stack",
    );
}

function headers(o: FetchOptions): Record<string, string> {
    return { Authorization: `Bearer ${o.token}`, Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "pulumi-invision" };
}

async function getJson<T>(o: FetchOptions, path: string, schema: z.ZodType<T>, opts: { notFound?: "empty" } = {}): Promise<T | undefined> {
    const url = new URL(path.replace(/^\//, ""), o.apiUrl.endsWith("/") ? o.apiUrl : `${o.apiUrl}/`);
    const res = await request(url, { headers: headers(o) });
    if (res.status === 404 && opts.notFound === "empty") return undefined;
    if (!res.ok) throw new SnapshotFetchError(`GitHub answered ${res.status} to GET ${url.pathname}${hint(res.status)}`);
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success) throw new SnapshotFetchError(`GitHub's answer to GET ${url.pathname} is not what its REST API documents: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
    return parsed.data;
}

/** The artifact's zip; GitHub redirects to storage, and fetch drops the Authorization header on that cross-origin hop. */
async function download(o: FetchOptions, url: string): Promise<Uint8Array> {
    const res = await request(new URL(url), { headers: headers(o), redirect: "follow" });
    if (!res.ok) throw new SnapshotFetchError(`GitHub answered ${res.status} to the artifact download ${new URL(url).pathname}${hint(res.status)}`);
    return new Uint8Array(await res.arrayBuffer());
}

async function request(url: URL, init: RequestInit): Promise<Response> {
    try {
        return await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
    } catch (e) {
        // The request's headers (the token) are never part of the message.
        throw new SnapshotFetchError(`cannot reach ${url.origin}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
}

function hint(status: number): string {
    if (status === 401) return ": the token is missing or expired";
    if (status === 403) return ": the token lacks `actions: read` on the repository (permissions: actions: read in the workflow), or the API rate limit was reached";
    if (status === 404) return ": no such repository or run, or the token cannot see it";
    return "";
}
