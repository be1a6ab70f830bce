/**
 * `npm run bench`: figures for the provider's request economy, against the
 * emulator over real HTTP (no Pulumi engine: the engine's own overhead is in
 * the e2e notes). Prints; asserts nothing.
 *
 *   BENCH_USERS=500 npm run bench      (BENCH_RATE: the rate ceiling, default 1000/s)
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as path from "node:path";
import { serializeFunction } from "@pulumi/pulumi/runtime/closure/serializeClosure";
import { groupProvider, userProvider } from "../provider";
import { EmulatorOptions, startEmulator } from "../provider/emulator";

const N = Number(process.env.BENCH_USERS ?? 300);
const user = userProvider as Required<dynamic.ResourceProvider>;
const group = groupProvider as Required<dynamic.ResourceProvider>;

async function scenario(title: string, options: EmulatorOptions, seed: boolean): Promise<void> {
    const emu = await startEmulator({ ...options, latencyMs: options.latencyMs ?? 2 });
    // The emulator here has no rate limit: a high ceiling keeps these figures about request economy, not pacing.
    const config: Record<string, string> = { "invision:scimBaseUrl": emu.url, "invision:scimToken": emu.token, "invision:maxRequestsPerSecond": process.env.BENCH_RATE ?? "1000" };
    await user.configure!({ config: { get: (k: string) => config[k], require: () => "" } });
    if (seed) for (let i = 0; i < N; i++) emu.seedUser({ userName: `u${i}@example.com` });
    const t0 = Date.now();
    // As the engine does: every resource at once; the shared scheduler paces them.
    const created = await Promise.all(
        Array.from({ length: N }, async (_, i) => user.create((await user.check({}, { userName: `u${i}@example.com` })).inputs)),
    );
    const g = await group.create((await group.check({}, { displayName: "Everyone", members: created.map((c) => c.id) })).inputs);
    const seconds = (Date.now() - t0) / 1000;
    const stateBytes = created.reduce((n, c) => n + Buffer.byteLength(JSON.stringify(c.outs)), 0) + Buffer.byteLength(JSON.stringify(g.outs));
    // Reads by id: for creates, the read-backs that verify them (one per run for users, one per group);
    // for the membership change, the read it is planned on and the read-back that verifies it.
    const readBacks = () => emu.requests.filter((r) => r.method === "GET" && /^\/(Users|Groups)\/[^/]+$/.test(r.path)).length;
    console.log(
        `${title.padEnd(44)} ${String(emu.requests.length).padStart(6)} req ${String(emu.writes().length).padStart(6)} writes ${String(readBacks()).padStart(4)} by-id reads ${seconds.toFixed(2).padStart(7)} s  max ${emu.stats.maxInFlight} in flight  outputs ${(stateBytes / 1024).toFixed(1)} KiB`,
    );
    // A membership change of one person in a group of N.
    emu.clearRequests();
    const members = created.map((c) => c.id).slice(1);
    await group.update(g.id, g.outs, (await group.check(g.outs, { displayName: "Everyone", members })).inputs);
    console.log(`${"  then one member removed from that group".padEnd(44)} ${String(emu.requests.length).padStart(6)} req ${String(emu.writes().length).padStart(6)} writes ${String(readBacks()).padStart(4)} by-id reads`);
    await emu.close();
}

async function main(): Promise<void> {
    console.log(`${N} users and one group of all of them, provider against the emulator (2 ms latency per request)\n`);
    await scenario("create, filters supported", {}, false);
    await scenario("adopt existing, filters supported", {}, true);
    await scenario("adopt existing, no filters (list-and-match)", { filter: "rejected", pageSize: 100 }, true);
    await scenario("adopt existing, no filters, no pagination", { filter: "rejected", pagination: "none" }, true);
    // The providers as a program sees them: the package installed under node_modules (scripts/link-self.js).
    // By file path, because inside this checkout "pulumi-invision" resolves to the checkout itself
    // (package self-reference), which the serializer would inline by value.
    const installed: typeof import("pulumi-invision") = require(path.join(__dirname, "..", "node_modules", "pulumi-invision"));
    for (const [name, p] of [["InVisionUser", installed.userProvider], ["InVisionGroup", installed.groupProvider]] as const) {
        const { text } = await serializeFunction(() => p, { allowSecrets: true });
        console.log(`__provider of ${name}: ${Buffer.byteLength(text)} bytes per resource in state`);
    }
}

void main();
