import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { main, parseExportArgs, UsageError } from "../../provider/cli/main";

const root = path.resolve(__dirname, "..", "..");
const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "provider/cli/main.ts", ...args], { cwd: root, encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH } });

describe("pulumi-invision export flags", () => {
    it("maps every flag, in either --flag value or --flag=value form", () => {
        assert.deepEqual(parseExportArgs(["export", "--out", "roster.yaml", "--base-url", "http://x/scim/v2", "--token-file", "t"]), {
            help: false,
            out: "roster.yaml",
            baseUrl: "http://x/scim/v2",
            tokenFile: "t",
        });
        assert.deepEqual(parseExportArgs(["export", "--out=r.yaml"]), { help: false, out: "r.yaml", baseUrl: undefined, tokenFile: undefined });
        assert.deepEqual(parseExportArgs(["--out", "r.yaml", "export"]).out, "r.yaml");
    });

    it("answers --help and -h, with or without the command", () => {
        for (const argv of [["--help"], ["-h"], ["export", "--help"], ["export", "--out", "x", "-h"]]) assert.equal(parseExportArgs(argv).help, true, argv.join(" "));
    });

    it("refuses, with a message, everything it does not understand", () => {
        const cases: [string[], RegExp][] = [
            [[], /missing command/],
            [["list"], /^unknown command; the commands are export, snapshot, verify-state, fetch-snapshot, preview-from-snapshot, access-review$/],
            [["export"], /--out FILE is required/],
            [["export", "--out"], /--out/],
            [["export", "--out", "x", "extra"], /^1 unexpected argument\(s\) after export$/],
            [["export", "--out", "x", "--bogus", "1"], /--bogus/],
            [["export", "--out", "x", "--out", "y"], /--out given more than once/],
            [["export", "--out", "x", "--verbose"], /--verbose/],
            [["export", "--out", ""], /--out needs a value/],
            [["export", "--out=--base-url"], /--out needs a value/],
            // A value is never echoed: a token pasted in the wrong place must not reach a terminal log.
            [["s3cret-token-as-command"], /^(?!.*s3cret).*$/s],
            [["export", "--out", "x", "s3cret-token-extra"], /^(?!.*s3cret).*$/s],
            [["export", "--out=--s3cret-token"], /^(?!.*s3cret).*$/s],
        ];
        for (const [argv, message] of cases) assert.throws(() => parseExportArgs(argv), (e: unknown) => e instanceof UsageError && message.test((e as Error).message), argv.join(" "));
    });

    it("has no --token flag, and says why without echoing the token", () => {
        for (const argv of [["export", "--out", "x", "--token", "s3cret-token"], ["export", "--out", "x", "--token=s3cret-token"]]) {
            assert.throws(
                () => parseExportArgs(argv),
                (e: unknown) => e instanceof UsageError && /no --token flag/.test((e as Error).message) && /--token-file/.test((e as Error).message) && !(e as Error).message.includes("s3cret-token"),
            );
        }
    });

    it("exits 2 with the usage on a usage error, 0 on --help, and never touches the network for either", async () => {
        const bad = cli("export", "--out", "x", "--token", "s3cret-token");
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /no --token flag/);
        assert.match(bad.stderr, /Usage: pulumi-invision export/);
        assert.doesNotMatch(bad.stderr + bad.stdout, /s3cret-token/);
        const typo = cli("export", "--otu", "x");
        assert.equal(typo.status, 2);
        assert.match(typo.stderr, /--otu/);
        const help = cli("--help");
        assert.equal(help.status, 0);
        assert.match(help.stdout, /Usage: pulumi-invision export --out FILE/);
        assert.equal(await main(["export"], {}), 2);
    });

    it("exits 1, not 2, when the arguments are fine but the connection settings are missing", async () => {
        const r = cli("export", "--out", path.join(root, "does-not-matter.yaml"));
        assert.equal(r.status, 1);
        assert.doesNotMatch(r.stderr, /Usage:/);
    });
});
