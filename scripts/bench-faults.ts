/**
 * `npm run bench:faults`: issue 8's benchmark. Through the real `pulumi` CLI
 * (a program installed from the packed package, as in the e2e tests) against
 * the emulator started in this process, a roster of users and groups is
 * deployed under each fault scenario, `pulumi up --yes` again and again until
 * it succeeds (at most 6 runs). One table row per scenario. Prints; asserts
 * nothing; exits 0.
 *
 *   npm run bench:faults                               200 users, 4 groups of 50
 *   npm run bench:faults -- --users 100 --groups 2 --group-size 30
 *   npm run bench:faults -- --large                    adds 1,000 users and 20 groups at 10 req/s
 *   npm run bench:faults -- --only a,c                 some scenarios only
 *   npm run bench:faults -- --skip-preview             `pulumi up --yes --skip-preview`, as the
 *                                                      Automation API (pulumi/actions) applies
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { EmulatorOptions } from "../provider/emulator";
import { roster, runScenario, Scenario, ScenarioResult } from "../test/e2e/fault-scenario";
import { createProject } from "../test/e2e/harness";

const SERVER_RATE = 10;
/**
 * Above the server's limit on purpose: the client must find the limit itself
 * (its adaptive rate), which is what a user who does not know InVision's
 * limit gets.
 */
const CLIENT_CEILING = 20;
const MAX_RUNS = 6;

interface Row {
    key: string;
    title: string;
    emulator: EmulatorOptions;
    users: number;
    groups: number;
    groupSize: number;
    /** The rate the lower bound divides by: the server's limit, or the client's ceiling when the server has none. */
    boundRate: number;
    boundIsClient: boolean;
}

function positive(name: string, raw: string): number {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
        process.stderr.write(`bench:faults: --${name} must be a whole number above 0, got '${raw}'\n`);
        process.exit(2);
    }
    return n;
}

function rows(users: number, groups: number, groupSize: number, large: boolean): Row[] {
    const size = { users, groups, groupSize };
    const limited = (retryAfter: "none" | "seconds"): EmulatorOptions => ({ rateLimit: { perSecond: SERVER_RATE, retryAfter } });
    const out: Row[] = [
        { key: "a", title: `${SERVER_RATE} req/s, 429 without Retry-After`, emulator: limited("none"), ...size, boundRate: SERVER_RATE, boundIsClient: false },
        { key: "b", title: `${SERVER_RATE} req/s, 429 with Retry-After: 1`, emulator: limited("seconds"), ...size, boundRate: SERVER_RATE, boundIsClient: false },
        {
            key: "c",
            title: "30% 5xx, 5% drops, 10% lost answers",
            // The emulator's lostResponseRate applies to every method, not POSTs only: harsher than the scenario.
            emulator: { chaos: { seed: 20261123, errorRate: 0.3, errorStatuses: [500, 503], dropRate: 0.05, lostResponseRate: 0.1 } },
            ...size,
            // No server limit here: the client's own ceiling is what paces it.
            boundRate: CLIENT_CEILING,
            boundIsClient: true,
        },
    ];
    if (large) {
        out.push({ key: "d", title: `1,000 users, 20 groups at ${SERVER_RATE} req/s`, emulator: limited("none"), users: 1000, groups: 20, groupSize: 50, boundRate: SERVER_RATE, boundIsClient: false });
    }
    return out;
}

const COLUMNS = ["scenario", "ups", "requests", "429s", "5xx/drop/lost", "wall s", "bound s", "wall/bound", "lead s", "scim s", "tail s", "scim/bound", "paused s", "dups", "groups exact"];
const WIDTHS = [44, 4, 9, 6, 14, 8, 8, 11, 7, 7, 7, 11, 9, 5, 12];

/**
 * The seconds the client itself paused for the server's limit, from its
 * figures line (provider/scim/figures.ts), "-" if it printed none. The engine
 * shows each line twice (as it happens, then in the diagnostics), hence the
 * dedupe. Parsing the provider's wording is fragile, and fine for a printout:
 * it tells a slow engine (little pausing) from a slow client (much pausing).
 */
function pausedSeconds(r: ScenarioResult): string {
    let found = false;
    let total = 0;
    for (const o of r.outputs) {
        const lines = new Set(o.out.split("\n").map((l) => /\[invision\] (InVision requests: .*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined));
        for (const l of lines) {
            found = true;
            total += Number(/totalling ([\d.]+) s/.exec(l)?.[1] ?? 0);
        }
    }
    return found ? total.toFixed(1) : "-";
}

function line(cells: string[]): string {
    return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]) : c.padStart(WIDTHS[i]))).join("  ");
}

