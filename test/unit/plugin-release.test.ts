import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { describe, it } from "node:test";
import { parse } from "yaml";
import {
    archiveName,
    checksumsName,
    DOWNLOAD_URL_ENV,
    executableName,
    GITHUB_REPOSITORY,
    RELEASE_PLATFORMS,
    releasePlatform,
    RELEASES_URL,
    resolveDownloadURL,
} from "../../provider/plugin/download";
import { GO_MODULE } from "../../provider/plugin/schema";
import { releaseProblems } from "../../scripts/release-check";
import { tarGzOneFile, tarHeader } from "../../scripts/tar-gz";

const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; repository?: { url?: string } };

describe("the plugin's release archives", () => {
    it("are named as the CLI asks for them, per platform", () => {
        assert.deepEqual(
            RELEASE_PLATFORMS.map((p) => archiveName("1.2.3", p)),
            [
                "pulumi-resource-invision-v1.2.3-linux-amd64.tar.gz",
                "pulumi-resource-invision-v1.2.3-linux-arm64.tar.gz",
                "pulumi-resource-invision-v1.2.3-darwin-amd64.tar.gz",
                "pulumi-resource-invision-v1.2.3-darwin-arm64.tar.gz",
                "pulumi-resource-invision-v1.2.3-windows-amd64.tar.gz",
            ],
        );
        // A tag's leading v is not doubled.
        assert.equal(archiveName("v1.2.3", { os: "linux", arch: "amd64" }), "pulumi-resource-invision-v1.2.3-linux-amd64.tar.gz");
        assert.equal(checksumsName("v1.2.3"), "pulumi-resource-invision-v1.2.3-checksums.txt");
    });

    it("hold the executable the CLI runs: .exe on Windows only", () => {
        assert.deepEqual(
            RELEASE_PLATFORMS.map(executableName),
            ["pulumi-resource-invision", "pulumi-resource-invision", "pulumi-resource-invision", "pulumi-resource-invision", "pulumi-resource-invision.exe"],
        );
    });

    it("map Node's platform and arch to the CLI's, and refuse what a release does not build", () => {
        assert.deepEqual(releasePlatform("linux", "x64"), { os: "linux", arch: "amd64" });
        assert.deepEqual(releasePlatform("linux", "arm64"), { os: "linux", arch: "arm64" });
        assert.deepEqual(releasePlatform("darwin", "x64"), { os: "darwin", arch: "amd64" });
        assert.deepEqual(releasePlatform("darwin", "arm64"), { os: "darwin", arch: "arm64" });
        assert.deepEqual(releasePlatform("win32", "x64"), { os: "windows", arch: "amd64" });
        for (const [platform, arch] of [["win32", "arm64"], ["linux", "ia32"], ["freebsd", "x64"], ["aix", "ppc64"]]) assert.equal(releasePlatform(platform, arch), undefined, `${platform}-${arch}`);
    });

    it("one .tar.gz of one executable file: ustar header, mode, size, checksum, padding, end blocks", () => {
        const content = Buffer.from("#!/bin/sh\necho hi\n");
        const tar = zlib.gunzipSync(tarGzOneFile("pulumi-resource-invision", content, { mode: 0o755, mtime: new Date(1_700_000_000_000) }));
        assert.equal(tar.length, 512 + 512 + 1024, "header, one padded block of content, two zero blocks");
        const field = (at: number, len: number) => tar.subarray(at, at + len).toString("ascii").replace(/\0.*$/s, "");
        assert.equal(field(0, 100), "pulumi-resource-invision");
        assert.equal(parseInt(field(100, 8), 8), 0o755);
        assert.equal(parseInt(field(124, 12), 8), content.length);
        assert.equal(parseInt(field(136, 12), 8), 1_700_000_000);
        assert.equal(field(156, 1), "0");
        assert.equal(field(257, 6), "ustar");
        const header = Buffer.from(tar.subarray(0, 512));
        const stored = parseInt(field(148, 8), 8);
        header.fill(" ", 148, 156);
        assert.equal(stored, header.reduce((s, b) => s + b, 0), "the checksum is the sum of the header's bytes");
        assert.deepEqual(tar.subarray(512, 512 + content.length), content);
        assert.ok(tar.subarray(512 + content.length).every((b) => b === 0));
        // A content of whole blocks gets no padding block.
        assert.equal(zlib.gunzipSync(tarGzOneFile("x", Buffer.alloc(1024, 1), { mode: 0o644, mtime: new Date(0) })).length, 512 + 1024 + 1024);
        assert.throws(() => tarHeader("n".repeat(101), 1, 0o755, 0), /longer than 100 bytes/);
    });
});

