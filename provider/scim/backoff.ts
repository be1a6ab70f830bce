/**
 * How long to wait before the next attempt. Pure functions, so the policy is
 * unit-tested without a clock or a network.
 */
export interface BackoffPolicy {
    /** Total attempts, the first one included. */
    maxAttempts: number;
    /** Delay cap for the first retry; doubles each retry. */
    baseDelayMs: number;
    /** No single wait is longer than this. */
    maxDelayMs: number;
    /** The sum of all waits of one call never goes past this. */
    maxTotalWaitMs: number;
}

export const defaultBackoff: BackoffPolicy = {
    maxAttempts: 6,
    baseDelayMs: 250,
    maxDelayMs: 20_000,
    maxTotalWaitMs: 60_000,
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
 * Decides the wait before retry number `retry` (0 for the first retry), given
 * what was already waited. Returns undefined when the call must give up: out of
 * attempts, or the wait would exceed the total budget. A server's Retry-After
 * wins over our own jitter but is still held to the budget.
 */
export function nextDelay(
    policy: BackoffPolicy,
    retry: number,
    waitedMs: number,
    retryAfterMs: number | undefined,
    random: () => number = Math.random,
): number | undefined {
    if (retry + 1 >= policy.maxAttempts) return undefined;
    // A Retry-After past the budget is not shortened: retrying early would
    // only earn another 429. The call gives up and says what the server asked.
    const delay = retryAfterMs ?? jitteredDelay(policy, retry, random);
    if (waitedMs + delay > policy.maxTotalWaitMs) return undefined;
    return delay;
}
