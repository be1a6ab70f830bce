import * as fs from "node:fs";
import * as path from "node:path";
import { Emulator, EmulatorOptions, startEmulator } from "../../provider/emulator";
import { configSet, Project, RunResult } from "./harness";

/**
 * One fault scenario through the real CLI: a fresh emulator with the given
 * faults, a fresh stack, and `pulumi up --yes` until it succeeds or runs out
 * of tries. Shared by test/e2e/faults.test.ts (which asserts) and
 * scripts/bench-faults.ts (which prints), so both measure the same thing.
 */

/** The e2e program's spec.json (test/e2e/program/index.ts). */
export interface Roster {
    users: { userName: string; givenName: string }[];
    groups: { key: string; displayName: string; members: string[] }[];
}

/**
 * `users` people and `groups` groups of `groupSize` each. Member j of group g is
 * user (g * groupSize + j) mod users: disjoint groups while they fit, and
 * overlapping ones (someone in several groups) when they do not.
 */
export function roster(users: number, groups: number, groupSize: number): Roster {
    const names = Array.from({ length: users }, (_, i) => `user${String(i).padStart(4, "0")}@example.com`);
    return {
        users: names.map((userName, i) => ({ userName, givenName: `User ${i}` })),
        groups: Array.from({ length: groups }, (_, g) => ({
            key: `team-${g}`,
            displayName: `Team ${g}`,
            members: Array.from({ length: Math.min(groupSize, users) }, (_, j) => names[(g * groupSize + j) % users]),
        })),
    };
}

/** What the emulator holds compared with the roster: what "converged without damage" means. */
export interface RosterCheck {
    /** Users beyond the first that share a userName, case-insensitively. Must be 0. */
    duplicates: number;
    /** Declared users the server does not have. */
    missingUsers: number;
    /** Declared groups held exactly once with exactly the declared members. */
    groupsExact: number;
    groupsDeclared: number;
    /** Why each other group is wrong, for an assertion message. */
    groupProblems: string[];
}

export function checkRoster(emu: Emulator, spec: Roster): RosterCheck {
    const users = [...emu.store.users.values()];
    const byName = new Map<string, number>();
    for (const u of users) byName.set(u.userName.toLowerCase(), (byName.get(u.userName.toLowerCase()) ?? 0) + 1);
    const duplicates = [...byName.values()].reduce((n, c) => n + c - 1, 0);
    const missingUsers = spec.users.filter((u) => !byName.has(u.userName.toLowerCase())).length;
    const nameOf = new Map(users.map((u) => [String(u.id), u.userName.toLowerCase()]));

    const groupProblems: string[] = [];
    for (const g of spec.groups) {
        const held = [...emu.store.groups.values()].filter((x) => x.displayName.toLowerCase() === g.displayName.toLowerCase());
        if (held.length !== 1) {
            groupProblems.push(`${g.displayName}: held ${held.length} times`);
            continue;
        }
        // Compared as lists, not sets: a member listed twice is a fault too.
        const actual = held[0].members.map((m) => nameOf.get(String(m.value)) ?? `unknown id ${m.value}`).sort();
        const wanted = g.members.map((m) => m.toLowerCase()).sort();
        if (actual.length !== wanted.length || actual.some((m, i) => m !== wanted[i])) {
            const extra = actual.filter((m) => !wanted.includes(m));
            const lacking = wanted.filter((m) => !actual.includes(m));
            groupProblems.push(`${g.displayName}: ${actual.length} members, want ${wanted.length}; extra [${extra.slice(0, 5).join(", ")}], missing [${lacking.slice(0, 5).join(", ")}]`);
        }
    }
    return { duplicates, missingUsers, groupsExact: spec.groups.length - groupProblems.length, groupsDeclared: spec.groups.length, groupProblems };
}

