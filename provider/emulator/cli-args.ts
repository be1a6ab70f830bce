/**
 * `npm run emulator` flags, parsed strictly: a typo or a bad value is an error
 * with a message, never an option silently left at its default.
 */
import { parseArgs } from "node:util";
import { ChaosOptions, EmulatorOptions, PROFILE_NAMES, RateLimitOptions, Support } from "./options";

export class UsageError extends Error {}

const CHOICES = {
    profile: PROFILE_NAMES,
    "filter-case": ["insensitive", "exact"],
    "filter-ops": ["full", "eq-only"],
    "inactive-users": ["listed", "hidden"],
    "group-list-members": ["included", "omitted"],
    "member-removal": ["any", "filter-path", "value-list"],
    "remove-missing-member": ["ignore", "noTarget"],
    "member-display": ["userName", "name"],
    "op-case": ["any", "lower", "capitalised"],
    "patch-response": ["resource", "no-content"],
    "post-response": ["resource", "empty", "empty-no-location"],
    ids: ["uuid", "numeric"],
    "total-results": ["exact", "page-size"],
    spc: ["truthful", "absent", "lying"],
    "external-id": ["stored", "ignored"],
    pagination: ["standard", "none", "ignore-start", "capped", "no-total"],
    filter: ["supported", "rejected", "ignored"],
    "retry-after": ["none", "seconds", "date"],
    "rate-limit-status": ["429", "500", "503"],
    "group-get": ["supported", "400", "403", "404", "405", "501"],
    "group-delete": ["supported", "400", "403", "404", "405", "501"],
    "user-delete": ["supported", "400", "403", "404", "405", "501"],
} as const;

const HELP: [flag: string, text: string][] = [
    ["--port N", "port on 127.0.0.1 (default: a free one)"],
    ["--token T", "bearer token to accept (default: $INVISION_SCIM_TOKEN, else a generated one)"],
    ["--v7", "InVision V7: email and name edits are accepted and not applied"],
    ["--page-size N", "default and maximum page size (default 100)"],
    ["--profile NAME", "a bundle of the options below; explicit flags win"],
    ["--pagination MODE", "RFC paging, or how the server ignores it"],
    ["--filter MODE", "filters honoured, rejected (400) or ignored"],
    ["--filter-case MODE", "exact: userName eq is case-sensitive"],
    ["--filter-ops MODE", "eq-only: only <userName|displayName|externalId> eq \"...\""],
    ["--inactive-users MODE", "hidden: deactivated users missing from lists and filters"],
    ["--group-list-members MODE", "omitted: group lists carry no members"],
    ["--member-removal MODE", "which member-removal PATCH form is accepted"],
    ["--ignore-unsupported-removal", "fault: the refused removal form answers 2xx and removes nothing"],
    ["--remove-missing-member MODE", "noTarget: removing a non-member is a 400"],
    ["--member-display MODE", "name: a member's display is the user's name (RFC 7643), not the email"],
    ["--op-case MODE", "PATCH op spellings accepted"],
    ["--patch-response MODE", "no-content: PATCH answers 204"],
    ["--post-response MODE", "POST answers 201 with the resource, or an empty body"],
    ["--ids MODE", "numeric: ids are JSON numbers"],
    ["--total-results MODE", "page-size: totalResults is the page's length"],
    ["--spc MODE", "/ServiceProviderConfig truthful, absent (404) or lying"],
    ["--external-id MODE", "ignored: externalId accepted and never stored"],
    ["--require-schemas", "400 invalidSyntax for writes without the right schemas"],
    ["--group-get STATUS", "GET /Groups/{id}: supported or the status it answers"],
    ["--group-delete STATUS", "DELETE /Groups/{id}: supported or the status it answers"],
    ["--user-delete STATUS", "DELETE /Users/{id}: supported or the status it answers"],
    ["--rate-limit N", "token bucket: N requests per second over all SCIM requests"],
    ["--burst N", "bucket size (default: one second's worth)"],
    ["--retry-after MODE", "Retry-After on refusals (default none, as InVision documents)"],
    ["--rate-limit-status S", "status for refusals (default 429)"],
    ["--seed N", "seed for the faults below (default 1)"],
    ["--error-rate R", "share of requests answered 500/503 without processing (0..1)"],
    ["--drop-rate R", "share of connections destroyed before processing (0..1)"],
    ["--lost-response-rate R", "share of requests processed, then left unanswered (0..1)"],
    ["--latency-ms N|MIN-MAX", "added delay, fixed or seeded in a range"],
    ["--help", "this list"],
];

