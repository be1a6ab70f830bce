/**
 * `npm run bench:scale [-- USERS:GROUPS ...] [--fresh N [--fresh-checkpoints]] [--parallel-diff]`: issue 17's figures
 * through the real `pulumi` CLI, against the emulator on loopback with no
 * rate limit and no latency (default 10000:100; e.g. `-- 1000:20 --fresh 1000`).
 *
 * Each user is in two groups, so a group has about 2 x USERS / GROUPS members
 * (200 for 10000:100). For each size, three stacks run in one process against
 * one emulator that starts with the tenant already in it (as after `pulumi-invision export`):
 * - "team": the GitOps program (examples/team: InVisionTeam on team.yaml):
 *   preview, the onboarding `up` (PULUMI_SKIP_CHECKPOINTS=true, every create
 *   adopts), no-op `up`, a preview with no change, both phases of `refresh`,
 *   a one-person change and a one-member change (with `--parallel-diff`, a
 *   no-change preview and no-op `up` again with PULUMI_PARALLEL_DIFF=true);
 * - "classes": the same people as InVisionUser/InVisionGroup (test/e2e/program):
 *   preview, onboarding `up`, no-op `up`;
 * - "floor": the engine's floor (scripts/bench-floor): the same inputs as
 *   trivial dynamic resources with a provider that does nothing, driven the same way.
 * Every step prints its SCIM requests (and writes), seconds, peak memory of the
 * provider, program and engine processes, the stack file's bytes, and its
 * seconds and program memory as ratios to the floor's matching step.
 * `--fresh N` adds a fresh-create `up` of N users into an empty tenant, in
 * the onboarding mode (`--fresh-checkpoints`: per-step checkpoints, whose time
 * grows with the square of N), with the client's request ceiling lifted so
 * the figure is the engine's and ours, not InVision's 10 requests/s. Prints the load average beside each size,
 * since figures on a shared machine are noisy. Prints; asserts nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Emulator, startEmulator } from "../provider/emulator";
import { createProject, Project } from "../test/e2e/harness";
import { rosterYaml, tenant } from "./bench-tenant";
import { PeakSampler, samplePeakMemory } from "./peak-memory";
import { configSet } from "./pulumi-argv";

const repo = path.resolve(__dirname, "..");
const ONBOARDING = { PULUMI_SKIP_CHECKPOINTS: "true" };
const PARALLEL_DIFF = { PULUMI_PARALLEL_DIFF: "true" };

interface Row {
    stack: string;
    step: string;
    requests: number;
    writes: number;
    seconds: number;
    provider: number;
    program: number;
    engine: number;
    stateBytes: number;
    /** The floor's step this one is compared with. */
    floorStep?: string;
}

class Stack {
    constructor(
        readonly name: string,
        readonly p: Project,
        readonly memory: PeakSampler,
    ) {}

    stateBytes(): number {
        return this.p
            .stateFiles()
            .filter((f) => /\.state\/\.pulumi\/stacks\/.*\.json$/.test(f))
            .reduce((n, f) => n + fs.statSync(f).size, 0);
    }
}

async function stack(name: string, programDir: string, users: number): Promise<Stack> {
    const p = await createProject(`scale-${name}-${users}`, programDir, { commandTimeoutMs: 4 * 3600_000 });
    return new Stack(name, p, samplePeakMemory(p.dir));
}

function printRow(r: Row, rows: Row[]): void {
    const floor = r.floorStep ? rows.find((f) => f.stack === "floor" && f.step === r.floorStep) : undefined;
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "-");
    const mib = (n: number) => (n ? n.toFixed(0) : "-");
    console.log(
        [
            `${r.stack}: ${r.step}`.padEnd(44),
            String(r.requests).padStart(7),
            String(r.writes).padStart(6),
            r.seconds.toFixed(1).padStart(8),
            ratio(r.seconds, floor?.seconds).padStart(7),
            `${mib(r.provider)} / ${mib(r.program)} / ${mib(r.engine)}`.padStart(16),
            ratio(r.program, floor?.program).padStart(7),
            (r.stateBytes / 1e6).toFixed(2).padStart(8),
            os.loadavg()[0].toFixed(1).padStart(5),
        ].join(" "),
    );
}

