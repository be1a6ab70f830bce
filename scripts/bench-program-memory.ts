/**
 * `npm run bench:program-memory [-- N]`: the program process's peak memory
 * per user resource, under the SDK's mocks (no engine, no provider), for N
 * users (default 8,000) declared as InVisionTeam declares them, against the
 * floor: a bare resource of the same type token with the same inputs and a
 * `__provider` that does nothing. Each variant runs in a fresh Node process,
 * one after the other. Prints; asserts nothing.
 */
import { execFileSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { InVisionUser } from "../provider/resources/user";

const variants = ["baseline", "floor", "InVisionUser"] as const;
type Variant = (typeof variants)[number];

const person = (i: number) => ({ userName: `person${i}@example.com`, givenName: "Person", familyName: `N${i}`, active: true });

/** The floor: nothing but what the SDK's base class does with the same inputs. */
class Floor extends pulumi.CustomResource {}

async function child(variant: Variant, n: number): Promise<void> {
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "project", "stack", true);
    const all: pulumi.CustomResource[] = [];
    for (let i = 0; variant !== "baseline" && i < n; i++) {
        if (variant === "floor") {
            all.push(new Floor("pulumi-nodejs:dynamic/floor:User", `u${i}`, { ...person(i), __provider: "exports.handler = () => ({});\n" }));
        } else {
            // Exactly InVisionTeam's arguments, its undefined defaults included.
            all.push(new InVisionUser(`u${i}`, { ...person(i), onExisting: undefined, onDelete: undefined }));
        }
    }
    await Promise.all(all.map((r) => new Promise((resolve) => r.id.apply(resolve))));
    // maxRSS is the process's peak resident set, in KiB.
    process.stdout.write(String(process.resourceUsage().maxRSS / 1024));
}

function main(): void {
    if (process.argv[2] === "child") return void child(process.argv[3] as Variant, Number(process.argv[4]));
    const n = Number(process.argv[2] ?? 8000);
    const peak = Object.fromEntries(
        variants.map((v) => [v, Number(execFileSync(process.execPath, [...process.execArgv, __filename, "child", v, String(n)], { encoding: "utf8" }))]),
    ) as Record<Variant, number>;
    const per = (v: Variant) => ((peak[v] - peak.baseline) * 1024) / n;
    console.log(`${n} users, program peak RSS under the SDK's mocks (MiB; per resource above a program that declares nothing, KiB):`);
    console.log(`  nothing declared  ${peak.baseline.toFixed(0)}`);
    console.log(`  floor             ${peak.floor.toFixed(0)}  ${per("floor").toFixed(1)} KiB/resource`);
    console.log(`  InVisionUser      ${peak.InVisionUser.toFixed(0)}  ${per("InVisionUser").toFixed(1)} KiB/resource, ${(per("InVisionUser") / per("floor")).toFixed(2)} x the floor`);
}

main();
