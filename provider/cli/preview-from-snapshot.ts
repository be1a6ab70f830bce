import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { StackExport } from "../state/deployment";
import { SECRET_PLACEHOLDER } from "../state/secrets";
import { importableSnapshot, snapshotStack } from "../state/snapshot";
import { derivedConfig } from "./snapshot-config";

export class PreviewError extends Error {}

/**
 * The passphrase of the throwaway backend a preview from a snapshot makes. It
 * protects nothing (the backend holds placeholders and is deleted after the
 * run), so it is a constant, written here, and not a secret.
 */
export const THROWAWAY_PASSPHRASE = "pulumi-invision preview from a snapshot; not a secret";

/**
 * What a preview's `pulumi` processes never get, whatever the caller's
 * environment holds: backend and SCIM credentials, and the GitHub token the
 * snapshot was fetched with (the program a pull request runs is in there).
 */
const WITHHELD = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "INVISION_SCIM_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"];

export interface PreviewOptions {
    snapshot: StackExport;
    source: string;
    /** The stack the caller meant; checked against the snapshot's URNs (`acme/prod` matches `prod`). */
    stack?: string;
    /** The project directory (Pulumi.yaml). */
    cwd: string;
    /** Where the stack's config is; default Pulumi.<stack>.yaml (or stackConfigDir's). */
    configFile?: string;
    /** Also write everything the preview printed here (for the pull-request comment). */
    out?: string;
    previewArgs: string[];
    env: NodeJS.ProcessEnv;
    say: (line: string) => void;
}

/**
 * `pulumi preview` of the project against a snapshot, in a throwaway file
 * backend (PULUMI_BACKEND_URL: nothing is logged in, nothing of the user's is
 * changed) whose only key is THROWAWAY_PASSPHRASE:
 *  1. `pulumi stack init` in an empty directory with the project's name;
 *  2. `pulumi stack import` of the snapshot, every secret the placeholder;
 *  3. the stack's config copied beside it, every secret the placeholder;
 *  4. `pulumi preview --config-file` that copy, in the project directory.
 * Returns the preview's exit code.
 */
export async function previewFromSnapshot(o: PreviewOptions): Promise<number> {
    const { stack, project } = snapshotStack(o.snapshot);
    if (o.stack !== undefined && o.stack.split("/").pop() !== stack) throw new PreviewError(`the snapshot (${o.source}) is of stack ${stack}, not ${o.stack}`);
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(o.cwd, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new PreviewError(`${o.cwd} holds no Pulumi.yaml (--cwd names the project directory)`);
    const projectDoc = (parse(fs.readFileSync(projectFile, "utf8")) ?? {}) as { name?: string; stackConfigDir?: string };
    if (projectDoc.name !== project) throw new PreviewError(`the snapshot (${o.source}) is of project ${project}, and ${projectFile} declares ${projectDoc.name}`);
    const configFile = o.configFile ?? ["yaml", "yml"].map((ext) => path.join(o.cwd, projectDoc.stackConfigDir ?? "", `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "invision-snapshot-preview-"));
    const env: NodeJS.ProcessEnv = { ...o.env };
    for (const k of WITHHELD) delete env[k];
    Object.assign(env, { PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`, PULUMI_CONFIG_PASSPHRASE: THROWAWAY_PASSPHRASE });
    fs.mkdirSync(path.join(scratch, "state"));
    const home = path.join(scratch, "project");
    fs.mkdirSync(home);
    try {
        fs.writeFileSync(path.join(home, "Pulumi.yaml"), stringify({ name: project, runtime: "yaml" }));
        const quiet = (args: string[]) => run(args, home, env, { echo: false });
        await quiet(["stack", "init", stack]);
        const stackFile = path.join(home, `Pulumi.${stack}.yaml`);
        const salt = (parse(fs.readFileSync(stackFile, "utf8")) as { encryptionsalt?: string }).encryptionsalt;
        if (!salt) throw new PreviewError(`pulumi stack init wrote no encryptionsalt to ${stackFile}`);
        const importFile = path.join(scratch, "import.json");
        fs.writeFileSync(importFile, JSON.stringify(importableSnapshot(o.snapshot, salt)));
        await quiet(["stack", "import", "--stack", stack, "--file", importFile]);

        const { plain, secretPaths, dropped } = derivedConfig(configFile ? fs.readFileSync(configFile, "utf8") : "");
        for (const d of dropped) o.say(`note: ${d}`);
        fs.writeFileSync(stackFile, stringify({ encryptionsalt: salt, ...(Object.keys(plain).length ? { config: plain } : {}) }));
        for (const p of secretPaths) await quiet(["config", "set", "--stack", stack, "--secret", ...(p.path ? ["--path"] : []), p.key, SECRET_PLACEHOLDER]);

        o.say(`Previewing ${project}/${stack} against ${o.source}, in a throwaway backend with no credential; secret values are "${SECRET_PLACEHOLDER}".`);
        const r = await run(["preview", "--stack", stack, "--config-file", stackFile, ...o.previewArgs], o.cwd, env, { echo: true, allowFail: true });
        if (o.out) fs.writeFileSync(o.out, r.output);
        return r.code;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

interface RunResult {
    code: number;
    output: string;
}

/** Runs `pulumi`; its output is echoed (the preview) or kept for an error message (the set-up steps). */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, o: { echo: boolean; allowFail?: boolean }): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const chunks: Buffer[] = [];
        const take = (to: NodeJS.WriteStream) => (b: Buffer) => {
            chunks.push(b);
            if (o.echo) to.write(b);
        };
        child.stdout.on("data", take(process.stdout));
        child.stderr.on("data", take(process.stderr));
        child.on("error", (e) => reject(new PreviewError(`cannot run pulumi (${(e as NodeJS.ErrnoException).code ?? e.message}): is the Pulumi CLI on PATH?`)));
        child.on("close", (code) => {
            const output = Buffer.concat(chunks).toString("utf8");
            if (code !== 0 && !o.allowFail) reject(new PreviewError(`pulumi ${args.slice(0, 2).join(" ")} failed (exit ${code}):\n${output.trim()}`));
            else resolve({ code: code ?? 1, output });
        });
    });
}
