import { ChildProcess, execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Runs the real `pulumi` CLI on a program that installs pulumi-invision from
 * a packed tarball, the way a user's project does, with a local file backend
 * and a throwaway passphrase.
 */

export { configSet } from "../../scripts/pulumi-argv";

/** This checkout: what the tests pack, build and run. */
export const repo = path.resolve(__dirname, "..", "..");

let binDir: string | undefined;
/** The directory with pulumi and its plugins; builds them if needed. Throws, loudly, if it cannot. */
export function pulumiBin(): string {
    if (!binDir) {
        const out = execFileSync("bash", [path.join(repo, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 40 * 60_000 });
        binDir = out.trim().split("\n").pop()!;
        if (!fs.existsSync(path.join(binDir, "pulumi"))) throw new Error(`scripts/pulumi-cli.sh gave ${binDir}, which has no pulumi`);
    }
    return binDir;
}

const scratch: string[] = [];
/**
 * A fresh temp folder for this test process: removed when the process ends
 * with every test passed (a run leaves no gigabytes behind), kept and listed
 * when one failed, or when E2E_KEEP=1, for a look at its state and logs.
 */
export function scratchDir(prefix: string): string {
    if (scratch.length === 0) {
        process.on("exit", (code) => {
            if (code === 0 && !process.exitCode && process.env.E2E_KEEP !== "1") {
                for (const d of scratch) {
                    try {
                        fs.rmSync(d, { recursive: true, force: true, maxRetries: 2 });
                    } catch {
                        // A process the test started may still be writing there: leave it to the OS's temp cleaning.
                    }
                }
            } else {
                process.stderr.write(`e2e: kept for inspection: ${scratch.join(" ")}\n`);
            }
        });
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    scratch.push(dir);
    return dir;
}

/** `npm pack` of the package in `dir` (already built) into `dest` (a fresh temp directory); the tarball's path. */
export function pack(dir: string, dest = scratchDir("invision-pack-")): string {
    const name = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dest], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop()!;
    return path.join(dest, name);
}

let tarball: string | undefined;
/** This checkout, packed once per test process (or once per run: the shared project template's). */
export function packed(): string {
    tarball ??= sharedTemplate()?.tarball ?? pack(repo);
    return tarball;
}

/** A test program's package.json: this package from a tarball, the SDK under test, TypeScript. */
export function programPackageJson(name: string, pkg: string): string {
    return JSON.stringify({ name: `e2e-${name}`, private: true, dependencies: { "pulumi-invision": `file:${pkg}`, "@pulumi/pulumi": sdkVersion(), typescript: "~5.9.0" } }, null, 2);
}

/** `npm install` in a test program's folder. */
export function npmInstall(dir: string): void {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60_000 });
}

/**
 * The project template scripts/run-tests.js installs once per run
 * (test/e2e/project-template.ts): this checkout's tarball and a node_modules
 * a program of this SDK version would get. Each project hard-links that
 * node_modules instead of running its own npm install (about 10 s each on a
 * busy machine, some 25 per run). Nothing writes into a test program's
 * node_modules but npm itself, and only in a project given its own tarball
 * (an upgrade), which never starts from the template.
 */
interface Template {
    dir: string;
    tarball: string;
}
function sharedTemplate(): Template | undefined {
    const dir = process.env.E2E_PROJECT_TEMPLATE;
    if (!dir) return undefined;
    const t = JSON.parse(fs.readFileSync(path.join(dir, "template.json"), "utf8")) as Template & { sdk: string };
    // A template made for another SDK (E2E_PULUMI_SDK changed since) is not this run's: install as usual.
    return t.sdk === sdkVersion() ? { dir, tarball: t.tarball } : undefined;
}

/** Copies a tree as hard links (symlinks kept as they are): a node_modules in well under a second. */
function linkTree(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        const a = path.join(from, e.name);
        const b = path.join(to, e.name);
        if (e.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(a), b);
        else if (e.isDirectory()) linkTree(a, b);
        else {
            try {
                fs.linkSync(a, b);
            } catch (e) {
                // Another file system (TMPDIR moved): a copy is slower, and as good.
                if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
                fs.copyFileSync(a, b);
            }
        }
    }
}

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
    /** stdout and stderr together. */
    out: string;
}