export function usage(): string {
    const choices = CHOICES as Record<string, readonly string[]>;
    const lines = HELP.map(([flag, text]) => {
        const name = flag.slice(2).split(" ")[0];
        const values = choices[name] ? ` [${choices[name].join("|")}]` : "";
        return `  ${flag.padEnd(30)} ${text}${values}`;
    });
    return `Usage: npm run emulator -- [flags]\n\nRuns a local InVision SCIM 2.0 emulator until Ctrl-C.\n\n${lines.join("\n")}\n`;
}

export interface CliArgs {
    help: boolean;
    options: EmulatorOptions;
}

export function parseEmulatorArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliArgs {
    const string = { type: "string" } as const;
    const flag = { type: "boolean" } as const;
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                ...Object.fromEntries(Object.keys(CHOICES).map((k) => [k, string])),
                port: string,
                token: string,
                v7: flag,
                "page-size": string,
                "ignore-unsupported-removal": flag,
                "require-schemas": flag,
                "rate-limit": string,
                burst: string,
                seed: string,
                "error-rate": string,
                "drop-rate": string,
                "lost-response-rate": string,
                "latency-ms": string,
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    if (values.help) return { help: true, options: {} };

    const choice = <K extends keyof typeof CHOICES>(name: K): (typeof CHOICES)[K][number] | undefined => {
        const v = values[name] as string | undefined;
        if (v === undefined) return undefined;
        if (!(CHOICES[name] as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${CHOICES[name].join(", ")}`);
        return v as (typeof CHOICES)[K][number];
    };
    const number = (name: string, check: (n: number) => boolean, what: string): number | undefined => {
        const v = values[name] as string | undefined;
        if (v === undefined) return undefined;
        const n = Number(v);
        if (v.trim() === "" || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}`);
        return n;
    };
    const rate = (name: string) => number(name, (n) => n >= 0 && n <= 1, "a number between 0 and 1");
    const support = (name: "group-get" | "group-delete" | "user-delete"): Support | undefined => {
        const v = choice(name);
        return v === undefined || v === "supported" ? v : (Number(v) as Support);
    };

    const perSecond = number("rate-limit", (n) => n > 0, "a number of requests per second above 0");
    const limitFlags = ["burst", "retry-after", "rate-limit-status"].filter((k) => values[k] !== undefined);
    if (perSecond === undefined && limitFlags.length > 0) throw new UsageError(`--${limitFlags[0]} needs --rate-limit`);
    const rateLimit: RateLimitOptions | undefined =
        perSecond === undefined
            ? undefined
            : {
                  perSecond,
                  burst: number("burst", (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1"),
                  retryAfter: choice("retry-after"),
                  status: choice("rate-limit-status") === undefined ? undefined : (Number(choice("rate-limit-status")) as 429 | 500 | 503),
              };

    const latency = values["latency-ms"] as string | undefined;
    let latencyMs: ChaosOptions["latencyMs"];
    if (latency !== undefined) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(latency.trim());
        if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new UsageError("--latency-ms must be N or MIN-MAX in milliseconds");
        latencyMs = m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
    }
    const seed = number("seed", (n) => Number.isInteger(n), "a whole number");
    const chaosValues = { errorRate: rate("error-rate"), dropRate: rate("drop-rate"), lostResponseRate: rate("lost-response-rate"), latencyMs };
    const anyChaos = Object.values(chaosValues).some((v) => v !== undefined) || seed !== undefined;
    const chaos: ChaosOptions | undefined = anyChaos ? { seed: seed ?? 1, ...chaosValues } : undefined;

    const options: EmulatorOptions = {
        port: number("port", (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number (0-65535)") ?? 0,
        token: (values.token as string | undefined) ?? env.INVISION_SCIM_TOKEN,
        version: values.v7 ? "v7" : undefined,
        pageSize: number("page-size", (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1"),
        profile: choice("profile"),
        pagination: choice("pagination"),
        filter: choice("filter"),
        filterCase: choice("filter-case"),
        filterOps: choice("filter-ops"),
        inactiveUsers: choice("inactive-users"),
        groupListMembers: choice("group-list-members"),
        memberRemoval: choice("member-removal"),
        ignoreUnsupportedRemoval: values["ignore-unsupported-removal"] ? true : undefined,
        removeMissingMember: choice("remove-missing-member"),
        memberDisplay: choice("member-display"),
        opCase: choice("op-case"),
        patchResponse: choice("patch-response"),
        postResponse: choice("post-response"),
        ids: choice("ids"),
        totalResults: choice("total-results"),
        serviceProviderConfig: choice("spc"),
        externalId: choice("external-id"),
        requireSchemas: values["require-schemas"] ? true : undefined,
        groupGet: support("group-get"),
        groupDelete: support("group-delete"),
        userDelete: support("user-delete"),
        rateLimit,
        chaos,
        verbose: true,
    };
    return { help: false, options };
}
