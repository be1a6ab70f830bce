/**
 * `npm run build:plugin`: the `invision` provider plugin as Pulumi installs
 * plugins, dist/plugin/pulumi-resource-invision-v<version>-<os>-<arch>.tar.gz,
 * holding one executable, `pulumi-resource-invision` (`.exe` on Windows),
 * that needs no Node.js.
 *
 * How: esbuild bundles provider/plugin/main.ts and everything it loads into
 * one script; Node's single-executable applications (SEA) turn that script
 * into a blob that postject injects into a copy of this machine's `node`.
 * SEA needs the node binary of the target platform, so this builds for the
 * platform it runs on (linux, darwin or windows; amd64 or arm64): a release
 * builds each on a runner of its own (.github/workflows/release.yml).
 *
 * INVISION_PLUGIN_DOWNLOAD_URL (optional) is the download URL the plugin's
 * schema names (provider/plugin/download.ts; this project's GitHub releases
 * by default). The executable must start and print its port before the
 * archive is written.
 *
 * Prints the archive's path and size.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { archiveName, DOWNLOAD_URL_ENV, executableName, ReleasePlatform, releasePlatform, resolveDownloadURL } from "../provider/plugin/download";
import { tarGzOneFile } from "./tar-gz";

const root = path.resolve(__dirname, "..");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
const platform: ReleasePlatform =
    releasePlatform(process.platform, process.arch) ??
    (() => {
        throw new Error(`build:plugin: no plugin build for ${process.platform}-${process.arch}`);
    })();
const downloadURL = resolveDownloadURL(process.env[DOWNLOAD_URL_ENV]);

const out = path.join(root, "dist", "plugin");
const work = path.join(out, "build");
const exe = path.join(work, executableName(platform));
export const archive = path.join(out, archiveName(version, platform));

/** The SEA fuse postject flips in node's binary (Node's SEA documentation). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/**
 * The blob into a copy of this node. macOS: node's signature is removed
 * first and the result signed ad hoc, since an arm64 Mac kills an
 * unsigned or badly signed executable; the blob goes in a Mach-O segment.
 */
function inject(blob: string): void {
    fs.copyFileSync(process.execPath, exe);
    fs.chmodSync(exe, 0o755);
    const darwin = platform.os === "darwin";
    if (darwin) execFileSync("codesign", ["--remove-signature", exe], { stdio: "pipe" });
    // postject's ELF library warns about note sections node's binary has; only a failure is worth showing.
    execFileSync(process.execPath, [require.resolve("postject/dist/cli.js"), exe, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE, ...(darwin ? ["--macho-segment-name", "NODE_SEA"] : [])], { stdio: "pipe" });
    if (darwin) execFileSync("codesign", ["--sign", "-", exe], { stdio: "pipe" });
}

/**
 * Resolves once the executable has printed its gRPC port, as the engine
 * reads it, and has exited (Windows cannot delete a running executable);
 * rejects otherwise.
 */
function startsAndPrintsPort(file: string, timeoutMs = 300_000): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(file, [], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        let failure: string | undefined;
        let stopped = false;
        const stop = (why?: string) => {
            if (stopped) return;
            stopped = true;
            failure = why;
            clearTimeout(timer);
            child.kill();
        };
        const timer = setTimeout(() => stop(`did not print a port within ${timeoutMs / 1000} s`), timeoutMs);
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
            if (/^\d+\r?\n/.test(stdout)) stop();
            else if (stdout.includes("\n")) stop("printed something other than its port");
        });
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", (e) => {
            stop(e.message);
            reject(new Error(`build:plugin: ${path.basename(file)} did not start: ${e.message}`));
        });
        child.on("exit", (code) => {
            if (!stopped) stop(`exited ${code} before printing its port`);
            if (failure) reject(new Error(`build:plugin: ${path.basename(file)} ${failure}\n${stdout}${stderr}`));
            else resolve();
        });
    });
}

async function main(): Promise<void> {
    const t0 = Date.now();
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });

    const bundle = path.join(work, "plugin.js");
    const result = await build({
        entryPoints: [path.join(root, "provider", "plugin", "main.ts")],
        bundle: true,
        platform: "node",
        target: `node${process.versions.node.split(".")[0]}`,
        format: "cjs",
        outfile: bundle,
        external: ["ts-node"],
        plugins: [
            {
                name: "left-out",
                setup(b) {
                    // @pulumi/pulumi loads TypeScript (its vendored copy, by a
                    // computed path no bundler follows) only to serialize
                    // closures and compile programs, which a provider never does.
                    b.onResolve({ filter: /typescript-shim$|^typescript$/ }, () => ({ path: "typescript", namespace: "left-out" }));
                    // `debug` tries this optional module at start-up; inside a
                    // single executable the failed require prints a warning on
                    // stderr, which the engine shows under every run's Diagnostics.
                    b.onResolve({ filter: /^supports-color$/ }, () => ({ path: "supports-color", namespace: "left-out" }));
                    b.onLoad({ filter: /^typescript$/, namespace: "left-out" }, () => ({
                        contents: `module.exports = new Proxy({}, { get(_, k) { throw new Error("TypeScript is not part of the invision plugin (asked for ts." + String(k) + ")"); } });`,
                        loader: "js",
                    }));
                    b.onLoad({ filter: /^supports-color$/, namespace: "left-out" }, () => ({ contents: "module.exports = false;", loader: "js" }));
                },
            },
        ],
        logLevel: "warning",
        // @npmcli/run-script (the SDK's automation API, never called here) resolves node-gyp at call time.
        logOverride: { "require-resolve-not-external": "silent" },
        legalComments: "none",
        // The schema the plugin answers names the download URL of this build.
        define: { __INVISION_PLUGIN_DOWNLOAD_URL__: JSON.stringify(downloadURL) },
    });
    if (result.errors.length > 0) throw new Error("esbuild failed");

    const seaConfig = path.join(work, "sea-config.json");
    const blob = path.join(work, "sea-prep.blob");
    fs.writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
    execFileSync(process.execPath, ["--experimental-sea-config", seaConfig], { stdio: "pipe" });

    inject(blob);
    await startsAndPrintsPort(exe);

    fs.rmSync(archive, { force: true });
    fs.writeFileSync(archive, tarGzOneFile(path.basename(exe), fs.readFileSync(exe), { mode: 0o755, mtime: new Date() }));
    fs.rmSync(work, { recursive: true, force: true });
    const size = fs.statSync(archive).size;
    console.log(`${archive}\n${size} bytes (${(size / 1024 / 1024).toFixed(1)} MiB), built in ${((Date.now() - t0) / 1000).toFixed(1)} s, node ${process.version} ${process.platform}-${process.arch}\ndownload URL in its schema: ${downloadURL}`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
