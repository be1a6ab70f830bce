import { z } from "zod";

/**
 * Connection settings: stack config first (`invision:*`, which reaches a
 * dynamic provider through its `configure` hook), then the environment. Pure:
 * callers hand in a lookup function and an environment, so precedence is
 * unit-tested without Pulumi.
 */

/** Each setting: its stack-config key and its environment variable. */
export const settingKeys = {
    baseUrl: { config: "invision:scimBaseUrl", env: "INVISION_SCIM_BASE_URL" },
    token: { config: "invision:scimToken", env: "INVISION_SCIM_TOKEN" },
    maxConcurrency: { config: "invision:maxConcurrency", env: "INVISION_MAX_CONCURRENCY" },
    requestTimeoutMs: { config: "invision:requestTimeoutMs", env: "INVISION_REQUEST_TIMEOUT_MS" },
    maxRequestsPerSecond: { config: "invision:maxRequestsPerSecond", env: "INVISION_MAX_REQUESTS_PER_SECOND" },
    retryBudgetSeconds: { config: "invision:retryBudgetSeconds", env: "INVISION_RETRY_BUDGET_SECONDS" },
    maxDeactivations: { config: "invision:maxDeactivations", env: "INVISION_MAX_DEACTIVATIONS" },
    maxMembershipRemovals: { config: "invision:maxMembershipRemovals", env: "INVISION_MAX_MEMBERSHIP_REMOVALS" },
} as const;

