import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import { archiveName, RELEASES_URL, releasePlatform } from "../../provider/plugin/download";
import { createProject, createYamlProject, packageVersion, pluginArchive, Project, YamlProject } from "./harness";

const TOKEN = "install-SECRET-token-5a6b7c";
const version = packageVersion();
const asset = archiveName(version, releasePlatform(process.platform, process.arch)!);
/** The harness turns the CLI's plugin downloads off; these runs are about them. */
const downloads = { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false" };

/**
 * A local release server: the archive `npm run build:plugin` wrote (or
 * INVISION_PLUGIN_ARCHIVE, whatever its file name), as this platform's
 * release asset in each of `folders`; every request recorded.
 */
interface ReleaseServer {
    url: string;
    requests: string[];
    close(): Promise<void>;
}

async function serveArchive(archive: string, folders: string[]): Promise<ReleaseServer> {
    const requests: string[] = [];
    const served = new Set(folders.map((f) => `${f}/${asset}`));
    const server = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        if (req.method !== "GET" || !served.has(req.url ?? "")) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/gzip", "content-length": fs.statSync(archive).size });
        fs.createReadStream(archive).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** Maps the CLI's source of this project's releases to a mirror folder, as a user with a mirror sets it. */
const mirrorOverride = (mirror: string) => ({ PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^${RELEASES_URL.replace(/[.]/g, "\\.")}$=${mirror}` });

interface StateResource {
    urn: string;
    type: string;
    provider?: string;
    inputs?: Record<string, unknown>;
}

/** Where a provider's plugin comes from, as state records it (the engine's `__internal` inputs). */
const sourceOf = (provider: StateResource) => (provider.inputs?.__internal as { pluginDownloadURL?: string } | undefined)?.pluginDownloadURL;

/** The stack's invision providers, and each plugin resource's provider reference. */
async function providers(p: { pulumi: Project["pulumi"] }): Promise<{ invision: StateResource[]; used: Map<string, string> }> {
    const resources = JSON.parse((await p.pulumi(["stack", "export"])).stdout).deployment.resources as StateResource[];
    return {
        invision: resources.filter((r) => r.type === "pulumi:providers:invision"),
        used: new Map(resources.filter((r) => r.type === "invision:index:User" || r.type === "invision:index:Group").map((r) => [r.urn.split("::").pop()!, r.provider!.split("::").slice(0, -1).join("::")])),
    };
}

/** The invision plugins installed in a PULUMI_HOME (folders; the CLI keeps a lock file beside each). */
const installed = (home: string) => {
    const dir = path.join(home, "plugins");
    return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith("resource-invision-")).map((d) => d.name) : [];
};
const ranPluginInstall = (transcript: string[]) => transcript.some((t) => /^\$ pulumi plugin install/m.test(t));

describe("the invision plugin installs itself on `pulumi up`, from a local release server", { timeout: 30 * 60_000 }, () => {
    let server: ReleaseServer;
    const emulators: Emulator[] = [];
    const projects: { dir: string; transcript: string[] }[] = [];
    const emulator = async () => {
        const e = await startEmulator({ token: TOKEN });
        emulators.push(e);
        return e;
    };

    before(async () => {
        server = await serveArchive(pluginArchive(), [`/releases/v${version}`, "/mirror"]);
    });
    after(async () => {
        await server?.close();
        for (const e of emulators) await e.close();
        for (const p of projects) fs.writeFileSync(path.join(p.dir, "transcript.txt"), p.transcript.join("\n"));
    });

    it("YAML, a Pulumi.yaml naming the plugin's version and download URL: up downloads it once into an empty PULUMI_HOME and uses it", async () => {
        const emu = await emulator();
        const url = `${server.url}/releases/v${version}`;
        const p: YamlProject = await createYamlProject(
            "plugin-install",
            {
                "Pulumi.yaml": stringify({
                    name: "invision-install",
                    runtime: "yaml",
                    resources: {
                        alice: { type: "invision:index:User", properties: { userName: "alice@example.com", givenName: "Alice" }, options: { version, pluginDownloadURL: url } },
                        design: { type: "invision:index:Group", properties: { displayName: "Design", members: ["${alice.userName}"] } },
                    },
                }),
            },
            { installPlugin: false },
        );
        projects.push(p);
        // The program, and the stack's config file `stack init` wrote (its passphrase salt).
        assert.deepEqual(fs.readdirSync(p.dir).filter((f) => !f.startsWith(".")).sort(), ["Pulumi.e2e.yaml", "Pulumi.yaml"]);
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        assert.deepEqual(installed(p.home), []);
        server.requests.length = 0;

        await p.pulumi(["up", "--yes"], { env: downloads });
        assert.deepEqual(server.requests, [`GET /releases/v${version}/${asset}`], "the CLI asked for this platform's archive, once");
        assert.deepEqual(installed(p.home), [`resource-invision-v${version}`]);
        assert.ok(!ranPluginInstall(p.transcript), "no `pulumi plugin install`");
        assert.equal(emu.store.userByName("alice@example.com")?.active, true);
        assert.deepEqual(emu.store.groupByName("Design")!.members.map((m) => m.value), [emu.store.userByName("alice@example.com")!.id]);

        // One default provider, named by the program's version and URL, for both resources (the group names neither).
        const { invision, used } = await providers(p);
        assert.equal(invision.length, 1, JSON.stringify(invision));
        assert.equal(invision[0].inputs?.version, version);
        assert.equal(sourceOf(invision[0]), url);
        assert.deepEqual([...used.values()], [invision[0].urn, invision[0].urn]);

        // A Team added later: the plugin declares its children, and they share that provider too.
        fs.writeFileSync(path.join(p.dir, "team.yaml"), stringify({ users: [{ email: "carol@example.com" }], groups: [{ name: "Research", members: ["carol@example.com"] }] }));
        const program = parse(fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8"));
        program.resources.team = { type: "invision:index:Team", properties: { roster: "team.yaml" } };
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), stringify(program));
        server.requests.length = 0;
        const again = await p.pulumi(["up", "--yes"], { env: downloads });
        assert.match(again.stdout, /3 unchanged/);
        assert.deepEqual(server.requests, [], "installed once, not downloaded again");
        assert.equal(emu.store.userByName("carol@example.com")?.active, true);
        const withTeam = await providers(p);
        assert.deepEqual(withTeam.invision.map((r) => r.urn), [invision[0].urn], "no second provider");
        assert.deepEqual([...withTeam.used.keys()].sort(), ["Research", "alice", "carol@example.com", "design"]);
        for (const [name, ref] of withTeam.used) assert.equal(ref, invision[0].urn, `${name}'s provider`);
        await p.pulumi(["destroy", "--yes"], { env: downloads });
        assert.equal(emu.store.userByName("alice@example.com")?.active, false);
    });

    it("YAML from a mirror: the README's pluginDownloadURL (GitHub releases) redirected by PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES; a Team's children share the program's provider", async () => {
        const emu = await emulator();
        const p = await createYamlProject(
            "plugin-mirror",
            {
                "Pulumi.yaml": stringify({
                    name: "invision-mirror",
                    runtime: "yaml",
                    resources: {
                        team: { type: "invision:index:Team", properties: { roster: "team.yaml" }, options: { version, pluginDownloadURL: RELEASES_URL } },
                        bob: { type: "invision:index:User", properties: { userName: "bob@example.com" } },
                    },
                }),
                "team.yaml": stringify({ users: [{ email: "carol@example.com" }], groups: [{ name: "Research", members: ["carol@example.com"] }] }),
            },
            { installPlugin: false },
        );
        projects.push(p);
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        server.requests.length = 0;

        await p.pulumi(["up", "--yes"], { env: { ...downloads, ...mirrorOverride(`${server.url}/mirror`) } });
        assert.deepEqual(server.requests, [`GET /mirror/${asset}`]);
        assert.deepEqual(installed(p.home), [`resource-invision-v${version}`]);
        assert.ok(!ranPluginInstall(p.transcript));
        assert.deepEqual([...emu.store.users.values()].map((u) => u.userName).sort(), ["bob@example.com", "carol@example.com"]);

        // The state names the release's URL, not the mirror: another machine downloads from its own source.
        const { invision, used } = await providers(p);
        assert.equal(invision.length, 1, JSON.stringify(invision));
        assert.equal(sourceOf(invision[0]), RELEASES_URL);
        assert.deepEqual([...used.keys()].sort(), ["Research", "bob", "carol@example.com"]);
        for (const [name, ref] of used) assert.equal(ref, invision[0].urn, `${name}'s provider`);
        await p.pulumi(["destroy", "--yes"], { env: { ...downloads, ...mirrorOverride(`${server.url}/mirror`) } });
    });

    it("TypeScript, plugin.User and a Team of plugin resources naming nothing: the package's own release, from a mirror", async () => {
        const emu = await emulator();
        const p = await createProject("install", path.join(__dirname, "install-program"));
        projects.push(p);
        const home = path.join(p.dir, ".pulumi-home");
        await p.pulumi(["config", "set", "invision:scimBaseUrl", emu.url]);
        await p.pulumi(["config", "set", "--secret", "invision:scimToken", TOKEN]);
        assert.deepEqual(installed(home), []);
        server.requests.length = 0;

        const env = { ...downloads, ...mirrorOverride(`${server.url}/mirror`) };
        await p.pulumi(["up", "--yes"], { env });
        assert.deepEqual(server.requests, [`GET /mirror/${asset}`]);
        assert.deepEqual(installed(home), [`resource-invision-v${version}`]);
        assert.ok(!ranPluginInstall(p.transcript));
        assert.deepEqual([...emu.store.users.values()].map((u) => u.userName).sort(), ["alice@example.com", "carol@example.com"]);

        const { invision, used } = await providers(p);
        assert.equal(invision.length, 1, JSON.stringify(invision));
        assert.equal(invision[0].inputs?.version, version);
        assert.equal(sourceOf(invision[0]), RELEASES_URL);
        assert.deepEqual([...used.keys()].sort(), ["Research", "alice@example.com", "carol@example.com"]);
        for (const [name, ref] of used) assert.equal(ref, invision[0].urn, `${name}'s provider`);
        await p.pulumi(["destroy", "--yes"], { env });
    });
});