export interface Project {
    dir: string;
    /** Every byte every CLI call printed, for the token scan. */
    transcript: string[];
    /** `env` adds to the CLI's environment, e.g. PULUMI_SKIP_CHECKPOINTS. */
    pulumi(args: string[], opts?: { allowFail?: boolean; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
    /** Starts a CLI call without waiting: `child` is the pulumi process, `done` its result (failures included). */
    start(args: string[], opts?: { env?: NodeJS.ProcessEnv }): { child: ChildProcess; done: Promise<RunResult> };
    writeSpec(spec: unknown): void;
    /** Runs a program of the project's node_modules/.bin, e.g. pulumi-invision. */
    bin(name: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
    stateFiles(): string[];
    /** Installs another pulumi-invision tarball in place of the current one, as a version upgrade does. */
    install(tarball: string): void;
}

export interface ProjectOptions {
    /** The pulumi-invision tarball to install; this checkout's by default. */
    tarball?: string;
    /** Limit of each CLI call; 10 minutes by default (the scale benchmark needs more). */
    commandTimeoutMs?: number;
}

/** The @pulumi/pulumi the test program uses: E2E_PULUMI_SDK, or the version this repo develops with. */
export function sdkVersion(): string {
    return process.env.E2E_PULUMI_SDK ?? JSON.parse(fs.readFileSync(path.join(repo, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
}

export async function createProject(name: string, programDir = path.join(__dirname, "program"), options: ProjectOptions = {}): Promise<Project> {
    const bin = pulumiBin();
    const dir = scratchDir(`invision-e2e-${name}-`);
    const home = path.join(dir, ".pulumi-home");
    const backend = path.join(dir, ".state");
    fs.mkdirSync(backend);
    fs.cpSync(programDir, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
    const install = (pkg: string) => {
        fs.writeFileSync(path.join(dir, "package.json"), programPackageJson(name, pkg));
        // Two tarballs may carry the same version: remove the old copy so npm cannot keep it.
        fs.rmSync(path.join(dir, "node_modules", "pulumi-invision"), { recursive: true, force: true });
        // npm rewrites its hidden lockfile: a hard link would change the template's, and every project's.
        fs.rmSync(path.join(dir, "node_modules", ".package-lock.json"), { force: true });
        npmInstall(dir);
    };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true } }));
    const template = options.tarball ? undefined : sharedTemplate();
    if (template) {
        fs.writeFileSync(path.join(dir, "package.json"), programPackageJson(name, template.tarball));
        linkTree(path.join(template.dir, "node_modules"), path.join(dir, "node_modules"));
    } else {
        install(options.tarball ?? packed());
    }

    const env = cliEnv(bin, home, backend);
    const transcript: string[] = [];
    const project: Project = {
        dir,
        transcript,
        ...cli(bin, dir, env, transcript, options.commandTimeoutMs),
        bin: (name, args, extra = {}) => recorded(path.join(dir, "node_modules", ".bin", name), args, name, { cwd: dir, env: { ...env, ...extra } }, transcript),
        writeSpec: (spec) => fs.writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec, null, 2)),
        stateFiles: () => listFiles(backend),
        install,
    };
    await project.pulumi(["stack", "init", "e2e"]);
    return project;
}

/**
 * The CLI's environment: its own PULUMI_HOME and file backend, no plugin
 * downloads (a test of them passes PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false
 * to its calls), settings from stack config only.
 */
function cliEnv(bin: string, home: string, backend: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-throwaway-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        NO_COLOR: "1",
    };
    // Connection settings come from stack config only, as in CI.
    delete env.INVISION_SCIM_BASE_URL;
    delete env.INVISION_SCIM_TOKEN;
    delete env.PULUMI_INVISION_LOG;
    return env;
}

/**
 * The engine's commands without their progress dots. Without a terminal the
 * CLI prints "@ previewing update...." and a dot now and then from one
 * goroutine while another writes the resource rows: on a slow machine a row
 * lands on the dots' line ("@ previewing update.... +  ...User x create")
 * and steps() no longer sees it. The dots say nothing a test reads.
 */
function suppressProgress(args: string[]): string[] {
    const engine = ["preview", "up", "destroy", "refresh", "import"];
    return engine.includes(args[0]) ? [args[0], "--suppress-progress", ...args.slice(1)] : args;
}

/**
 * A command line as the transcript and errors show it. Our own command line
 * holds the secret we pass (configSet: the value after "--" and the key), so
 * it is masked; only what the CLI printed is scanned for it.
 */
function shown(args: string[]): string {
    const secretAt = args[0] === "config" && args[1] === "set" && args.includes("--secret") ? args.indexOf("--") + 2 : -1;
    return args.map((a, i) => (i === secretAt ? "<secret>" : a)).join(" ");
}

/** A project's CLI calls: `start` runs one without waiting, `pulumi` waits and throws on failure unless told not to. */
function cli(bin: string, dir: string, env: NodeJS.ProcessEnv, transcript: string[], timeoutMs = 10 * 60_000): Pick<Project, "pulumi" | "start"> {
    const start: Project["start"] = (args, opts = {}) => {
        if (args[0] === "config" && args[1] === "set" && !args.includes("--")) {
            throw new Error(`pulumi ${args.slice(0, 2).join(" ")} without "--": a value starting with "-" would be read as a flag; use configSet()`);
        }
        let child!: ChildProcess;
        const done = new Promise<RunResult>((resolve) => {
            // Async on purpose: the emulator answering the provider runs in this process.
            child = execFile(
                path.join(bin, "pulumi"),
                // Before the command: after a "--" in args the CLI would take them for values.
                ["--non-interactive", "--color=never", ...suppressProgress(args)],
                { cwd: dir, env: { ...env, ...opts.env }, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs },
                (err, stdout, stderr) => {
                    const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
                    const r = { code, stdout, stderr, out: `${stdout}\n${stderr}` };
                    transcript.push(`$ pulumi ${shown(args)}\n${r.out}`);
                    resolve(r);
                },
            );
        });
        return { child, done };
    };
    const pulumi: Project["pulumi"] = async (args, opts = {}) => {
        const r = await start(args, opts).done;
        if (r.code !== 0 && !opts.allowFail) throw new Error(`pulumi ${shown(args)} exited ${r.code}:\n${r.out}`);
        return r;
    };
    return { pulumi, start };
}

