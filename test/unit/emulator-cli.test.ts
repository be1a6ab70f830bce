import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseEmulatorArgs, usage, UsageError } from "../../provider/emulator/cli-args";

const root = path.resolve(__dirname, "..", "..");
const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "provider/emulator/cli.ts", ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });

describe("npm run emulator flags", () => {
    it("leaves every option it was not given undefined, so defaults and profiles apply", () => {
        const { options } = parseEmulatorArgs([]);
        assert.equal(options.pageSize, undefined);
        assert.equal(options.version, undefined);
        assert.equal(options.rateLimit, undefined);
        assert.equal(options.chaos, undefined);
        assert.equal(options.port, 0);
    });

    it("maps every dialect flag to its option", () => {
        const { options } = parseEmulatorArgs(
            ["--profile", "strict", "--filter-case", "exact", "--filter-ops", "eq-only", "--inactive-users", "hidden", "--group-list-members", "omitted", "--member-removal", "value-list", "--remove-missing-member", "noTarget", "--op-case", "capitalised", "--patch-response", "no-content", "--post-response", "empty", "--ids", "numeric", "--total-results", "page-size", "--spc", "lying", "--external-id", "ignored", "--require-schemas", "--ignore-unsupported-removal", "--group-get", "405", "--user-delete", "supported", "--v7", "--page-size", "25", "--port", "8080"],
            { INVISION_SCIM_TOKEN: "from-env" },
        );
        assert.deepEqual(
            { ...options, verbose: undefined },
            {
                ...options,
                verbose: undefined,
                profile: "strict",
                filterCase: "exact",
                filterOps: "eq-only",
                inactiveUsers: "hidden",
                groupListMembers: "omitted",
                memberRemoval: "value-list",
                removeMissingMember: "noTarget",
                opCase: "capitalised",
                patchResponse: "no-content",
                postResponse: "empty",
                ids: "numeric",
                totalResults: "page-size",
                serviceProviderConfig: "lying",
                externalId: "ignored",
                requireSchemas: true,
                ignoreUnsupportedRemoval: true,
                groupGet: 405,
                userDelete: "supported",
                version: "v7",
                pageSize: 25,
                port: 8080,
                token: "from-env",
            },
        );
    });

    it("builds the rate limit and the seeded faults", () => {
        const { options } = parseEmulatorArgs(["--rate-limit", "10", "--burst", "5", "--retry-after", "seconds", "--rate-limit-status", "503", "--seed", "7", "--error-rate", "0.3", "--drop-rate", "0.05", "--lost-response-rate", "0.1", "--latency-ms", "5-20"]);
        assert.deepEqual(options.rateLimit, { perSecond: 10, burst: 5, retryAfter: "seconds", status: 503 });
        assert.deepEqual(options.chaos, { seed: 7, errorRate: 0.3, dropRate: 0.05, lostResponseRate: 0.1, latencyMs: [5, 20] });
        assert.deepEqual(parseEmulatorArgs(["--latency-ms", "15"]).options.chaos, { seed: 1, errorRate: undefined, dropRate: undefined, lostResponseRate: undefined, latencyMs: 15 });
    });

    it("refuses bad values with a message naming the flag", () => {
        for (const [args, message] of [
            [["--op-case", "upper"], /--op-case must be one of any, lower, capitalised/],
            [["--profile", "lenient"], /--profile must be one of/],
            [["--rate-limit", "0"], /--rate-limit must be/],
            [["--rate-limit", "ten"], /--rate-limit must be/],
            [["--burst", "3"], /--burst needs --rate-limit/],
            [["--error-rate", "1.5"], /--error-rate must be a number between 0 and 1/],
            [["--latency-ms", "20-5"], /--latency-ms must be/],
            [["--page-size", ""], /--page-size must be/],
            [["--rate-limit-status", "502", "--rate-limit", "1"], /--rate-limit-status must be one of 429, 500, 503/],
            [["--colour"], /Unknown option '--colour'/],
            [["stray"], /positional/i],
        ] as [string[], RegExp][]) {
            assert.throws(() => parseEmulatorArgs(args), (e: unknown) => e instanceof UsageError && message.test((e as Error).message), args.join(" "));
        }
    });

    it("--help lists every flag", () => {
        const help = usage();
        for (const flag of ["--port", "--token", "--v7", "--page-size", "--profile", "--filter-case", "--filter-ops", "--inactive-users", "--group-list-members", "--member-removal", "--op-case", "--patch-response", "--post-response", "--ids", "--total-results", "--spc", "--external-id", "--rate-limit", "--burst", "--retry-after", "--rate-limit-status", "--seed", "--error-rate", "--drop-rate", "--lost-response-rate", "--latency-ms"]) {
            assert.match(help, new RegExp(`^  ${flag} `, "m"), flag);
        }
        assert.equal(parseEmulatorArgs(["--help"]).help, true);
    });

    it("exits 2 with a message on a bad flag, 0 with --help", () => {
        const bad = cli("--filter-case", "sometimes");
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--filter-case must be one of insensitive, exact/);
        // Values are never echoed: a token pasted into the wrong flag must not reach a terminal log.
        assert.ok(!bad.stderr.includes("sometimes"));
        for (const argv of [["--page-size", "s3cret-token"], ["--latency-ms", "s3cret-token"]]) {
            const r = cli(...argv);
            assert.equal(r.status, 2);
            assert.ok(!r.stderr.includes("s3cret"), r.stderr);
        }
        const help = cli("--help");
        assert.equal(help.status, 0);
        assert.match(help.stdout, /--rate-limit N/);
    });
});
