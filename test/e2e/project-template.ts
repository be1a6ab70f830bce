import * as fs from "node:fs";
import * as path from "node:path";
import { npmInstall, pack, programPackageJson, repo, sdkVersion } from "./harness";

/**
 * `node --import tsx test/e2e/project-template.ts DIR`: what every e2e
 * program installs, installed once into DIR, for scripts/run-tests.js to hand
 * to the test files as E2E_PROJECT_TEMPLATE: this checkout packed (built
 * already), and the node_modules its package.json gets. Each project then
 * hard-links it (harness.ts, createProject) instead of running npm install.
 */
const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) {
    console.error("usage: project-template.ts DIR (an existing, empty directory)");
    process.exit(2);
}
const tarball = pack(repo, dir);
fs.writeFileSync(path.join(dir, "package.json"), programPackageJson("template", tarball));
npmInstall(dir);
fs.writeFileSync(path.join(dir, "template.json"), JSON.stringify({ tarball, sdk: sdkVersion() }));
console.log(dir);
