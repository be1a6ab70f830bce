#!/usr/bin/env node
// `npm test`: unit, integration and end-to-end suites, in one node:test run.
// The end-to-end suite needs the Pulumi CLI: scripts/pulumi-cli.sh provides it
// (building it from Go modules the first time) and the suite fails, never
// skips, when it cannot.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const fs = require("node:fs");

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
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files], {
    cwd: root,
    stdio: "inherit",
});
process.exit(r.status === null ? 1 : r.status);
