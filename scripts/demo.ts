/**
 * `npm run demo`: manages a small team against the built-in InVision emulator
 * with the real Pulumi CLI. No InVision account needed; nothing is left behind.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../provider/emulator";
import { configSet } from "./pulumi-argv";

const repo = path.resolve(__dirname, "..");
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s: string) => console.log(`\n${bold(`==> ${s}`)}`);

const firstRoster = {
    users: [
        { email: "alice@example.com", givenName: "Alice", familyName: "Ng" },
        { email: "bob@example.com", givenName: "Bob", familyName: "Okafor" },
        { email: "carol@example.com", givenName: "Carol", familyName: "Silva" },
        { email: "dana@example.com", givenName: "Dana", familyName: "Weiss" },
    ],
    groups: [
        { name: "Design", members: ["alice@example.com", "bob@example.com"] },
        { name: "Research", members: ["carol@example.com", "dana@example.com"] },
    ],
};

// The pull request: Bob leaves, Erin joins Design, Carol moves to Design.
const secondRoster = {
    users: [...firstRoster.users.filter((u) => u.email !== "bob@example.com"), { email: "erin@example.com", givenName: "Erin", familyName: "Kaya" }],
    groups: [
        { name: "Design", members: ["alice@example.com", "carol@example.com", "erin@example.com"] },
        { name: "Research", members: ["dana@example.com"] },
    ],
};

function pulumiBinDir(): string {
    step("Finding the Pulumi CLI (built from Go modules on first use, then cached)");
    try {
        const out = execFileSync("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
        return out.trim().split("\n").pop()!;
    } catch {
        console.error(
            "\nNo Pulumi CLI could be found or built. Install it (https://www.pulumi.com/docs/install/) so that\n" +
                "`pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` are on PATH, or install Go\n" +
                "(the script builds the CLI from Go modules), then run `npm run demo` again.",
        );
        process.exit(1);
    }
}

function table(emu: Emulator): void {
    const users = [...emu.store.users.values()].sort((a, b) => a.userName.localeCompare(b.userName));
    const groupsOf = (id: string) =>
        [...emu.store.groups.values()]
            .filter((g) => g.members.some((m) => m.value === id))
            .map((g) => g.displayName)
            .sort()
            .join(", ");
    console.log(`\n  ${"user".padEnd(22)} ${"name".padEnd(16)} ${"active".padEnd(7)} groups`);
    console.log(`  ${"-".repeat(22)} ${"-".repeat(16)} ${"-".repeat(7)} ${"-".repeat(20)}`);
    for (const u of users) {
        const name = [u.name?.givenName, u.name?.familyName].filter(Boolean).join(" ");
        console.log(`  ${u.userName.padEnd(22)} ${name.padEnd(16)} ${String(u.active).padEnd(7)} ${groupsOf(u.id) || "-"}`);
    }
    const groups = [...emu.store.groups.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
    console.log(`\n  ${"group".padEnd(22)} members`);
    console.log(`  ${"-".repeat(22)} ${"-".repeat(40)}`);
    for (const g of groups) console.log(`  ${g.displayName.padEnd(22)} ${g.members.map((m) => m.display ?? m.value).join(", ") || "-"}`);
}

async function main(): Promise<void> {
    const bin = pulumiBinDir();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "invision-demo-"));
    const emu = await startEmulator();
    let failed = false;
    try {
        step(`Started the InVision SCIM emulator at ${emu.url}`);
        // Someone was provisioned by hand before this repository existed: the first up adopts her.
        emu.seedUser({ userName: "dana@example.com", givenName: "Dana", familyName: "Weiss" });
        console.log("  It already has one user, dana@example.com, created by hand: watch her get adopted, not duplicated.");

        // A project like a user's GitOps repository: Pulumi.yaml, the roster program, team.yaml.
        fs.copyFileSync(path.join(repo, "examples", "team", "index.ts"), path.join(work, "index.ts"));
        fs.writeFileSync(path.join(work, "Pulumi.yaml"), "name: invision-demo\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true } }));
        fs.writeFileSync(path.join(work, "package.json"), JSON.stringify({ name: "invision-demo", private: true }));
        // This checkout's node_modules holds @pulumi/pulumi and (linked) pulumi-invision itself.
        fs.symlinkSync(path.join(repo, "node_modules"), path.join(work, "node_modules"), "dir");
        fs.writeFileSync(path.join(work, "team.yaml"), stringify(firstRoster));

        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH}`,
            PULUMI_HOME: path.join(work, ".pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(work, ".state")}`,
            PULUMI_CONFIG_PASSPHRASE: "demo-only",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        delete env.INVISION_SCIM_BASE_URL;
        delete env.INVISION_SCIM_TOKEN;
        fs.mkdirSync(path.join(work, ".state"));
        const pulumi = (args: string[], quiet = false) =>
            new Promise<void>((resolve, reject) => {
                // The flag first: after configSet's "--" the CLI would read it as a value.
                const child = spawn(path.join(bin, "pulumi"), ["--non-interactive", ...args], { cwd: work, env, stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"] });
                child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args.join(" ")} exited with ${code}`))));
            });

        // A preview's JSON: what the access review reads.
        const capture = (args: string[]) =>
            new Promise<string>((resolve, reject) => {
                const child = spawn(path.join(bin, "pulumi"), [...args, "--non-interactive"], { cwd: work, env, stdio: ["ignore", "pipe", "inherit"] });
                const chunks: Buffer[] = [];
                child.stdout.on("data", (b: Buffer) => chunks.push(b));
                child.on("exit", (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`pulumi ${args.join(" ")} exited with ${code}`))));
            });

        step("pulumi stack init, and the connection settings (the token as a secret)");
        await pulumi(["stack", "init", "demo"], true);
        await pulumi(configSet("invision:scimBaseUrl", emu.url), true);
        await pulumi(configSet("invision:scimToken", emu.token, { secret: true }), true);

        step("team.yaml, as committed:");
        console.log(fs.readFileSync(path.join(work, "team.yaml"), "utf8").replace(/^/gm, "  "));

        emu.clearRequests();
        step("pulumi preview: what a pull request shows (no request reaches InVision)");
        await pulumi(["preview"]);
        console.log(`  SCIM requests during preview: ${emu.requests.length}`);

        step("pulumi up: what merging does");
        await pulumi(["up", "--yes", "--skip-preview"]);
        console.log(`  SCIM requests: ${emu.requests.length} (${emu.writes().length} writes)`);
        step("InVision now (read from the emulator):");
        table(emu);

        step("A pull request: Bob leaves, Erin joins Design, Carol moves from Research to Design");
        fs.writeFileSync(path.join(work, "team.yaml"), stringify(secondRoster));
        emu.clearRequests();
        step("pulumi preview --diff: the access change as the engine shows it");
        await pulumi(["preview", "--diff"]);
        step("pulumi-invision access-review: the same change, for whoever approves it (the pull request's comment)");
        const previewJson = path.join(work, "preview.json");
        fs.writeFileSync(previewJson, await capture(["preview", "--json", "--show-sames"]));
        const review = spawnSync(process.execPath, [path.join(repo, "dist", "cli", "main.js"), "access-review", "--in", previewJson], { encoding: "utf8" });
        if (review.status !== 0) throw new Error(`pulumi-invision access-review exited with ${review.status}:\n${review.stderr}`);
        console.log(review.stdout.replace(/^/gm, "  "));
        step("pulumi up");
        await pulumi(["up", "--yes", "--skip-preview"]);
        console.log(`  SCIM requests: ${emu.requests.length} (${emu.writes().map((w) => `${w.method} ${w.path.split("/")[1]}`).join(", ")})`);
        step("InVision now: Bob is deactivated (his work is kept), Erin and Carol are in Design");
        table(emu);
        step(`Done. Cleaning up ${work} and stopping the emulator.`);
    } catch (e) {
        failed = true;
        console.error(`\ndemo failed: ${(e as Error).message}`);
    } finally {
        await emu.close();
        fs.rmSync(work, { recursive: true, force: true });
    }
    process.exit(failed ? 1 : 0);
}

void main();
