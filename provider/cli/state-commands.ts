import * as fs from "node:fs";
import { fetchTrustedSnapshot, SnapshotFetchError } from "../github/fetch-snapshot";
import { snapshotArtifactName, TrustPolicy } from "../github/trusted-runs";
import { parseExport, StateFileError } from "../state/deployment";
import { PlaintextSecretError } from "../state/secrets";
import { makeSnapshot } from "../state/snapshot";
import { formatVerdict, passed, verifyState } from "../state/verify";
import { parseStrict, UsageError } from "./args";
import { PreviewError, previewFromSnapshot } from "./preview-from-snapshot";

/**
 * The commands that keep a pull request away from every credential: trusted
 * jobs publish `snapshot`s and `verify-state` before they run anything from
 * state; a pull request's job runs `preview-from-snapshot` (which
 * `fetch-snapshot`s the last trusted one) and holds no secret.
 */
export const STATE_COMMANDS = ["snapshot", "verify-state", "fetch-snapshot", "preview-from-snapshot"] as const;
export type StateCommand = (typeof STATE_COMMANDS)[number];

export const STATE_USAGE = `       pulumi-invision snapshot [--in EXPORT] --out FILE
       pulumi-invision verify-state [--actual EXPORT] (--expected SNAPSHOT | --providers-only)
       pulumi-invision fetch-snapshot --stack NAME --out FILE [--repo OWNER/NAME] [--branch main] [--workflow FILE]...
       pulumi-invision preview-from-snapshot (--snapshot FILE | --stack NAME [--repo ...] [--branch ...] [--workflow FILE]...)
                                             [--cwd DIR] [--out FILE] [-- PULUMI_PREVIEW_ARGS...]

snapshot: a \`pulumi stack export\` (stdin, or --in) with every secret value
replaced by a digest of its ciphertext: what the apply and drift jobs publish
after each run, as the artifact ${snapshotArtifactName("<stack>")}.

verify-state: before anything runs from state, checks the backend's export
(stdin, or --actual) against the last trusted snapshot: every dynamic
resource's __provider must be exactly pulumi-invision's, and the state must be
the snapshot's. Exit 1 with every difference (resource URN, property) if not.
--providers-only checks __provider alone (adopting the current state once).

fetch-snapshot: the snapshot of the newest completed run of the trusted
workflows (--workflow, default invision-apply.yml and invision-drift.yml) on
--branch, started by push, schedule or workflow_dispatch in this repository
(--repo, default GITHUB_REPOSITORY); token from GITHUB_TOKEN or GH_TOKEN
(actions: read is enough).

preview-from-snapshot: what the pull-request job runs. Imports the snapshot
into a throwaway local backend and runs \`pulumi preview\` there, with no
backend credential, no SCIM token and no key: secret values, in state and in
stack config, are all the placeholder "[secret]".
`;

const DEFAULT_WORKFLOWS = ["invision-apply.yml", "invision-drift.yml"];

export async function runStateCommand(command: StateCommand, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
    try {
        switch (command) {
            case "snapshot":
                return snapshot(argv);
            case "verify-state":
                return verify(argv);
            case "fetch-snapshot":
                return await fetchSnapshot(argv, env);
            case "preview-from-snapshot":
                return await preview(argv, env);
        }
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`pulumi-invision ${command}: ${e.message}\n`);
            return 2;
        }
        if (e instanceof StateFileError || e instanceof PlaintextSecretError || e instanceof SnapshotFetchError || e instanceof PreviewError) {
            process.stderr.write(`pulumi-invision ${command}: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
}

const string = { type: "string" } as const;

function noPositionals(positionals: string[], command: string): void {
    if (positionals.length > 0) throw new UsageError(`${positionals.length} unexpected argument(s) after ${command}`);
}

/** A file's text, or stdin's when no file is named (`pulumi stack export | pulumi-invision ...`). */
function readInput(file: string | undefined, what: string): string {
    if (file === undefined || file === "-") {
        if (process.stdin.isTTY) throw new UsageError(`${what}: give a file, or pipe \`pulumi stack export\` into this command`);
        return fs.readFileSync(0, "utf8");
    }
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new StateFileError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