let archive: string | undefined;
/**
 * The plugin's release archive: INVISION_PLUGIN_ARCHIVE when set (`npm test`
 * builds the archive once, before the test files start, and sets it), else
 * built by `npm run build:plugin` once per test process, into a folder of
 * this process's own: two processes never write the same file.
 */
export function pluginArchive(): string {
    const given = process.env.INVISION_PLUGIN_ARCHIVE;
    if (!archive && given) {
        if (!fs.existsSync(given)) throw new Error(`INVISION_PLUGIN_ARCHIVE=${given} does not exist`);
        archive = given;
    }
    if (!archive) {
        const dest = fs.mkdtempSync(path.join(os.tmpdir(), "invision-plugin-"));
        process.on("exit", () => fs.rmSync(dest, { recursive: true, force: true }));
        const out = execFileSync("npm", ["run", "--silent", "build:plugin", "--", "--out", dest], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 10 * 60_000 });
        archive = out.trim().split("\n").find((l) => l.endsWith(".tar.gz"));
        if (!archive || !fs.existsSync(archive)) throw new Error(`npm run build:plugin wrote no archive:\n${out}`);
    }
    return archive;
}

export function packageVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { version: string }).version;
}

export interface YamlProject {
    dir: string;
    home: string;
    transcript: string[];
    pulumi: Project["pulumi"];
    stateFiles(): string[];
    /** Runs this checkout's `pulumi-invision` CLI (built: dist/cli/main.js) in the project, as `npx pulumi-invision` would. */
    invision(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
}

/**
 * A Pulumi YAML project (no Node.js program, no node_modules) with the
 * `invision` plugin installed from its release archive into an empty
 * PULUMI_HOME, as a user installs it; or, with `installPlugin: false`, an
 * empty PULUMI_HOME for the CLI to download it into.
 */
export async function createYamlProject(name: string, files: Record<string, string>, options: { installPlugin?: boolean } = {}): Promise<YamlProject> {
    const bin = pulumiBin();
    if (!fs.existsSync(path.join(bin, "pulumi-language-yaml"))) throw new Error(`${bin} has no pulumi-language-yaml (scripts/pulumi-cli.sh builds it)`);
    const dir = scratchDir(`invision-e2e-${name}-`);
    const home = path.join(dir, ".pulumi-home");
    const backend = path.join(dir, ".state");
    fs.mkdirSync(backend);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const transcript: string[] = [];
    const env = cliEnv(bin, home, backend);
    const { pulumi } = cli(bin, dir, env, transcript);
    if (options.installPlugin ?? true) await pulumi(["plugin", "install", "resource", "invision", packageVersion(), "--file", pluginArchive()]);
    await pulumi(["stack", "init", "e2e"]);
    const invision: YamlProject["invision"] = (args, extra = {}) =>
        recorded(process.execPath, [path.join(repo, "dist", "cli", "main.js"), ...args], "pulumi-invision", { cwd: dir, env: { ...env, ...extra } }, transcript);
    return { dir, home, transcript, pulumi, stateFiles: () => listFiles(backend), invision };
}

/** Runs a program to completion, whatever its exit code, and records what it printed under `label`. */
function recorded(file: string, args: string[], label: string, o: { cwd: string; env: NodeJS.ProcessEnv }, transcript: string[]): Promise<RunResult> {
    return new Promise((resolve) => {
        execFile(file, args, { ...o, timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            transcript.push(`$ ${label} ${args.slice(file === process.execPath ? 1 : 0).join(" ")}\n${stdout}\n${stderr}`);
            resolve({ code, stdout, stderr, out: `${stdout}\n${stderr}` });
        });
    });
}

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * The resource steps of a preview/up, as "+ invision:User alice@example.com create",
 * from either the default display or `--diff`'s.
 */
export function steps(output: string): string[] {
    const out: string[] = [];
    const lines = output.split("\n");
    lines.forEach((line, i) => {
        const plain = /^\s*([-+~]+)\s+(?:pulumi-nodejs:dynamic\/invision|invision:index):(\w+) (\S+) (create|update|delete|replace|read|refresh)\b/.exec(line);
        if (plain) return void out.push(`${plain[1]} invision:${plain[2]} ${plain[3]} ${plain[4]}`);
        const diff = /^\s*([-+~]+) (?:pulumi-nodejs:dynamic\/invision|invision:index):(\w+): \((\w+)\)/.exec(line);
        const urn = diff && /\[urn=.*::([^\]]+)\]/.exec(`${lines[i + 1] ?? ""} ${lines[i + 2] ?? ""}`);
        if (diff && urn) out.push(`${diff[1]} invision:${diff[2]} ${urn[1]} ${diff[3]}`);
    });
    return out;
}