function format(row: Row, r: ScenarioResult): string {
    const bound = r.requests / row.boundRate;
    const ups = r.converged ? String(r.runs) : `>${r.runs}`;
    return line([
        `(${row.key}) ${row.title}`,
        ups,
        String(r.requests),
        String(r.rateLimited),
        `${r.injectedErrors}/${r.dropped}/${r.lost}`,
        r.wallSeconds.toFixed(1),
        `${bound.toFixed(1)}${row.boundIsClient ? "*" : ""}`,
        (r.wallSeconds / bound).toFixed(2),
        r.leadSeconds.toFixed(1),
        r.scimSeconds.toFixed(1),
        r.tailSeconds.toFixed(1),
        (r.scimSeconds / bound).toFixed(2),
        pausedSeconds(r),
        String(r.check.duplicates),
        `${r.check.groupsExact}/${r.check.groupsDeclared}`,
    ]);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            users: { type: "string", default: "200" },
            groups: { type: "string", default: "4" },
            "group-size": { type: "string", default: "50" },
            large: { type: "boolean", default: false },
            only: { type: "string" },
            "skip-preview": { type: "boolean", default: false },
        },
    });
    const only = values.only?.split(",").map((s) => s.trim());
    const chosen = rows(positive("users", values.users!), positive("groups", values.groups!), positive("group-size", values["group-size"]!), values.large!).filter(
        (r) => !only || only.includes(r.key),
    );

    // One project (its npm install is the slow part), a new stack and a fresh emulator per scenario.
    // 1,000 users at 10 req/s, retried, may need more than the harness's default 10 minutes per command.
    const project = await createProject("bench-faults", undefined, { commandTimeoutMs: 60 * 60_000 });
    // One warm-up, not counted (as any benchmark harness does): the first
    // program and provider start of a freshly installed project reads
    // node_modules cold, which the first scenario alone would pay. A preview
    // of one user sends no request and starts both.
    project.writeSpec(roster(1, 0, 0));
    await project.pulumi(["preview"]);
    const up = values["skip-preview"] ? "pulumi up --yes --skip-preview" : "pulumi up --yes";
    console.log(`${up} until it succeeds (at most ${MAX_RUNS} runs); client: invision:maxRequestsPerSecond ${CLIENT_CEILING}, default concurrency`);
    console.log(`each run's output: ${project.dir}/<scenario>-output.txt\n`);
    console.log(line(COLUMNS));
    const notes: string[] = [];
    for (const row of chosen) {
        const s: Scenario = {
            name: `scenario-${row.key}`,
            emulator: row.emulator,
            users: row.users,
            groups: row.groups,
            groupSize: row.groupSize,
            config: { "invision:maxRequestsPerSecond": String(CLIENT_CEILING) },
            maxRuns: MAX_RUNS,
            skipPreview: values["skip-preview"],
        };
        const r = await runScenario(project, s);
        console.log(format(row, r));
        if (r.check.missingUsers > 0 || r.check.groupProblems.length > 0) {
            notes.push(`(${row.key}): ${r.check.missingUsers} users missing; ${r.check.groupProblems.join("; ") || "groups exact"}`);
        }
    }
    console.log(`\nusers/groups: ${values.users} users, ${values.groups} groups of ${values["group-size"]}${values.large ? " (d: 1,000 users, 20 groups of 50)" : ""}`);
    console.log("ups: `pulumi up` runs until one succeeded (>6: never did). requests: every SCIM request the emulator saw, refused ones included.");
    console.log(`bound s: requests / ${SERVER_RATE} (the server's limit), the issue's lower bound; * = no server limit, requests / the client's ceiling of ${CLIENT_CEILING}.`);
    console.log("wall s: time inside `pulumi up`, all runs, engine and preview included. scim s: first to last SCIM request of each run, summed (the client's pacing alone).");
    console.log("lead s / tail s: from each run's start to its first SCIM request / from its last to the run's end, summed: the engine's own time (program start, preview, state writes).");
    console.log("paused s: what the client's own figures line says it paused for the server's limit, all runs.");
    console.log("dups: users sharing a userName, case-insensitively (must be 0). groups exact: held once, with exactly the declared members (must be all).");
    for (const n of notes) console.log(n);
    console.log(`\nfull outputs in ${path.resolve(project.dir)}`);
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        // A benchmark that cannot run says why; it still asserts nothing about the figures.
        process.stderr.write(`bench:faults: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exit(1);
    },
);
