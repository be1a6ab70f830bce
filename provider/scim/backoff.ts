/**
 * How long to wait before the next attempt. Pure functions, so the policy is
 * unit-tested without a clock or a network.
 */
export interface BackoffPolicy {
    /** Delay cap for the first retry; doubles each retry. */
    baseDelayMs: number;
    /** No single wait is longer than this. */
    maxDelayMs: number;
}

/**
 * For failures that are not the server's limit (a 5xx, a dropped
 * connection): the request retries on its own after a short jittered wait,
 * and the others carry on. How long it may go on is the retry budget
 * (`invision:retryBudgetSeconds`), not a count of attempts.
 */
export const defaultBackoff: BackoffPolicy = {
    baseDelayMs: 250,
    maxDelayMs: 20_000,
};

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential
 * Backoff And Jitter"): a random wait in [0, min(max, base * 2^retry)]. Full
 * jitter spreads out the parallel resources of one `pulumi up` that all hit
 * the same 429 at once, which plain exponential backoff would keep in lockstep.
 */
export function jitteredDelay(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
    return Math.floor(random() * cap);
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP
 * date. Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined | null, now: number = Date.now()): number | undefined {
    if (header === undefined || header === null) return undefined;
    const value = String(header).trim();
    if (value === "") return undefined;
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0 for the first retry), given what is
 * left of the request's budget. Returns undefined when nothing is left; a
 * wait longer than what is left is shortened so the last attempt still fits.
 */
export function nextDelay(policy: BackoffPolicy, retry: number, remainingMs: number, random: () => number = Math.random): number | undefined {
    if (remainingMs <= 0) return undefined;
    return Math.min(remainingMs, jitteredDelay(policy, retry, random));
}
