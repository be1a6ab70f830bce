import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../../provider/emulator";
import { baseDeclaration, Declaration, memberEmail, PEOPLE, pullRequest } from "../../support/model/declaration";
import { brokenPromises, Ids, leftovers, namesLeftover } from "../../support/model/leftovers";
import { Names, unnamed } from "../../support/model/oracle";
import { parsePreview } from "../../support/model/preview-text";
import { Random } from "../../support/model/random";
import { exactNames, unfounded, unreviewed } from "../../support/model/review-oracle";
import { buildReview } from "../../../provider/review/build";
import { readPreview } from "../../../provider/review/preview-json";
import { Tenant, tenantChanges } from "../../support/model/tenant";
import { configSet, createProject, createYamlProject, RunResult } from "../harness";
import { handChanges } from "./hand";

/**
 * The model-based test of issue 21, through the real CLI against the
 * emulator's strict profile, in one door: random hand changes in the tenant,
 * a random pull request, its preview (no token, no refresh), `up` with or
 * without `--refresh`, and the next preview. The oracle fails a case when
 * `up` changed something the preview did not name, or left a difference in a
 * resource the pull request changed (every resource, after `--refresh`) that
 * `up` and the next preview do not name. Each case prints its seed.
 */

export type DoorName = "typescript" | "yaml";

interface Door {
    name: DoorName;
    emu: Emulator;
    declare(d: Declaration): void;
    pulumi(args: string[], opts?: { allowFail?: boolean; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
    transcript: string[];
    dir: string;
}

const TOKEN = "-model-SECRET-token-4d1c9e";

/** The YAML twin of the TypeScript program (test/e2e/safety-program): the same resources, by the same names. */
export function yamlProgram(d: Declaration): string {
    const resources: Record<string, unknown> = {};
    for (const u of d.users) {
        resources[u.name] = { type: "invision:index:User", properties: { userName: u.userName, ...(u.givenName ? { givenName: u.givenName } : {}), ...(u.active === false ? { active: false } : {}) } };
    }
    for (const g of d.groups) {
        const members = g.members.map((m) => (d.users.some((u) => u.name === m) ? `\${${m}.userName}` : m));
        resources[g.key] = { type: "invision:index:Group", properties: { displayName: g.displayName, members, ...(g.membershipMode ? { membershipMode: g.membershipMode } : {}) } };
    }
    return stringify({ name: "model-yaml", runtime: "yaml", resources });
}

async function openDoor(name: DoorName, d: Declaration): Promise<Door> {
    const emu = await startEmulator({ token: TOKEN, profile: "strict" });
    for (const email of PEOPLE) emu.seedUser({ userName: email, givenName: email.split("@")[0].toUpperCase() });
    if (name === "typescript") {
        const p = await createProject("model-ts", path.join(__dirname, "..", "safety-program"));
        // The same program, compiled once: each of the case's pulumi commands then starts it without compiling TypeScript again.
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--outDir", p.dir, "--module", "commonjs", "--target", "ES2022", "--esModuleInterop", "--skipLibCheck", "index.ts"], { cwd: p.dir });
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), "name: model-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
        const door: Door = { name, emu, dir: p.dir, transcript: p.transcript, pulumi: p.pulumi, declare: (x) => p.writeSpec(x) };
        return configured(door, d);
    }
    const p = await createYamlProject("model-yaml", { "Pulumi.yaml": yamlProgram(d) });
    const door: Door = { name, emu, dir: p.dir, transcript: p.transcript, pulumi: p.pulumi, declare: (x) => fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), yamlProgram(x)) };
    return configured(door, d);
}

async function configured(door: Door, d: Declaration): Promise<Door> {
    await door.pulumi(configSet("invision:scimBaseUrl", door.emu.url));
    // High bounds: refusals are tested elsewhere; here every plan runs.
    await door.pulumi(configSet("invision:maxDeactivations", "1000"));
    await door.pulumi(configSet("invision:maxMembershipRemovals", "1000"));
    door.declare(d);
    await door.pulumi(["up", "--yes", "--skip-preview"], { env: { INVISION_SCIM_TOKEN: TOKEN } });
    return door;
}

export function snapshot(emu: Emulator): Tenant {
    return {
        users: [...emu.store.users.values()].map((u) => ({ id: String(u.id), userName: u.userName, active: u.active !== false, givenName: u.name?.givenName })),
        groups: [...emu.store.groups.values()].map((g) => ({ id: String(g.id), displayName: g.displayName, members: g.members.map((m) => String(m.value)) })),
    };
}

