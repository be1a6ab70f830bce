import { BackoffPolicy, nextDelay } from "./backoff";
import { ScimError } from "./errors";
import { Budget, PauseOutlastsBudget, RequestScheduler } from "./scheduler";

/**
 * The one place a SCIM request is retried.
 *
 *  - "throttled": 429, or a 500/503 that says it is overload. The server did
 *    nothing, so every method is retried, POST included; the scheduler cuts
 *    the rate and pauses every request.
 *  - "transient": any other 5xx but 501/505, or no answer at all. Retried for
 *    GET, PUT, PATCH, DELETE after a jittered wait of this request alone.
 *    Never for POST: the object may exist, so the error goes back to the
 *    client, which looks the object up before sending again (client.ts).
 *  - "final": everything else goes back to the caller at once.
 * A request retries for at most its time budget (`invision:retryBudgetSeconds`).
 */
export type FailureKind = "throttled" | "transient" | "final";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a failure looks like, as far as the decision goes. */
export interface Failure {
    status?: number;
    scimType?: string;
    detail?: string;
    retryAfterMs?: number;
    /** Set when no answer came back (ECONNRESET, ETIMEDOUT...). */
    code?: string;
}

/** How SCIM servers word overload in a 500/503 body. */
const OVERLOAD = /rate.?limit|too many requests|throttl|overload/i;

/**
 * No answer, or a 5xx other than 501/505: the server may or may not have
 * carried the request out. Idempotent requests are simply sent again; a POST
 * is looked up first (create-retry.ts).
 */
export function outcomeUnknown(f: Failure): boolean {
    if (f.status === undefined) return f.code !== undefined;
    return f.status >= 500 && f.status !== 501 && f.status !== 505;
}

export function classifyFailure(f: Failure, method: Method): FailureKind {
    if (f.status === 429) return "throttled";
    if (f.status === 500 || f.status === 503) {
        if (f.scimType === "tooMany" || (f.detail !== undefined && OVERLOAD.test(f.detail))) return "throttled";
        // RFC 9110: a 503 with Retry-After says when the service is back; wait for it, all of us.
        if (f.status === 503 && f.retryAfterMs !== undefined) return "throttled";
    }
    if (method === "POST") return "final";
    return outcomeUnknown(f) ? "transient" : "final";
}

export interface RetryContext {
    method: Method;
    path: string;
    scheduler: RequestScheduler;
    budgetMs: number;
    backoff: BackoffPolicy;
    random?: () => number;
    /** Waits between transient retries; the scheduler does its own waiting. */
    sleep?: (ms: number) => Promise<void>;
    onRetry?: (err: ScimError, attempt: number, kind: FailureKind, delayMs: number) => void;
}

export function withRetry<T>(attempt: () => Promise<T>, ctx: RetryContext): Promise<T> {
    return ctx.scheduler.track(() => attempts(attempt, ctx));
}

async function attempts<T>(attempt: () => Promise<T>, ctx: RetryContext): Promise<T> {
    const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const { scheduler } = ctx;
    const budget: Budget = { ms: ctx.budgetMs };
    let last: ScimError | undefined;
    // Runs inside the scheduler's slot: a throttle answer pauses everyone before the slot is free again.
    const judge = (err: unknown, sentAt: number) => {
        if (err instanceof ScimError && classifyFailure(err, ctx.method) === "throttled") scheduler.throttled(sentAt, err.retryAfterMs);
    };
    for (let n = 1; ; n++) {
        try {
            return await scheduler.run(attempt, budget, judge);
        } catch (err) {
            if (err instanceof PauseOutlastsBudget) throw giveUp(ctx, last, n - 1, budget, err.pauseMs);
            if (!(err instanceof ScimError)) throw err;
            const kind = classifyFailure(err, ctx.method);
            last = withAttempts(err, n, kind === "throttled");
            if (kind === "final") throw last;
            const remaining = (budget.deadline ?? scheduler.now()) - scheduler.now();
            if (kind === "throttled") {
                // The scheduler already paused everyone (judge); a pause past the budget fails now,
                // saying what the server asked, rather than after the wait.
                const pause = scheduler.pauseRemaining();
                if (pause > remaining) throw giveUp(ctx, last, n, budget, pause);
                scheduler.retried();
                ctx.onRetry?.(last, n, kind, pause);
                continue;
            }
            const delay = nextDelay(ctx.backoff, n - 1, remaining, ctx.random);
            if (delay === undefined) throw giveUp(ctx, last, n, budget);
            scheduler.retried();
            ctx.onRetry?.(last, n, kind, delay);
            await sleep(delay);
        }
    }
}

function withAttempts(e: ScimError, attempts: number, rateLimited: boolean): ScimError {
    return new ScimError(e.message, e.status, e.scimType, e.method, e.path, e.code, e.retryAfterMs, { detail: e.detail, attempts, rateLimited });
}

function giveUp(ctx: RetryContext, last: ScimError | undefined, attempts: number, budget: Budget, askedMs?: number): ScimError {
    const asked = askedMs !== undefined ? `; the server asked to wait ${Math.ceil(askedMs / 1000)} s more` : "";
    const spent = `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} within the retry budget of ${Math.round(budget.ms / 1000)} s${asked}; raise invision:retryBudgetSeconds to wait longer`;
    if (!last) {
        // The request never left: a pause set by others' answers outlasts its budget.
        return new ScimError(`InVision SCIM ${ctx.method} ${ctx.path} was not sent: InVision is rate limiting requests (${spent})`, 429, undefined, ctx.method, ctx.path, undefined, askedMs, {
            attempts: 0,
            rateLimited: true,
        });
    }
    return new ScimError(`${last.message} (${spent})`, last.status, last.scimType, last.method, last.path, last.code, last.retryAfterMs, {
        detail: last.detail,
        attempts,
        rateLimited: last.rateLimited,
    });
}