describe("the plugin's download URL", () => {
    it("is this project's GitHub releases unless the build names another", () => {
        assert.equal(RELEASES_URL, `github://api.github.com/${GITHUB_REPOSITORY}`);
        assert.equal(resolveDownloadURL(undefined), RELEASES_URL);
        assert.equal(resolveDownloadURL("  "), RELEASES_URL);
        for (const ok of [
            "github://api.github.com/acme",
            "github://api.github.com/acme/pulumi-invision-fork",
            "gitlab://gitlab.example.com/1234",
            "https://mirror.example.com/invision",
            "https://github.com/acme/invision/releases/download/v${VERSION}",
            "http://127.0.0.1:8080/releases/",
        ]) {
            assert.equal(resolveDownloadURL(ok), ok);
        }
    });

    it("refuses, at build time, what the CLI could not download from", () => {
        const refused: [string, RegExp][] = [
            ["api.github.com/acme/repo", /is not a URL/],
            ["ftp://mirror.example.com/invision", /github:\/\/, gitlab:\/\/, http:\/\/ or https:\/\/ URLs only/],
            ["github://api.github.com", /<host>\/<owner>\[\/<repo>\]/],
            ["github://api.github.com/acme/repo/extra", /<host>\/<owner>\[\/<repo>\]/],
            ["gitlab://gitlab.example.com/group/project", /<host>\/<project id>/],
            ["https://mirror.example.com/invision?token=x", /query or fragment/],
        ];
        for (const [value, message] of refused) assert.throws(() => resolveDownloadURL(value), message, value);
        assert.throws(() => resolveDownloadURL("ftp://x/y"), new RegExp(DOWNLOAD_URL_ENV));
    });

    it("names the repository package.json, the Go module and the committed SDKs name", () => {
        assert.match(pkg.repository?.url ?? "", new RegExp(`github\\.com/${GITHUB_REPOSITORY}(\\.git)?$`));
        assert.equal(GO_MODULE, `github.com/${GITHUB_REPOSITORY}/sdk/go`);
        const schema = JSON.parse(fs.readFileSync(path.join(root, "sdk", "schema.json"), "utf8")) as { pluginDownloadURL: string; version: string };
        assert.equal(schema.pluginDownloadURL, RELEASES_URL, "sdk/ was generated with another INVISION_PLUGIN_DOWNLOAD_URL: run `npm run gen:sdk` without it");
        for (const sdk of ["python/pulumi_invision", "go/invision", "dotnet"]) {
            const plugin = JSON.parse(fs.readFileSync(path.join(root, "sdk", sdk, "pulumi-plugin.json"), "utf8")) as { name: string; version: string; server: string };
            assert.deepEqual(plugin, { resource: true, name: "invision", version: pkg.version, server: RELEASES_URL }, sdk);
        }
    });
});

describe(".github/workflows/release.yml", () => {
    const workflow = parse(fs.readFileSync(path.join(root, ".github", "workflows", "release.yml"), "utf8")) as {
        on: { push: { tags: string[] } };
        jobs: Record<string, { "runs-on"?: string; strategy?: { matrix: { include: { os: string; arch: string; runner: string }[] } }; steps: { run?: string; uses?: string }[]; needs?: string | string[] }>;
    };

    it("runs on a version tag and builds every release platform on a runner of its own", () => {
        assert.deepEqual(workflow.on.push.tags, ["v*"]);
        const matrix = workflow.jobs.archives.strategy!.matrix.include;
        assert.deepEqual(
            matrix.map((m) => `${m.os}-${m.arch}`),
            RELEASE_PLATFORMS.map((p) => `${p.os}-${p.arch}`),
        );
        assert.equal(new Set(matrix.map((m) => m.runner)).size, matrix.length, "one native runner per platform");
        assert.ok(workflow.jobs.archives.steps.some((s) => /npm run build:plugin/.test(s.run ?? "")));
    });

    it("checks the tag first, and publishes the archives with a checksums file", () => {
        assert.match(workflow.jobs.check.steps.map((s) => s.run ?? "").join("\n"), /scripts\/release-check\.ts "\$GITHUB_REF_NAME"/);
        const release = workflow.jobs.release;
        assert.deepEqual([release.needs].flat().sort(), ["archives", "check"]);
        const runs = release.steps.map((s) => s.run ?? "").join("\n");
        assert.match(runs, /sha256sum pulumi-resource-invision-\*\.tar\.gz > "pulumi-resource-invision-\$\{GITHUB_REF_NAME\}-checksums\.txt"/);
        assert.equal(checksumsName("v0.1.0"), "pulumi-resource-invision-v0.1.0-checksums.txt", "the name the workflow writes for tag v0.1.0");
        assert.match(runs, /gh release create/);
        for (const publish of ["npm", "pypi", "go", "nuget"]) assert.deepEqual([workflow.jobs[publish].needs].flat(), ["release"], `${publish} waits for the archives to be public`);
    });
});

describe("scripts/release-check.ts", () => {
    const good = { tag: "v1.2.3", version: "1.2.3", repository: GITHUB_REPOSITORY, schema: { version: "1.2.3", pluginDownloadURL: RELEASES_URL } };

    it("passes a tag of package.json's version, in this repository, with sdk/ generated for its releases", () => {
        assert.deepEqual(releaseProblems(good), []);
        assert.deepEqual(releaseProblems({ ...good, repository: undefined }), [], "outside GitHub Actions the repository is not known");
    });

    it("names each disagreement", () => {
        assert.match(releaseProblems({ ...good, tag: "v1.2.4" }).join(), /tag v1\.2\.4 is not v<package.json's version> \(v1\.2\.3\)/);
        assert.match(releaseProblems({ ...good, tag: "1.2.3" }).join(), /tag 1\.2\.3/);
        assert.match(releaseProblems({ ...good, repository: "someone/fork" }).join(), /this repository is someone\/fork.*download\.ts/);
        assert.match(releaseProblems({ ...good, schema: { ...good.schema, version: "1.2.2" } }).join(), /sdk\/schema\.json is version 1\.2\.2/);
        assert.match(releaseProblems({ ...good, schema: { ...good.schema, pluginDownloadURL: "http://127.0.0.1:1/x" } }).join(), /downloads the plugin from http:\/\/127\.0\.0\.1:1\/x/);
        assert.equal(releaseProblems({ tag: "x", version: "1.2.3", repository: "a/b", schema: {} }).length, 4);
    });
});
