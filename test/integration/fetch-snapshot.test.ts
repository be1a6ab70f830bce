import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { strToU8, zipSync } from "fflate";
import { fetchTrustedSnapshot, SnapshotFetchError } from "../../provider/github/fetch-snapshot";
import type { WorkflowRun } from "../../provider/github/trusted-runs";
import { main } from "../../provider/cli/main";

/**
 * fetch-snapshot against a stand-in for GitHub's REST API and its artifact
 * storage, two servers on loopback, so the requests, the redirect and the
 * zip are real. The stand-in answers what the API documents and filters
 * nothing itself: telling trusted runs from the rest is our job.
 */

const TOKEN = "ghs_THIS-IS-THE-ACTIONS-TOKEN-0123456789";
const trustedText = JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod", type: "pulumi:pulumi:Stack" }] } });
const forgedText = JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod", type: "pulumi:pulumi:Stack", outputs: { forged: true } }] } });

interface Seen {
    path: string;
    auth?: string;
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
    const server = http.createServer(handler);
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe("fetch-snapshot, over HTTP", () => {
    const api: Seen[] = [];
    const storage: Seen[] = [];
    let apiServer: http.Server;
    let storageServer: http.Server;
    let apiUrl: string;
    let storageUrl: string;
    let applyRuns: WorkflowRun[];

    const run = (id: number, over: Partial<WorkflowRun>): WorkflowRun => ({
        id,
        path: ".github/workflows/invision-apply.yml",
        event: "push",
        head_branch: "main",
        status: "completed",
        conclusion: "success",
        created_at: `2026-12-0${id}T10:00:00Z`,
        repository: { full_name: "acme/access" },
        head_repository: { full_name: "acme/access" },
        ...over,
    });

    before(async () => {
        ({ server: storageServer, url: storageUrl } = await listen((req, res) => {
            storage.push({ path: req.url!, auth: req.headers.authorization });
            const text = req.url === "/blob/7" ? forgedText : trustedText;
            res.writeHead(200, { "content-type": "application/zip" }).end(Buffer.from(zipSync({ "snapshot.json": strToU8(text) })));
        }));
        ({ server: apiServer, url: apiUrl } = await listen((req, res) => {
            api.push({ path: req.url!, auth: req.headers.authorization });
            const url = new URL(req.url!, apiUrl);
            const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
            if (url.pathname === "/repos/acme/access/actions/workflows/invision-apply.yml/runs") return void json({ total_count: applyRuns.length, workflow_runs: applyRuns });
            if (url.pathname === "/repos/acme/access/actions/workflows/invision-drift.yml/runs") return void res.writeHead(404).end('{"message":"Not Found"}');
            const artifacts = /^\/repos\/acme\/access\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname);
            if (artifacts) {
                const id = Number(artifacts[1]);
                const a = { id, name: url.searchParams.get("name"), expired: false, created_at: `2026-12-0${id}T10:05:00Z`, archive_download_url: `${apiUrl}/download/${id}`, size_in_bytes: 300 };
                return void json({ total_count: 1, artifacts: id === 1 ? [] : [a] });
            }
            const dl = /^\/download\/(\d+)$/.exec(url.pathname);
            if (dl) return void res.writeHead(302, { location: `${storageUrl}/blob/${dl[1]}` }).end();
            res.writeHead(404).end();
        }));
    });
    after(() => {
        apiServer?.close();
        storageServer?.close();
    });

    it("takes the newest trusted run's artifact, passing over a newer pull request's forged one and a trusted run without one", async () => {
        applyRuns = [
            // Newest: a pull request ran a modified copy of the apply workflow and uploaded an artifact of the same name.
            run(7, { event: "pull_request", head_branch: "feature" }),
            run(1, { created_at: "2026-12-06T10:00:00Z", conclusion: "failure" }),
            run(5, {}),
            run(4, { event: "schedule" }),
        ];
        api.length = 0;
        storage.length = 0;
        const lines: string[] = [];
        const got = await fetchTrustedSnapshot({ repository: "acme/access", branch: "main", workflows: ["invision-apply.yml", "invision-drift.yml"], stack: "acme/prod", token: TOKEN, apiUrl, say: (l) => lines.push(l) });
        assert.equal(got.text, trustedText);
        assert.equal(got.run.id, 5);
        // Run 7's artifacts were never even listed; run 1 (the newest trusted) has none.
        assert.deepEqual(
            api.map((s) => new URL(s.path, apiUrl).pathname),
            ["/repos/acme/access/actions/workflows/invision-apply.yml/runs", "/repos/acme/access/actions/workflows/invision-drift.yml/runs", "/repos/acme/access/actions/runs/1/artifacts", "/repos/acme/access/actions/runs/5/artifacts", "/download/5"],
        );
        assert.equal(new URL(api[0].path, apiUrl).searchParams.get("branch"), "main");
        assert.equal(new URL(api[2].path, apiUrl).searchParams.get("name"), "invision-state-prod");
        assert.ok(api.every((s) => s.auth === `Bearer ${TOKEN}`), "every API request carries the token");
        assert.deepEqual(storage, [{ path: "/blob/5", auth: undefined }], "the storage host never sees the token");
        assert.ok(lines.some((l) => /not trusted: run 7 .*event pull_request|not trusted: run 7 .*branch feature/.test(l)), lines.join("\n"));
        assert.ok(!lines.join("\n").includes(TOKEN));
    });

    it("the command writes the snapshot, and fails with a reason (never the token) when no trusted run has one", async () => {
        applyRuns = [run(5, {})];
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fetch-snapshot-")), "snapshot.json");
        const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/access", GITHUB_API_URL: apiUrl };
        assert.equal(await main(["fetch-snapshot", "--stack", "prod", "--out", out], env), 0);
        assert.equal(fs.readFileSync(out, "utf8"), trustedText);

        applyRuns = [run(7, { event: "pull_request", head_branch: "feature" }), run(1, {})];
        await assert.rejects(
            fetchTrustedSnapshot({ repository: "acme/access", branch: "main", workflows: ["invision-apply.yml"], stack: "prod", token: TOKEN, apiUrl }),
            (e: unknown) => e instanceof SnapshotFetchError && /no trusted run of invision-apply\.yml on main in acme\/access published invision-state-prod \(looked at 1 trusted run\(s\) of 2\)/.test((e as Error).message) && !(e as Error).message.includes(TOKEN),
        );
        assert.equal(await main(["fetch-snapshot", "--stack", "prod", "--out", out], { ...env, GITHUB_TOKEN: "" }), 2, "no token: a usage error");
    });

    it("says what a refusal by GitHub means, without the token", async () => {
        await assert.rejects(
            fetchTrustedSnapshot({ repository: "nobody/here", branch: "main", workflows: ["invision-apply.yml"], stack: "prod", token: TOKEN, apiUrl: `${apiUrl}/not-the-api` }),
            (e: unknown) => e instanceof SnapshotFetchError && !(e as Error).message.includes(TOKEN),
        );
    });
});
