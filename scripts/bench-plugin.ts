/**
 * `npm run bench:plugin [-- USERS]`: the same roster (default 200 users, one
 * group of all of them) applied through the real CLI against the emulator on
 * loopback, twice: from Pulumi YAML with the `invision` plugin (installed
 * from its release archive), and from TypeScript with the dynamic resources.
 * Prints wall seconds and SCIM requests of up, no-op up and destroy for each;
 * asserts nothing.
 */
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulator } from "../provider/emulator";
import { createProject, createYamlProject } from "../test/e2e/harness";
import { configSet } from "./pulumi-argv";

type Step = (args: string[]) => Promise<unknown>;

async function measure(label: string, pulumi: Step, emu: Awaited<ReturnType<typeof startEmulator>>): Promise<void> {
    await pulumi(configSet("invision:scimBaseUrl", emu.url));
    await pulumi(configSet("invision:scimToken", emu.token, { secret: true }));
    // The destroy removes everyone on purpose.
    await pulumi(configSet("invision:maxDeactivations", "1000000"));
    await pulumi(configSet("invision:maxMembershipRemovals", "1000000"));
    for (const [title, args] of [
        ["up", ["up", "--yes", "--skip-preview"]],
        ["no-op up", ["up", "--yes", "--skip-preview"]],
        ["destroy", ["destroy", "--yes", "--skip-preview"]],
    ] as const) {
        emu.clearRequests();
        const t0 = Date.now();
        await pulumi([...args]);
        const s = ((Date.now() - t0) / 1000).toFixed(1);
        console.log(`${label.padEnd(28)} ${title.padEnd(10)} ${s.padStart(7)} s ${String(emu.requests.length).padStart(6)} requests ${String(emu.writes().length).padStart(5)} writes`);
    }
}

async function main(): Promise<void> {
    const users = Number(process.argv[2] ?? 200);
    const people = Array.from({ length: users }, (_, i) => `person${i}@example.com`);
    console.log(`${users} users and one group of all of them, emulator on loopback, no rate limit (node ${process.version})`);

    {
        const emu = await startEmulator({ latencyMs: 0 });
        const p = await createYamlProject(`bench-yaml-${users}`, {
            "Pulumi.yaml": stringify({
                name: "bench-yaml",
                runtime: "yaml",
                resources: {
                    ...Object.fromEntries(people.map((u, i) => [`u${i}`, { type: "invision:index:User", properties: { userName: u, givenName: "Person", familyName: `N${i}` } }])),
                    everyone: { type: "invision:index:Group", properties: { displayName: "Everyone", members: people.map((_, i) => `\${u${i}.id}`) } },
                },
            }),
        });
        await measure("YAML + plugin", p.pulumi, emu);
        await emu.close();
    }
    {
        const emu = await startEmulator({ latencyMs: 0 });
        const p = await createProject(`bench-ts-${users}`, path.resolve(__dirname, "..", "test", "e2e", "program"));
        p.writeSpec({
            users: people.map((u, i) => ({ userName: u, givenName: "Person", familyName: `N${i}` })),
            groups: [{ key: "everyone", displayName: "Everyone", members: people }],
        });
        await measure("TypeScript + dynamic", p.pulumi, emu);
        await emu.close();
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
