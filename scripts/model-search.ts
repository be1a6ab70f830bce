/**
 * `npm run test:model -- --cases 100 [--seed N] [--door typescript|yaml]`:
 * the model-based search of issue 21 at any size, outside CI (CI runs a
 * small fixed-seed search in test/e2e/model-based.test.ts). Both doors run
 * side by side, each on its own emulator and stack. Prints every case's seed
 * and verdict, and the count at the end; exits 1 if any case failed.
 */
import { CaseResult, DoorName, runDoor } from "../test/e2e/model/run";

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
    const cases = Number(arg("cases") ?? 20);
    const seed = Number(arg("seed") ?? Math.floor(Math.random() * 1e6));
    const doors: DoorName[] = arg("door") ? [arg("door") as DoorName] : ["typescript", "yaml"];
    const t0 = Date.now();
    console.log(`model search: ${cases} case(s) per door from seed ${seed}, doors ${doors.join(", ")}`);
    const report = (r: CaseResult) => {
        console.log(`${r.door} seed ${r.seed}: ${r.ok ? "ok" : "FAILED"} | ${r.log.slice(0, 3).join(" | ")}`);
        if (!r.ok) console.log(`  replay: --seed ${seed} --cases ${r.seed - seed + 1} --door ${r.door}\n  ${[...r.problems, ...r.log.slice(3)].join("\n  ")}`);
    };
    const results = (await Promise.all(doors.map((d) => runDoor(d, seed, cases, report)))).flat();
    const failed = results.filter((r) => !r.ok);
    console.log(`\n${results.length} case(s), ${results.length - failed.length} passed, ${failed.length} failed, in ${((Date.now() - t0) / 60000).toFixed(1)} min (seed ${seed})`);
    for (const d of doors) console.log(`  ${d}: ${results.filter((r) => r.door === d && r.ok).length}/${results.filter((r) => r.door === d).length} passed`);
    process.exit(failed.length > 0 ? 1 : 0);
}

void main();
