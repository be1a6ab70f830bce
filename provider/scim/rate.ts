/**
 * The adaptive request rate and the shared pause, as pure functions of a
 * state and a clock reading, so they are unit-tested without timers.
 *
 * Written by hand: the maintained CommonJS libraries give a fixed rate
 * (token buckets) or a per-call retry (cockatiel 3's backoff); none cuts a
 * shared rate when the server says "too many" and grows it back after
 * successes, nor pauses every queued request at once.
 *
 * AIMD, as TCP does for congestion: a throttle answer multiplies the rate by
 * `decrease`; every success adds `recoveryPerSecond / rate`, so a client that
 * sends at its rate gains `recoveryPerSecond` requests/s for every second of
 * clean traffic, and never goes past the configured ceiling.
 */

export interface RatePolicy {
    /** requests/s: `invision:maxRequestsPerSecond`. */
    ceiling: number;
    /** requests/s the rate is never cut below, so a run always moves. */
    floor: number;
    /** Multiplier on a throttle answer: 0.7 (as TCP CUBIC) keeps most of the pace against a server whose limit is near the ceiling. */
    decrease: number;
    /** requests/s regained per second of successful requests. */
    recoveryPerSecond: number;
    /** Requests that may go at once after an idle spell. 1: smooth pacing, no bursts a per-second window would count twice. */
    burst: number;
}

export function ratePolicy(ceiling: number): RatePolicy {
    return { ceiling, floor: Math.min(ceiling, 0.2), decrease: 0.7, recoveryPerSecond: 0.5, burst: 1 };
}

export interface RateState {
    /** requests/s now. */
    rate: number;
    /** Requests that may start now; negative when others have reserved future turns. */
    tokens: number;
    /** When `tokens` was last brought up to date (ms); may be in the future after a pause. */
    at: number;
    /** When the rate was last cut: throttle answers to requests sent before it reflect the old rate. */
    cutAt: number;
}

export function initialRate(policy: RatePolicy, now: number): RateState {
    return { rate: policy.ceiling, tokens: policy.burst, at: now, cutAt: Number.NEGATIVE_INFINITY };
}

/**
 * Reserves the next turn: returns the new state and how long the caller waits
 * before sending. Reservations queue up as negative tokens, so concurrent
 * callers get successive turns 1/rate apart.
 */
export function reserve(policy: RatePolicy, s: RateState, now: number): { state: RateState; waitMs: number } {
    // During a pause `at` is its end: no credit before it, and the wait starts there.
    const from = Math.max(now, s.at);
    const tokens = Math.min(policy.burst, s.tokens + (s.rate * (from - s.at)) / 1000) - 1;
    const waitMs = from - now + (tokens >= 0 ? 0 : Math.ceil((-tokens / s.rate) * 1000));
    return { state: { ...s, tokens, at: from }, waitMs };
}

/**
 * A throttle answer (429 or an overload 5xx) to a request sent at `sentAt`.
 * Only the first answer of a burst cuts: the requests in flight when it came
 * were sent at the old rate and say nothing new about the new one.
 */
export function afterThrottle(policy: RatePolicy, s: RateState, now: number, sentAt: number): RateState {
    if (sentAt < s.cutAt) return s;
    return { ...s, rate: Math.max(policy.floor, s.rate * policy.decrease), cutAt: now };
}

/** A success: additive recovery towards the ceiling. */
export function afterSuccess(policy: RatePolicy, s: RateState): RateState {
    if (s.rate >= policy.ceiling) return s;
    return { ...s, rate: Math.min(policy.ceiling, s.rate + policy.recoveryPerSecond / s.rate) };
}

/**
 * A pause until `until`: reservations made before it are void (their owners
 * go round again) and no credit accrues while paused, so the end of a pause
 * is one request, then the pace: not a burst.
 */
export function pausedUntil(s: RateState, until: number): RateState {
    return { ...s, tokens: 1, at: Math.max(s.at, until) };
}

export interface PausePolicy {
    /** The first pause without Retry-After is between half this and this. */
    baseMs: number;
    /** No pause we choose ourselves is longer. */
    maxMs: number;
}

export const defaultPausePolicy: PausePolicy = { baseMs: 1000, maxMs: 60_000 };

/**
 * How long everyone pauses after a throttle answer. The server's Retry-After
 * wins (it knows its window). Without it, the pause doubles with each
 * throttle that follows another with no success in between, with "equal
 * jitter" (half fixed, half random): it always grows, unlike full jitter,
 * and two provider processes sharing a tenant still drift apart.
 */
export function pauseLength(policy: PausePolicy, consecutive: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
    if (retryAfterMs !== undefined) return retryAfterMs;
    const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, consecutive - 1));
    return Math.round(cap / 2 + (random() * cap) / 2);
}
