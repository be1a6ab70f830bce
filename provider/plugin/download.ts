/**
 * Where the Pulumi CLI downloads the `invision` plugin from, and under which
 * names: the coordinates a release publishes and every SDK names, so that a
 * program gets the plugin with no manual step.
 */

/**
 * This project's GitHub repository (owner/name): its releases hold the
 * plugin's archives, and the Go SDK's module path lives under it. A fork
 * that publishes its own releases changes this line (and runs `npm run gen:sdk`).
 */
export const GITHUB_REPOSITORY = "pulumi-invision/pulumi-invision";

/**
 * This project's GitHub releases, in the scheme the CLI resolves through the
 * GitHub API (`releases/tags/v<version>`, then the asset by name; and
 * `releases/latest` when a program names no version).
 */
export const RELEASES_URL = `github://api.github.com/${GITHUB_REPOSITORY}`;

/** The build-time environment variable that replaces RELEASES_URL (gen:sdk, build:plugin). */
export const DOWNLOAD_URL_ENV = "INVISION_PLUGIN_DOWNLOAD_URL";

/**
 * The download URL a build uses: the value of DOWNLOAD_URL_ENV when set,
 * else RELEASES_URL. Checked here, at build time, for the forms the CLI
 * (v3.248.0, sdk/go/common/workspace/plugins.go) accepts, because a bad one
 * would otherwise surface only on a user's machine, at their first `up`.
 */
export function resolveDownloadURL(given: string | undefined): string {
    const value = given?.trim();
    if (!value) return RELEASES_URL;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(`${DOWNLOAD_URL_ENV}=${value} is not a URL; use github://api.github.com/<owner>/<repo> or an http(s) URL of a folder holding the archives`);
    }
    switch (url.protocol) {
        case "github:":
        case "gitlab:": {
            // github://<host>/<owner>[/<repo>] (the repo defaults to pulumi-invision); gitlab://<host>/<project id>.
            const parts = url.pathname.split("/").filter(Boolean);
            const most = url.protocol === "github:" ? 2 : 1;
            if (!url.host || parts.length < 1 || parts.length > most) {
                throw new Error(`${DOWNLOAD_URL_ENV}=${value}: a ${url.protocol}// URL is ${url.protocol === "github:" ? "<host>/<owner>[/<repo>]" : "<host>/<project id>"}, e.g. ${RELEASES_URL}`);
            }
            return value;
        }
        case "http:":
        case "https:":
            if (url.search || url.hash) throw new Error(`${DOWNLOAD_URL_ENV}=${value}: the CLI appends /<archive name> to the URL, so it cannot carry a query or fragment`);
            return value;
        default:
            throw new Error(`${DOWNLOAD_URL_ENV}=${value}: the Pulumi CLI downloads plugins from github://, gitlab://, http:// or https:// URLs only`);
    }
}

/** A platform as the CLI names it in archive names (Go's GOOS and GOARCH). */
export interface ReleasePlatform {
    os: "linux" | "darwin" | "windows";
    arch: "amd64" | "arm64";
}

/** The platforms a release builds, each on a runner of its own (SEA embeds the host's node binary). */
export const RELEASE_PLATFORMS: readonly ReleasePlatform[] = [
    { os: "linux", arch: "amd64" },
    { os: "linux", arch: "arm64" },
    { os: "darwin", arch: "amd64" },
    { os: "darwin", arch: "arm64" },
    { os: "windows", arch: "amd64" },
];

/** Node's process.platform and process.arch as a release platform, if a release has it. */
export function releasePlatform(platform: string, arch: string): ReleasePlatform | undefined {
    const os = ({ linux: "linux", darwin: "darwin", win32: "windows" } as const)[platform as "linux" | "darwin" | "win32"];
    const goArch = ({ x64: "amd64", arm64: "arm64" } as const)[arch as "x64" | "arm64"];
    return RELEASE_PLATFORMS.find((p) => p.os === os && p.arch === goArch);
}

/** The archive the CLI asks for: `pulumi-<kind>-<name>-v<version>-<os>-<arch>.tar.gz`. */
export function archiveName(version: string, p: ReleasePlatform): string {
    return `pulumi-resource-invision-v${version.replace(/^v/, "")}-${p.os}-${p.arch}.tar.gz`;
}

/** The executable inside the archive, as the CLI looks for it in the plugin's folder. */
export function executableName(p: ReleasePlatform): string {
    return p.os === "windows" ? "pulumi-resource-invision.exe" : "pulumi-resource-invision";
}

/** The release's checksums file (sha256sum's format, one line per archive). */
export function checksumsName(version: string): string {
    return `pulumi-resource-invision-v${version.replace(/^v/, "")}-checksums.txt`;
}

/**
 * Set by `npm run build:plugin` (esbuild's `define`) to the URL the build
 * was given; absent from a `tsc` build, which names RELEASES_URL.
 */
declare const __INVISION_PLUGIN_DOWNLOAD_URL__: string | undefined;

/** The download URL this build names (the plugin's schema, the TypeScript plugin classes). */
export const BUILT_DOWNLOAD_URL = resolveDownloadURL(typeof __INVISION_PLUGIN_DOWNLOAD_URL__ === "string" ? __INVISION_PLUGIN_DOWNLOAD_URL__ : undefined);
