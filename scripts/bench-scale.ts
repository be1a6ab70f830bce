/**
 * `npm run bench:scale [-- USERS:GROUPS ...]`: issue 9's figures through the
 * real `pulumi` CLI, against the emulator on loopback with no rate limit and
 * no latency (default 1000:20; e.g. `npm run bench:scale -- 1000:20 5000:50`).
 *
 * Each user is in two groups, so a group has about 2 x USERS / GROUPS members
 * (100 for 1000:20). For each size it prints the SCIM requests (and writes) and
 * wall seconds of each step, the state's size, and the peak memory of the
 * provider process (and of the program and the engine). Prints; asserts nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../provider/emulator";
import { createProject, Project } from "../test/e2e/harness";
import { samplePeakMemory } from "./peak-memory";

interface Spec {
    users: { userName: string; givenName: string; familyName: string }[];
    groups: { key: string; displayName: string; members: string[] }[];
}

function roster(users: number, groups: number): Spec {
    const people = Array.from({ length: users }, (_, i) => ({ userName: `person${i}@example.com`, givenName: "Person", familyName: `N${i}` }));
    return {
        users: people,
        groups: Array.from({ length: groups }, (_, g) => ({
            key: `team${g}`,
            displayName: `Team ${g}`,
            members: people.filter((_, i) => i % groups === g || i % groups === (g + 1) % groups).map((u) => u.userName),
        })),
    };
}

type Resource = { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };

/** Bytes of the exported state: whole, per user resource, and of one user's `__provider` (inputs + outputs). */
async function stateSizes(p: Project): Promise<string> {
    const text = (await p.pulumi(["stack", "export"])).stdout;
    const users = (JSON.parse(text).deployment.resources as Resource[]).filter((r) => r.type.endsWith("invision:User"));
    const perUser = users.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, users.length);
    const provider = (r: Resource | undefined) => Buffer.byteLength(String(r?.inputs?.__provider ?? "")) + Buffer.byteLength(String(r?.outputs?.__provider ?? ""));
    const onDisk = p.stateFiles().filter((f) => /\.state\/\.pulumi\/stacks\/.*\.json$/.test(f));
    const disk = onDisk.reduce((n, f) => n + fs.statSync(f).size, 0);
    return `state: export ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, stack file ${(disk / 1e6).toFixed(2)} MB; per user resource ${Math.round(perUser)} B, of which __provider ${provider(users[0])} B (inputs + outputs)`;
}

async function run(users: number, groups: number): Promise<void> {
    const emu = await startEmulator({ latencyMs: 0 });
    const p = await createProject(`scale-${users}-${groups}`, path.resolve(__dirname, "..", "test", "e2e", "program"), { commandTimeoutMs: 4 * 3600_000 });
    const memory = samplePeakMemory(p.dir);
    const spec = roster(users, groups);
    const memberships = spec.groups.reduce((n, g) => n + g.members.length, 0);
    console.log(`\n${users} users, ${groups} groups, ${memberships} memberships (project ${p.dir})`);
    console.log(`${"step".padEnd(36)} ${"requests".padStart(8)} ${"writes".padStart(7)} ${"seconds".padStart(8)}  peak MiB: provider / program / engine`);
    try {
        p.writeSpec(spec);
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", emu.token]);

        const step = async (title: string, args: string[]) => {
            emu.clearRequests();
            memory.reset();
            const t0 = Date.now();
            await p.pulumi(args);
            const seconds = (Date.now() - t0) / 1000;
            const m = memory.peaks();
            const mib = (n: number) => (n ? n.toFixed(0) : "-");
            console.log(
                `${title.padEnd(36)} ${String(emu.requests.length).padStart(8)} ${String(emu.writes().length).padStart(7)} ${seconds.toFixed(1).padStart(8)}  ${mib(m.provider)} / ${mib(m.program)} / ${mib(m.engine)}`,
            );
        };

        await step("preview", ["preview"]);
        await step("first up (its preview included)", ["up", "--yes"]);
        console.log(await stateSizes(p));
        await step("no-op up", ["up", "--yes"]);
        // `pulumi refresh --yes` reads everything twice: once for its preview, once to apply.
        await step("refresh, preview phase", ["refresh", "--preview-only"]);
        await step("refresh, apply phase", ["refresh", "--yes", "--skip-preview"]);
        spec.users[0] = { ...spec.users[0], givenName: "Renamed" };
        p.writeSpec(spec);
        await step("one person's name changed (up)", ["up", "--yes"]);
        const g = spec.groups[0];
        g.members = g.members.slice(1);
        p.writeSpec(spec);
        await step(`one member leaves a group of ${g.members.length + 1} (up)`, ["up", "--yes"]);
        console.log(await stateSizes(p));
    } finally {
        memory.stop();
        await emu.close();
        fs.writeFileSync(path.join(p.dir, "transcript.txt"), p.transcript.join("\n"));
    }
}

async function main(): Promise<void> {
    const sizes = process.argv.slice(2).length ? process.argv.slice(2) : ["1000:20"];
    for (const size of sizes) {
        const m = /^(\d+):(\d+)$/.exec(size);
        if (!m || Number(m[2]) < 1) throw new Error(`size "${size}": expected USERS:GROUPS, e.g. 1000:20`);
        await run(Number(m[1]), Number(m[2]));
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
