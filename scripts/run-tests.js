#!/usr/bin/env node
// `npm test`: unit, integration and end-to-end suites, in one node:test run.
// The end-to-end suite needs the Pulumi CLI: scripts/pulumi-cli.sh provides it
// (building it from Go modules the first time) and the suite fails, never
// skips, when it cannot.
//
// What test processes share is built here, once, before any of them starts:
// the files run two at a time, and two processes building the plugin archive
// into one folder read each other's half-written files.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const fs = require("node:fs");
const os = require("node:os");

const root = path.resolve(__dirname, "..");
const suites = (process.env.TEST_SUITES || "unit,integration,e2e").split(",");
// TEST_FILES (comma-separated paths) narrows the run, e.g. CI's second pass on Node 22.
const only = process.env.TEST_FILES ? process.env.TEST_FILES.split(",").map((f) => path.normalize(f)) : undefined;
const files = suites
    .flatMap((s) =>
        fs
            .readdirSync(path.join(root, "test", s))
            .filter((f) => f.endsWith(".test.ts"))
            .map((f) => path.join("test", s, f)),
    )
    .filter((f) => !only || only.includes(f));
if (files.length === 0) {
    console.error(`no test files match TEST_SUITES=${suites.join(",")} TEST_FILES=${process.env.TEST_FILES ?? ""}`);
    process.exit(1);
}

const env = { ...process.env };
let built;
if (!env.INVISION_PLUGIN_ARCHIVE && files.some((f) => needsPluginArchive(f))) {
    built = fs.mkdtempSync(path.join(os.tmpdir(), "invision-test-plugin-"));
    env.INVISION_PLUGIN_ARCHIVE = buildPluginArchive(built);
}
let template;
if (!env.E2E_PROJECT_TEMPLATE && files.some((f) => f.startsWith(path.join("test", "e2e")))) {
    template = fs.mkdtempSync(path.join(os.tmpdir(), "invision-test-project-"));
    env.E2E_PROJECT_TEMPLATE = installProjectTemplate(template);
}
let status;
try {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files], { cwd: root, stdio: "inherit", env });
    status = r.status === null ? 1 : r.status;
} finally {
    for (const dir of [built, template]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(status);

/**
 * Whether a test file installs the plugin: it, or a module of its own it
 * imports, calls pluginArchive() or createYamlProject() of the e2e harness
 * (which defines them, so it is not read). A file this misses still passes:
 * the harness then builds an archive for that process alone.
 */
function needsPluginArchive(file, seen = new Set()) {
    const abs = path.resolve(root, file);
    if (seen.has(abs) || path.basename(abs) === "harness.ts") return false;
    seen.add(abs);
    const text = fs.readFileSync(abs, "utf8");
    if (/\b(?:pluginArchive|createYamlProject)\s*\(/.test(text)) return true;
    return [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)]
        .map((m) => path.resolve(path.dirname(abs), m[1]))
        .map((p) => [p, `${p}.ts`, path.join(p, "index.ts")].find((c) => fs.existsSync(c) && fs.statSync(c).isFile()))
        .some((p) => p !== undefined && needsPluginArchive(p, seen));
}

/** `npm run build:plugin` into `dir`; the archive's path. Exits the run if the build fails. */
function buildPluginArchive(dir) {
    console.error("run-tests: building the plugin archive once for the test files that install it (npm run build:plugin)");
    const r = spawnSync("npm", ["run", "--silent", "build:plugin", "--", "--out", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const archive = (r.stdout ?? "").split("\n").find((l) => l.endsWith(".tar.gz"));
    if (r.status !== 0 || !archive || !fs.existsSync(archive)) {
        console.error(`run-tests: npm run build:plugin failed (exit ${r.status}):\n${r.stdout ?? ""}`);
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(1);
    }
    console.error(`run-tests: ${r.stdout.trim().split("\n").join("; ")}`);
    return archive;
}

/**
 * What every e2e program installs (this checkout packed, the SDK, TypeScript),
 * installed once (test/e2e/project-template.ts): each project hard-links it
 * instead of running npm install of its own. Exits the run if it fails.
 */
function installProjectTemplate(dir) {
    console.error("run-tests: installing the e2e programs' packages once (test/e2e/project-template.ts)");
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join("test", "e2e", "project-template.ts"), dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env });
    if (r.status !== 0) {
        console.error(`run-tests: the e2e project template failed (exit ${r.status})`);
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(1);
    }
    return dir;
}