function snapshot(argv: string[]): number {
    const { values, positionals } = parseStrict(argv, { in: string, out: string });
    noPositionals(positionals, "snapshot");
    if (!values.out) throw new UsageError("--out FILE is required");
    const exported = parseExport(readInput(values.in, "the export"), values.in ?? "stdin");
    const snap = makeSnapshot(exported);
    fs.writeFileSync(values.out, `${JSON.stringify(snap, null, 2)}\n`);
    process.stderr.write(`Wrote ${values.out}: ${snap.deployment.resources.length} resources, secret values replaced by digests.\n`);
    return 0;
}

function verify(argv: string[]): number {
    const { values, positionals } = parseStrict(argv, { actual: string, expected: string, "providers-only": { type: "boolean" } });
    noPositionals(positionals, "verify-state");
    if ((values.expected !== undefined) === (values["providers-only"] === true)) throw new UsageError("give either --expected SNAPSHOT (the last trusted snapshot) or --providers-only");
    const actual = parseExport(readInput(values.actual, "the backend's export"), values.actual ?? "stdin");
    const expected = values.expected ? parseExport(readInput(values.expected, "the snapshot"), values.expected) : undefined;
    const verdict = verifyState(actual, expected);
    if (!passed(verdict)) {
        process.stderr.write(`${formatVerdict(verdict, values.expected ?? "")}\n`);
        return 1;
    }
    const n = actual.deployment.resources.length;
    process.stderr.write(
        expected
            ? `State check passed: the backend's ${n} resources are the trusted snapshot's (${values.expected}), and every __provider is pulumi-invision's.\n`
            : `State check passed (providers only): every __provider of the backend's ${n} resources is pulumi-invision's. The state was NOT compared with a trusted snapshot.\n`,
    );
    return 0;
}

function trustArgs(values: { stack?: string; repo?: string; branch?: string; workflow?: string[] }, env: NodeJS.ProcessEnv): TrustPolicy & { stack: string; token: string; apiUrl: string } {
    if (!values.stack) throw new UsageError("--stack NAME is required (the stack whose snapshot to fetch)");
    const repository = values.repo ?? env.GITHUB_REPOSITORY;
    if (!repository) throw new UsageError("--repo OWNER/NAME is required outside GitHub Actions (GITHUB_REPOSITORY is not set)");
    const token = env.GITHUB_TOKEN || env.GH_TOKEN;
    if (!token) throw new UsageError("set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repository's Actions (in a workflow: permissions: actions: read, env GITHUB_TOKEN: ${{ github.token }}; locally: GITHUB_TOKEN=$(gh auth token))");
    return { stack: values.stack, repository, branch: values.branch ?? "main", workflows: values.workflow?.length ? values.workflow : DEFAULT_WORKFLOWS, token, apiUrl: env.GITHUB_API_URL || "https://api.github.com" };
}

const trustOptions = { stack: string, repo: string, branch: string, workflow: { type: "string", multiple: true } } as const;
const say = (line: string) => process.stderr.write(`${line}\n`);

async function fetchSnapshot(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const { values, positionals } = parseStrict(argv, { ...trustOptions, out: string });
    noPositionals(positionals, "fetch-snapshot");
    if (!values.out) throw new UsageError("--out FILE is required");
    const fetched = await fetchTrustedSnapshot({ ...trustArgs(values, env), say });
    parseExport(fetched.text, `the snapshot of run ${fetched.run.id}`);
    fs.writeFileSync(values.out, fetched.text);
    return 0;
}

async function preview(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const dash = argv.indexOf("--");
    const own = dash < 0 ? argv : argv.slice(0, dash);
    const passThrough = dash < 0 ? [] : argv.slice(dash + 1);
    const { values, positionals } = parseStrict(own, { ...trustOptions, snapshot: string, cwd: string, out: string, "config-file": string });
    noPositionals(positionals, "preview-from-snapshot (pass pulumi preview's own flags after --)");
    let text: string;
    let source: string;
    if (values.snapshot) {
        if (values.repo || values.branch || values.workflow) throw new UsageError("--snapshot FILE is used as it is: --repo, --branch and --workflow choose a snapshot to fetch instead");
        text = readInput(values.snapshot, "the snapshot");
        source = values.snapshot;
    } else {
        const fetched = await fetchTrustedSnapshot({ ...trustArgs(values, env), say });
        text = fetched.text;
        source = `run ${fetched.run.id} of ${fetched.run.path}`;
    }
    const snap = parseExport(text, source);
    return previewFromSnapshot({ snapshot: snap, source, stack: values.stack, cwd: values.cwd ?? process.cwd(), out: values.out, configFile: values["config-file"], previewArgs: passThrough, env, say });
}
