/**
 * `node --import tsx scripts/release-check.ts <tag>`: what must hold before a
 * release publishes anything (.github/workflows/release.yml runs it first).
 * A release is named by its tag, and users' programs find it by the
 * version and download URL the SDKs carry, so all of them must agree.
 * Exits 1 listing every problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GITHUB_REPOSITORY, RELEASES_URL } from "../provider/plugin/download";

export interface ReleaseFacts {
    tag: string;
    /** package.json's version. */
    version: string;
    /** The repository the workflow runs in (GitHub's GITHUB_REPOSITORY), if known. */
    repository?: string;
    /** sdk/schema.json's version and pluginDownloadURL. */
    schema: { version?: string; pluginDownloadURL?: string };
}

export function releaseProblems(f: ReleaseFacts): string[] {
    const problems: string[] = [];
    if (f.tag !== `v${f.version}`) problems.push(`the tag ${f.tag} is not v<package.json's version> (v${f.version})`);
    if (f.repository && f.repository !== GITHUB_REPOSITORY) {
        problems.push(`this repository is ${f.repository}, but the SDKs and the plugin classes download the plugin from ${GITHUB_REPOSITORY}'s releases: set GITHUB_REPOSITORY in provider/plugin/download.ts, run npm run gen:sdk, and commit`);
    }
    if (f.schema.version !== f.version) problems.push(`sdk/schema.json is version ${f.schema.version}, not ${f.version}: run npm run gen:sdk and commit`);
    if (f.schema.pluginDownloadURL !== RELEASES_URL) {
        problems.push(`sdk/schema.json downloads the plugin from ${f.schema.pluginDownloadURL}, not ${RELEASES_URL}: run npm run gen:sdk without INVISION_PLUGIN_DOWNLOAD_URL and commit`);
    }
    return problems;
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..");
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
    const tag = process.argv[2];
    if (!tag) throw new Error("usage: release-check.ts <tag>");
    const problems = releaseProblems({ tag, version: read("package.json").version, repository: process.env.GITHUB_REPOSITORY, schema: read("sdk/schema.json") });
    for (const p of problems) console.error(`release-check: ${p}`);
    if (problems.length > 0) process.exit(1);
    console.log(`release-check: ${tag} of ${GITHUB_REPOSITORY}, plugin from ${RELEASES_URL}`);
}