interface Options {
    /** A fresh-create `up` of this many users into an empty tenant. */
    fresh?: number;
    /** ...with per-step checkpoints instead of the onboarding mode (its time grows with the square of the tenant). */
    freshCheckpoints: boolean;
    /** Also the no-change preview and no-op `up` with PULUMI_PARALLEL_DIFF=true. */
    parallelDiff: boolean;
}

async function run(users: number, groups: number, options: Options): Promise<void> {
    const spec = tenant(users, groups);
    const emu = await startEmulator({ latencyMs: 0 });
    // The tenant as it is before onboarding: everyone already in InVision.
    const ids = new Map(spec.users.map((u) => [u.userName, emu.seedUser(u).id]));
    for (const g of spec.groups) emu.seedGroup({ displayName: g.displayName, members: g.members.map((m) => ids.get(m)!) });

    const rows: Row[] = [];
    const stacks: Stack[] = [];
    const memberships = spec.groups.reduce((n, g) => n + g.members.length, 0);
    console.log(`\n${users} users, ${groups} groups, ${memberships} memberships; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log(
        `${"stack: step".padEnd(44)} ${"reqs".padStart(7)} ${"writes".padStart(6)} ${"seconds".padStart(8)} ${"/floor".padStart(7)} ${"peak MiB p/prog/e".padStart(16)} ${"/floor".padStart(7)} ${"state MB".padStart(8)} ${"load".padStart(5)}`,
    );
    const step = async (s: Stack, title: string, args: string[], opts: { env?: NodeJS.ProcessEnv; floorStep?: string; on?: Emulator } = {}) => {
        const e = opts.on ?? emu;
        e.clearRequests();
        s.memory.reset();
        const t0 = Date.now();
        await s.p.pulumi(args, { env: opts.env });
        const seconds = (Date.now() - t0) / 1000;
        const m = s.memory.peaks();
        const row = { stack: s.name, step: title, requests: e.requests.length, writes: e.writes().length, seconds, ...m, stateBytes: s.stateBytes(), floorStep: opts.floorStep };
        rows.push(row);
        printRow(row, rows);
    };
    const configure = async (s: Stack, e: Emulator) => {
        await s.p.pulumi(configSet("invision:scimBaseUrl", e.url));
        await s.p.pulumi(configSet("invision:scimToken", e.token, { secret: true }));
    };
    try {
        // The floor first, so that every other row can print its ratio.
        const floor = await stack("floor", path.join(repo, "scripts", "bench-floor"), users);
        stacks.push(floor);
        floor.p.writeSpec(spec);
        await step(floor, "preview", ["preview"]);
        await step(floor, "onboarding up", ["up", "--yes", "--skip-preview"], { env: ONBOARDING });
        await step(floor, "no-op up", ["up", "--yes"]);
        await step(floor, "preview, no change", ["preview"]);
        await step(floor, "refresh, apply phase", ["refresh", "--yes", "--skip-preview"]);

        const team = await stack("team", path.join(repo, "examples", "team"), users);
        stacks.push(team);
        const roster = path.join(team.p.dir, "team.yaml");
        fs.writeFileSync(roster, rosterYaml(spec));
        await configure(team, emu);
        await step(team, "preview", ["preview"], { floorStep: "preview" });
        await step(team, "onboarding up", ["up", "--yes", "--skip-preview"], { env: ONBOARDING, floorStep: "onboarding up" });
        await step(team, "no-op up", ["up", "--yes"], { floorStep: "no-op up" });
        await step(team, "preview, no change", ["preview"], { floorStep: "preview, no change" });
        // `pulumi refresh --yes` reads everything twice: once for its preview, once to apply.
        await step(team, "refresh, preview phase", ["refresh", "--preview-only"], { floorStep: "refresh, apply phase" });
        await step(team, "refresh, apply phase", ["refresh", "--yes", "--skip-preview"], { floorStep: "refresh, apply phase" });
        spec.users[0] = { ...spec.users[0], givenName: "Renamed" };
        fs.writeFileSync(roster, rosterYaml(spec));
        await step(team, "one person's name changed (up)", ["up", "--yes"], { floorStep: "no-op up" });
        const g = spec.groups[0];
        g.members = g.members.slice(1);
        fs.writeFileSync(roster, rosterYaml(spec));
        await step(team, `one member leaves a group of ${g.members.length + 1} (up)`, ["up", "--yes"], { floorStep: "no-op up" });
        if (options.parallelDiff) {
            // The engine's parallel diff, on the same stack as it now is (previewing no change).
            await step(team, "preview, no change, PULUMI_PARALLEL_DIFF", ["preview"], { env: PARALLEL_DIFF, floorStep: "preview, no change" });
            await step(team, "no-op up, PULUMI_PARALLEL_DIFF", ["up", "--yes"], { env: PARALLEL_DIFF, floorStep: "no-op up" });
        }

        const classes = await stack("classes", path.join(repo, "test", "e2e", "program"), users);
        stacks.push(classes);
        classes.p.writeSpec(spec);
        await configure(classes, emu);
        await step(classes, "preview", ["preview"], { floorStep: "preview" });
        await step(classes, "onboarding up", ["up", "--yes", "--skip-preview"], { env: ONBOARDING, floorStep: "onboarding up" });
        await step(classes, "no-op up", ["up", "--yes"], { floorStep: "no-op up" });


        const fresh = options.fresh;
        if (fresh) {
            const empty = await startEmulator({ latencyMs: 0 });
            try {
                const created = await stack("fresh", path.join(repo, "examples", "team"), fresh);
                stacks.push(created);
                const freshSpec = tenant(fresh, Math.max(1, Math.round((groups * fresh) / users)));
                fs.writeFileSync(path.join(created.p.dir, "team.yaml"), rosterYaml(freshSpec));
                await configure(created, empty);
                // InVision's own limit (10 requests/s, the default ceiling) would set this step's pace, not the
                // engine or the provider: lifted here, as the emulator has none, to measure what is ours.
                await created.p.pulumi(configSet("invision:maxRequestsPerSecond", "1000"));
                const mode = options.freshCheckpoints ? "per-step checkpoints" : "onboarding mode";
                await step(created, `fresh-create up of ${fresh} users (${mode})`, ["up", "--yes", "--skip-preview"], {
                    on: empty,
                    env: options.freshCheckpoints ? {} : ONBOARDING,
                    floorStep: "onboarding up",
                });
            } finally {
                await empty.close();
            }
        }
    } finally {
        for (const s of stacks) {
            s.memory.stop();
            fs.writeFileSync(path.join(s.p.dir, "transcript.txt"), s.p.transcript.join("\n"));
        }
        await emu.close();
    }
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const flag = (name: string) => {
        const at = args.indexOf(name);
        return at >= 0 ? args.splice(at, 1).length > 0 : false;
    };
    const at = args.indexOf("--fresh");
    const fresh = at >= 0 ? Number(args.splice(at, 2)[1]) : undefined;
    const options: Options = { fresh, freshCheckpoints: flag("--fresh-checkpoints"), parallelDiff: flag("--parallel-diff") };
    const sizes = args.length ? args : ["10000:100"];
    for (const size of sizes) {
        const m = /^(\d+):(\d+)$/.exec(size);
        if (!m || Number(m[2]) < 1) throw new Error(`size "${size}": expected USERS:GROUPS, e.g. 10000:100`);
        await run(Number(m[1]), Number(m[2]), options);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
