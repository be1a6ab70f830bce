/**
 * A run's figures and when to print them. Pure: the scheduler owns the clock
 * and the timers, this decides what to say.
 */

export interface Figures {
    /** Requests that left for the server (retries included). */
    sent: number;
    /** Answers that were 429 or an overload 5xx. */
    throttled: number;
    /** Attempts after the first, for any reason. */
    retries: number;
    /** Pauses the whole client took for the server's limit. */
    pauses: number;
    /** Milliseconds the client spent paused. */
    pausedMs: number;
}

export const noFigures: Figures = { sent: 0, throttled: 0, retries: 0, pauses: 0, pausedMs: 0 };

export function minus(a: Figures, b: Figures): Figures {
    return { sent: a.sent - b.sent, throttled: a.throttled - b.throttled, retries: a.retries - b.retries, pauses: a.pauses - b.pauses, pausedMs: a.pausedMs - b.pausedMs };
}

/**
 * When a summary is due. `reported` is the figures at the last summary, so
 * the same activity is never summarised twice; `idle` is true when nothing is
 * queued or in flight.
 */
export interface SummaryState {
    total: Figures;
    reported: Figures;
    lastActivityAt: number;
    idle: boolean;
}

/** True when there is unreported activity and the client has been idle for `idleMs`. */
export function summaryDue(s: SummaryState, now: number, idleMs: number): boolean {
    return s.idle && s.total.sent > s.reported.sent && now - s.lastActivityAt >= idleMs;
}

/** At exit: any unreported activity, idle or not (a run cut short says what it did). */
export function summaryPending(s: SummaryState): boolean {
    return s.total.sent > s.reported.sent;
}

export function formatSummary(f: Figures, rate: number): string {
    const parts = [`${f.sent} request${f.sent === 1 ? "" : "s"}`, `${f.throttled} rate-limited (429 or overload)`, `${f.retries} retr${f.retries === 1 ? "y" : "ies"}`];
    if (f.pauses > 0) parts.push(`${f.pauses} pause${f.pauses === 1 ? "" : "s"} totalling ${(f.pausedMs / 1000).toFixed(1)} s`);
    return `InVision requests: ${parts.join(", ")}; pace at the end ${rate.toFixed(1)} requests/s`;
}

export function formatPause(pauseMs: number, rate: number, queued: number, retryAfter: boolean): string {
    const why = retryAfter ? "the server asked to wait" : "no Retry-After, backing off";
    return `InVision is rate limiting: pausing ${(pauseMs / 1000).toFixed(1)} s (${why}); pace now ${rate.toFixed(1)} requests/s (${queued} queued)`;
}