export interface Scenario {
    /** Also the stack name, so keep it to letters, digits and dashes. */
    name: string;
    emulator: EmulatorOptions;
    users: number;
    groups: number;
    groupSize: number;
    /** Stack config beyond the connection (invision:maxRequestsPerSecond, ...). */
    config: Record<string, string>;
    /** `pulumi up` attempts before giving up. */
    maxRuns: number;
    /**
     * Run `pulumi up --yes --skip-preview`, as the Automation API (and so
     * pulumi/actions and Pulumi Deployments) runs an apply whose preview was
     * already reviewed. Off: `pulumi up --yes`, preview included.
     */
    skipPreview?: boolean;
}

export interface ScenarioResult {
    /** `pulumi up` runs made; the last one succeeded when `converged`. */
    runs: number;
    converged: boolean;
    /** Every SCIM request the emulator saw across all runs, refused ones included. */
    requests: number;
    /** Refused by the rate limit (429, or the 500/503 an overloaded server answers). */
    rateLimited: number;
    injectedErrors: number;
    dropped: number;
    lost: number;
    /** Lost answers to POSTs: the creates whose outcome the client had to look up. */
    lostPosts: number;
    /** Seconds spent in `pulumi up`, all runs. */
    wallSeconds: number;
    /**
     * Seconds from each run's first SCIM request to its last, summed: the
     * client's own pacing, without the engine's start-up and preview.
     */
    scimSeconds: number;
    /**
     * Seconds from each run's start to its first SCIM request, and from its
     * last SCIM request to its end, summed: the engine's own time (program
     * start, preview, plugin start, final state write), which no client pacing
     * can shorten.
     */
    leadSeconds: number;
    tailSeconds: number;
    check: RosterCheck;
    /** Each run's output, in order. */
    outputs: RunResult[];
}

const TOKEN = "faults-e2e-token-8d3f0b6a1c";

/**
 * Runs a scenario in `project` on a new stack named after it (the project's
 * npm install is the slow part of a project, so scenarios share one), with
 * an emulator of its own that nothing else has touched.
 */
export async function runScenario(project: Project, s: Scenario): Promise<ScenarioResult> {
    const emu = await startEmulator({ ...s.emulator, token: TOKEN });
    try {
        const spec = roster(s.users, s.groups, s.groupSize);
        project.writeSpec(spec);
        await project.pulumi(["stack", "init", s.name]);
        await project.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await project.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
        for (const [k, v] of Object.entries(s.config)) await project.pulumi(configSet(k, v));
        // Only the `up`s count: the stack and config commands above send no SCIM request.
        emu.clearRequests();

        const outputs: RunResult[] = [];
        let wallMs = 0;
        let scimMs = 0;
        let leadMs = 0;
        let tailMs = 0;
        const upArgs = s.skipPreview ? ["up", "--yes", "--skip-preview"] : ["up", "--yes"];
        let converged = false;
        while (!converged && outputs.length < s.maxRuns) {
            const t0 = Date.now();
            const first = emu.requests.length;
            const r = await project.pulumi(upArgs, { allowFail: true });
            const t1 = Date.now();
            wallMs += t1 - t0;
            const run = emu.requests.slice(first);
            if (run.length > 0) {
                scimMs += run[run.length - 1].at - run[0].at;
                leadMs += run[0].at - t0;
                tailMs += t1 - run[run.length - 1].at;
            }
            outputs.push(r);
            converged = r.code === 0;
        }
        fs.writeFileSync(path.join(project.dir, `${s.name}-output.txt`), outputs.map((o, i) => `=== pulumi up #${i + 1}: exit ${o.code}\n${o.out}`).join("\n"));
        return {
            runs: outputs.length,
            converged,
            requests: emu.requests.length,
            rateLimited: emu.stats.rateLimited,
            injectedErrors: emu.stats.injectedErrors,
            dropped: emu.stats.dropped,
            lost: emu.stats.lost,
            lostPosts: emu.requests.filter((r) => r.fault === "lost" && r.method === "POST").length,
            wallSeconds: wallMs / 1000,
            scimSeconds: scimMs / 1000,
            leadSeconds: leadMs / 1000,
            tailSeconds: tailMs / 1000,
            check: checkRoster(emu, spec),
            outputs,
        };
    } finally {
        await emu.close();
    }
}