export const connectionSettingsSchema = z.object({
    baseUrl: z.string(),
    token: z.string(),
    maxConcurrency: z.number().int().min(1).max(64),
    requestTimeoutMs: z.number().int().min(1000).max(600_000),
    maxRequestsPerSecond: z.number().min(0.1).max(1000),
    retryBudgetSeconds: z.number().int().min(1).max(86_400),
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

/**
 * Enough requests in flight that the rate, not the concurrency, is what paces
 * a run (Little's law: 10 requests/s at up to 0.8 s each needs 8 in flight),
 * few enough that a server with no rate limiting at all is not hammered.
 */
export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * The ceiling of the adaptive rate. InVision documents no limit, so this is a
 * polite pace rather than a measured one: 600 requests a minute brings 1,000
 * users (a lookup, a create and a read-back each) in about five minutes, and
 * the rate adapts down by itself when the server answers 429.
 */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 10;
/**
 * How long one request may keep retrying. Generous on purpose: in Pulumi one
 * failed resource fails the whole run, so waiting minutes for a rate limit or
 * a bad patch to pass is better than a failed deployment someone must re-run.
 */
export const DEFAULT_RETRY_BUDGET_SECONDS = 600;

/**
 * The deletion guard's bounds for one run (see safety/guard.ts). A routine
 * pull request offboards a handful of people and moves a few dozen
 * memberships; a truncated roster, an emptied `users:` list or an email
 * domain migration touches everyone. 10 deactivations lets a normal
 * offboarding batch through and stops a mistake while it has cost a handful
 * of people; memberships move more often (re-orgs, group clean-ups) and are
 * cheap to restore, hence 50.
 */
export const DEFAULT_MAX_DEACTIVATIONS = 10;
export const DEFAULT_MAX_MEMBERSHIP_REMOVALS = 50;
/** Large enough for any tenant; the bound is meant to be raised for one intended run, not removed. */
const GUARD_CEILING = 1_000_000;

export const safetyLimitsSchema = z.object({
    maxDeactivations: z.number().int().min(0),
    maxMembershipRemovals: z.number().int().min(0),
});
export type SafetyLimits = z.infer<typeof safetyLimitsSchema>;

export class ConfigurationError extends Error {
    override readonly name = "ConfigurationError";
}

export type ConfigLookup = (key: string) => string | undefined;

export function resolveSettings(config: ConfigLookup, env: NodeJS.ProcessEnv): ConnectionSettings {
    const pick = picker(config, env);
    const problems: string[] = [];

    const rawUrl = pick("baseUrl");
    let baseUrl = "";
    if (rawUrl === undefined) {
        problems.push(missing("baseUrl", "the SCIM base URL, e.g. https://<team>.invisionapp.com"));
    } else {
        try {
            baseUrl = normaliseBaseUrl(rawUrl);
        } catch (e) {
            problems.push(`${describeKey("baseUrl")}: ${(e as Error).message}`);
        }
    }

    const token = pick("token");
    if (token === undefined) {
        problems.push(missing("token", "the SCIM bearer token (set it with `pulumi config set --secret invision:scimToken`)"));
    } else if (!/^[\x21-\x7e]+$/.test(token.trim())) {
        // Never echo the value: it is the credential.
        problems.push(`${describeKey("token")}: the token has spaces or characters a bearer token cannot have (was it pasted with quotes or a line break?)`);
    }

    const maxConcurrency = intSetting(pick("maxConcurrency"), DEFAULT_MAX_CONCURRENCY, "maxConcurrency", 1, 64, problems);
    const requestTimeoutMs = intSetting(pick("requestTimeoutMs"), DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs", 1000, 600_000, problems);
    const maxRequestsPerSecond = numberSetting(pick("maxRequestsPerSecond"), DEFAULT_MAX_REQUESTS_PER_SECOND, "maxRequestsPerSecond", 0.1, 1000, problems);
    const retryBudgetSeconds = intSetting(pick("retryBudgetSeconds"), DEFAULT_RETRY_BUDGET_SECONDS, "retryBudgetSeconds", 1, 86_400, problems);

    if (problems.length > 0) {
        throw new ConfigurationError(`InVision connection settings are incomplete:\n  - ${problems.join("\n  - ")}`);
    }
    return connectionSettingsSchema.parse({ baseUrl, token: token!.trim(), maxConcurrency, requestTimeoutMs, maxRequestsPerSecond, retryBudgetSeconds });
}

/**
 * The guard's bounds. Separate from the connection settings on purpose: they
 * are read without the token, and a bad value fails the operation that needs
 * it with the setting's name.
 */
export function resolveSafetyLimits(config: ConfigLookup, env: NodeJS.ProcessEnv): SafetyLimits {
    const pick = picker(config, env);
    const problems: string[] = [];
    const limits = {
        maxDeactivations: intSetting(pick("maxDeactivations"), DEFAULT_MAX_DEACTIVATIONS, "maxDeactivations", 0, GUARD_CEILING, problems),
        maxMembershipRemovals: intSetting(pick("maxMembershipRemovals"), DEFAULT_MAX_MEMBERSHIP_REMOVALS, "maxMembershipRemovals", 0, GUARD_CEILING, problems),
    };
    if (problems.length > 0) throw new ConfigurationError(`InVision safety settings are invalid:\n  - ${problems.join("\n  - ")}`);
    return safetyLimitsSchema.parse(limits);
}

/**
 * The tenant a provider talks to: the normalised SCIM root, recorded with
 * every resource (never the token). Undefined when the URL is not configured
 * or not valid (the operation that needs a connection says why).
 */
export function resolveTenant(config: ConfigLookup, env: NodeJS.ProcessEnv): string | undefined {
    const raw = picker(config, env)("baseUrl");
    if (raw === undefined) return undefined;
    try {
        return normaliseBaseUrl(raw);
    } catch {
        return undefined;
    }
}

function picker(config: ConfigLookup, env: NodeJS.ProcessEnv) {
    return (k: keyof typeof settingKeys): string | undefined => {
        const fromConfig = config(settingKeys[k].config);
        if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
        const fromEnv = env[settingKeys[k].env];
        return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
    };
}

function describeKey(k: keyof typeof settingKeys): string {
    return `stack config '${settingKeys[k].config}' / environment variable ${settingKeys[k].env}`;
}

function missing(k: keyof typeof settingKeys, what: string): string {
    return `${describeKey(k)} is not set: ${what}`;
}

function intSetting(raw: string | undefined, dflt: number, k: keyof typeof settingKeys, min: number, max: number, problems: string[]): number {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
        // The value is not echoed: a secret pasted into the wrong setting must not reach a log.
        problems.push(`${describeKey(k)}: expected a whole number from ${min} to ${max}`);
        return dflt;
    }
    return n;
}

/** A decimal is allowed: a server limited to one request every two seconds is 0.5. */
function numberSetting(raw: string | undefined, dflt: number, k: keyof typeof settingKeys, min: number, max: number, problems: string[]): number {
    if (raw === undefined) return dflt;
    const n = Number(raw.trim());
    if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
        // The value is not echoed: a secret pasted into the wrong setting must not reach a log.
        problems.push(`${describeKey(k)}: expected a number from ${min} to ${max}`);
        return dflt;
    }
    return n;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
/** One DNS label: what a real host name is made of (no underscores, no padding, no slashes). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Says why a value cannot be a base URL without repeating it: the usual
 * mistake is the token pasted into the URL setting, and an error message
 * ends up in CI logs.
 */
const NOT_SHOWN = "(the value is not shown, in case it is a credential pasted into the wrong setting)";

/**
 * Whether a bare word is a team subdomain someone would type (`acme`,
 * `acme-design`, `studio42`) rather than a token: tokens are long and
 * alternate letters and digits all the way through.
 */
export function plausibleSubdomain(word: string): boolean {
    if (!LABEL.test(word) || word.length > 40) return false;
    const switches = (word.match(/[a-z](?=\d)|\d(?=[a-z])/gi) ?? []).length;
    const hasUpperAndLower = /[a-z]/.test(word) && /[A-Z]/.test(word);
    return switches <= 3 && !(hasUpperAndLower && word.length > 12);
}

/** A host name that DNS could answer: labels of letters, digits and hyphens, a non-numeric TLD. */
function plausibleHost(host: string): boolean {
    if (LOOPBACK.test(host) || IPV4.test(host)) return true;
    if (host.length > 253) return false;
    const labels = host.split(".");
    if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
    return /^[a-z]{2,63}$/i.test(labels[labels.length - 1]) && plausibleSubdomain(labels[0]);
}

/**
 * Accepts the forms people paste from InVision's and the IdPs' documentation
 * and returns the SCIM root without a trailing slash:
 *  - `https://team.invisionapp.com` (what Okta wants)  -> `https://team.invisionapp.com/scim/v2`
 *  - `https://team.invisionapp.com/scim/v2` (Azure)     -> unchanged
 *  - `https://scim.invisionapp.com/scim/v2` (V7)        -> unchanged
 *  - `team` (OneLogin's subdomain field)                -> `https://team.invisionapp.com/scim/v2`
 * Plain http is refused except on loopback (the emulator): the token would
 * cross the network in clear.
 *
 * Pure string work: nothing is resolved or contacted here, and a value that
 * is neither a URL nor a plausible host is refused before anything could
 * send it to DNS. No error message repeats any part of the value.
 */
export function normaliseBaseUrl(input: string): string {
    let raw = input.trim();
    if (raw === "") throw new Error("the URL is empty");
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
        if (LABEL.test(raw)) {
            if (!plausibleSubdomain(raw)) {
                throw new Error(`the value looks like a token, not a team subdomain or URL; expected e.g. https://<team>.invisionapp.com ${NOT_SHOWN}`);
            }
            raw = `https://${raw.toLowerCase()}.invisionapp.com`;
        } else {
            raw = `https://${raw}`;
        }
    }
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new Error(`the value is not a URL; expected e.g. https://<team>.invisionapp.com ${NOT_SHOWN}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new Error("only https:// URLs are supported");
    }
    if (url.username || url.password) {
        throw new Error("the URL must not carry credentials; put the token in invision:scimToken");
    }
    const host = url.hostname;
    if (!plausibleHost(host)) {
        throw new Error(`the value is not a URL with a host name InVision could have; expected e.g. https://<team>.invisionapp.com ${NOT_SHOWN}`);
    }
    if (url.protocol === "http:" && !LOOPBACK.test(host)) {
        throw new Error("plain http:// would send the token unencrypted; use https://");
    }
    if (url.search || url.hash) {
        throw new Error("the URL must not have a query string or fragment");
    }
    let path = url.pathname.replace(/\/+$/, "");
    // Someone pasted an endpoint rather than the root.
    path = path.replace(/\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)(\/.*)?$/i, "");
    if (!/\/scim\/v2$/i.test(path)) {
        if (path === "" || path === "/scim") path = "/scim/v2";
        else throw new Error(`the path is not a SCIM 2.0 root; expected it to end in /scim/v2 ${NOT_SHOWN}`);
    }
    return `${url.protocol}//${url.host}${path}`;
}