/** SCIM ids by resource name, and the names state records for each id (the preview names people and groups by them). */
async function stateIds(door: Door): Promise<Ids & { recorded: Map<string, string[]> }> {
    type R = { urn: string; type: string; id?: string; outputs?: Record<string, unknown> };
    const exported = JSON.parse((await door.pulumi(["stack", "export"])).stdout) as { deployment: { resources?: R[] } };
    const users = new Map<string, string>();
    const groups = new Map<string, string>();
    const recorded = new Map<string, string[]>();
    for (const r of exported.deployment.resources ?? []) {
        const name = r.urn.split("::").pop()!;
        if (r.id === undefined) continue;
        const o = r.outputs ?? {};
        const names = [o.userName, o.emailInInVision, o.displayName].filter((x): x is string => typeof x === "string");
        if (/:User$/.test(r.type)) users.set(name, String(r.id));
        if (/:Group$/.test(r.type)) groups.set(name, String(r.id));
        recorded.set(`${/:User$/.test(r.type) ? "user" : "group"}:${r.id}`, names);
    }
    return { users, groups, recorded };
}

/** Failures of `up` a person can act on, which the model may provoke; anything else fails the case. */
const ACTIONABLE = [/no InVision user has as email/, /no longer exists in InVision/, /already exists \(409.*reactivate .* in InVision's admin console/s];

export interface CaseResult {
    seed: number;
    door: DoorName;
    ok: boolean;
    problems: string[];
    log: string[];
}

/** Runs `cases` cases in one door, one stack carried from case to case (drift accumulates, as in a real tenant). */
export async function runDoor(name: DoorName, seed: number, cases: number, onCase: (r: CaseResult) => void = () => undefined): Promise<CaseResult[]> {
    let decl = baseDeclaration();
    const door = await openDoor(name, decl);
    const results: CaseResult[] = [];
    try {
        for (let i = 0; i < cases; i++) {
            const caseSeed = seed + i;
            const r = new Random(caseSeed);
            const result = await runCase(door, decl, r);
            results.push(result.result);
            onCase(result.result);
            decl = result.decl;
        }
    } finally {
        fs.writeFileSync(path.join(door.dir, "transcript.txt"), door.transcript.join("\n"));
        await door.emu.close();
    }
    return results;
}

async function runCase(door: Door, decl: Declaration, r: Random): Promise<{ result: CaseResult; decl: Declaration }> {
    const log: string[] = [];
    const problems: string[] = [];
    const hand = handChanges(door.emu, decl, r);
    log.push(`hand changes: ${hand.join("; ") || "none"}`);
    const { next, edits } = pullRequest(decl, r);
    log.push(`pull request: ${edits.join("; ") || "no edit"}`);
    door.declare(next);

    door.emu.clearRequests();
    const preview = await door.pulumi(["preview", "--diff"], { allowFail: true });
    if (preview.code !== 0) problems.push(`the pull request's preview failed:\n${preview.out}`);
    if (door.emu.requests.length > 0) problems.push(`the pull request's preview sent ${door.emu.requests.length} request(s)`);
    // Issue 23: the access review of the same pull request, from its preview's JSON. It knows state and the
    // declaration, not the hand changes made since state was written (this case's, just above): so every change up
    // makes must be one of its rows, but a row may be true before up already, or moot (a person deleted by hand).
    // test/support/model/review-oracle.ts says exactly what is checked.
    const json = await door.pulumi(["preview", "--json", "--show-sames"], { allowFail: true });
    const review = (() => {
        try {
            return buildReview(readPreview(json.stdout));
        } catch (e) {
            problems.push(`the access review cannot read the preview's JSON: ${(e as Error).message}`);
            return undefined;
        }
    })();

    const refresh = r.chance(0.5);
    const before = snapshot(door.emu);
    const idsBefore = await stateIds(door);
    const up = await door.pulumi(["up", "--yes", "--skip-preview", ...(refresh ? ["--refresh"] : [])], { allowFail: true, env: { INVISION_SCIM_TOKEN: TOKEN } });
    log.push(`up${refresh ? " --refresh" : ""}: exit ${up.code}`);
    if (up.code !== 0 && !ACTIONABLE.some((p) => p.test(up.out))) problems.push(`up failed with no error a person can act on:\n${up.out}`);
    const after = snapshot(door.emu);
    const ids = await stateIds(door);

    const names = namer(before, after, decl, next, idsBefore, ids);
    const changes = tenantChanges(before, after);
    log.push(`tenant changes: ${changes.length}`);
    const missed = unnamed(changes, parsePreview(preview.out), names);
    for (const m of missed) problems.push(`up changed what the preview did not name: ${m}`);
    if (review) {
        const exact = exactNames(before, after, [idsBefore.recorded, ids.recorded]);
        for (const m of unreviewed(changes, review, exact)) problems.push(`up changed what the access review did not list: ${m}`);
        if (up.code === 0) for (const m of unfounded(review, before, after, exact)) problems.push(`the access review listed what is not true after up: ${m}`);
        for (const note of review.notes) problems.push(`the access review could not read the whole preview: ${note}`);
    }

    const nextPreview = await door.pulumi(["preview", "--diff"], { allowFail: true });
    if (nextPreview.code !== 0) problems.push(`the next preview failed:\n${nextPreview.out}`);
    const checked = changedResources(decl, next, refresh, before, idsBefore);
    if (up.code === 0) {
        for (const b of brokenPromises(decl, next, after, idsBefore)) problems.push(`up did not do what the preview said: ${b}`);
        for (const l of leftovers(next, after, ids, checked)) {
            if (!namesLeftover(l, parsePreview(up.out))) problems.push(`up left a difference it did not name: ${l.what}`);
            if (!namesLeftover(l, parsePreview(nextPreview.out))) problems.push(`the next preview does not name a difference up left: ${l.what}`);
        }
    }
    if (problems.length > 0) {
        log.push(`--- the pull request's preview:\n${preview.out}`, `--- its access review:\n${JSON.stringify(review, null, 2)}`, `--- up:\n${up.out}`, `--- the next preview:\n${nextPreview.out}`);
    }
    for (const t of door.transcript) if (t.includes(TOKEN)) problems.push("the token was printed");
    return { result: { seed: r.seed, door: door.name, ok: problems.length === 0, problems, log }, decl: next };
}

/** Every name each SCIM id goes by: its emails and names before and after, and what the program calls the resource holding it. */
function namer(before: Tenant, after: Tenant, d0: Declaration, d1: Declaration, ids0: Ids & { recorded: Map<string, string[]> }, ids1: Ids & { recorded: Map<string, string[]> }): Names {
    const emails = new Map<string, Set<string>>();
    const groups = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, id: string, v: string | undefined) => v && (m.get(id) ?? m.set(id, new Set()).get(id)!).add(v);
    for (const t of [before, after]) {
        for (const u of t.users) add(emails, u.id, u.userName);
        for (const g of t.groups) add(groups, g.id, g.displayName);
    }
    for (const ids of [ids0, ids1]) {
        for (const [key, names] of ids.recorded) {
            const [kind, id] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
            for (const n of names) add(kind === "user" ? emails : groups, id, n);
        }
    }
    for (const [d, ids] of [[d0, ids0], [d1, ids1], [d0, ids1], [d1, ids0]] as const) {
        for (const u of d.users) {
            const id = ids.users.get(u.name);
            if (id) add(emails, id, u.userName);
        }
        for (const g of d.groups) {
            const id = ids.groups.get(g.key);
            if (id) add(groups, id, g.displayName);
        }
    }
    return { emails: (id) => [...(emails.get(id) ?? [])], groupNames: (id) => [...(groups.get(id) ?? [])] };
}

/** Resources whose declaration the pull request changed (all of them, after a refresh). */
function changedResources(d0: Declaration, d1: Declaration, all: boolean, before: Tenant, idsBefore: Ids): { users: Set<string>; groups: Set<string> } {
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const u of d1.users) {
        const was = d0.users.find((x) => x.name === u.name);
        if (all || !was || JSON.stringify(was) !== JSON.stringify(u)) users.add(u.name);
    }
    for (const g of d1.groups) {
        const was = d0.groups.find((x) => x.key === g.key);
        // A member dropped from the program who is not in the group in InVision
        // (removed or deleted by hand) changes nothing there: the group's plan is
        // unchanged, up has no reason to read it, and nothing it left is news.
        const live = before.groups.find((x) => x.id === idsBefore.groups.get(g.key));
        const inLive = (email: string) => {
            const id = before.users.find((u) => u.userName.toLowerCase() === email)?.id;
            return id !== undefined && live !== undefined && live.members.includes(id);
        };
        const emails = (x: typeof g, d: Declaration) => x.members.map((m) => memberEmail(d, m).toLowerCase());
        const now = new Set(emails(g, d1));
        const effective = (x: typeof g, d: Declaration) =>
            emails(x, d)
                .filter((e) => now.has(e) || inLive(e))
                .sort()
                .join();
        if (all || !was || JSON.stringify({ ...was, members: effective(was, d0) }) !== JSON.stringify({ ...g, members: effective(g, d1) })) groups.add(g.key);
    }
    return { users, groups };
}
