/**
 * `npm run bench:program-memory [-- N]`: the program process's peak memory
 * per user resource, under the SDK's mocks (no engine, no provider), for N
 * users (default 8,000) declared as InVisionTeam declares them, against the
 * floor: a bare resource of the same type token with the same inputs and a
 * `__provider` that does nothing. Then the whole InVisionTeam (N users in
 * N/100 groups, each person in two, with its roster, `access` and outputs)
 * against the same floor resources for users and groups (scripts/bench-floor's
 * program). Each variant runs in a fresh Node process, one after the other.
 * Prints; asserts nothing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { InVisionUser } from "../provider/resources/user";
import { InVisionTeam } from "../provider/roster/team";
import { rosterYaml, tenant } from "./bench-tenant";

const variants = ["baseline", "floor", "InVisionUser", "floor with groups", "InVisionTeam"] as const;
type Variant = (typeof variants)[number];

const person = (i: number) => ({ userName: `person${i}@example.com`, givenName: "Person", familyName: `N${i}`, active: true });

/** A group per hundred people, as bench:scale's 10000:100. */
const groupsFor = (n: number) => Math.max(1, Math.round(n / 100));

/** The floor: nothing but what the SDK's base class does with the same inputs. */
class Floor extends pulumi.CustomResource {}

async function child(variant: Variant, n: number): Promise<void> {
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "project", "stack", true);
    const all: pulumi.Resource[] = [];
    if (variant === "InVisionTeam") {
        // From a YAML file, as examples/team reads it: its parsing is part of the cost.
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "invision-roster-")), "team.yaml");
        fs.writeFileSync(file, rosterYaml(tenant(n, groupsFor(n))));
        const team = new InVisionTeam("team", { roster: file });
        all.push(team);
        // Every user and group registered: their ids are in these outputs.
        await new Promise((resolve) => pulumi.all([team.userIds, team.groupIds]).apply(resolve));
    } else if (variant === "floor with groups") {
        // As scripts/bench-floor declares the same tenant.
        const spec = tenant(n, groupsFor(n));
        const users = new Map(spec.users.map((u) => [u.userName, new Floor("pulumi-nodejs:dynamic/floor:User", u.userName, { ...u, __provider: "exports.handler = () => ({});\n" })]));
        all.push(...users.values());
        for (const g of spec.groups) {
            all.push(new Floor("pulumi-nodejs:dynamic/floor:Group", g.key, { displayName: g.displayName, members: g.members.map((m) => users.get(m)!.id), __provider: "exports.handler = () => ({});\n" }));
        }
    }
    for (let i = 0; (variant === "floor" || variant === "InVisionUser") && i < n; i++) {
        if (variant === "floor") {
            all.push(new Floor("pulumi-nodejs:dynamic/floor:User", `u${i}`, { ...person(i), __provider: "exports.handler = () => ({});\n" }));
        } else {
            // Exactly InVisionTeam's arguments, its undefined defaults included.
            all.push(new InVisionUser(`u${i}`, { ...person(i), onExisting: undefined, onDelete: undefined }));
        }
    }
    await Promise.all(all.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
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
    const whole = (v: Variant) => peak[v] - peak.baseline;
    console.log(`  floor, users and ${groupsFor(n)} groups  ${peak["floor with groups"].toFixed(0)}`);
    console.log(
        `  InVisionTeam      ${peak.InVisionTeam.toFixed(0)}  ${(whole("InVisionTeam") / whole("floor with groups")).toFixed(2)} x the floor above the baseline, ${(peak.InVisionTeam / peak["floor with groups"]).toFixed(2)} x its whole peak`,
    );
}

main();
