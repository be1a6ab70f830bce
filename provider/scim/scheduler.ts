import pLimit from "p-limit";
import { Figures, formatPause, formatSummary, minus, noFigures, summaryDue, summaryPending } from "./figures";
import { afterSuccess, afterThrottle, defaultPausePolicy, initialRate, pauseLength, PausePolicy, pausedUntil, RatePolicy, ratePolicy, RateState, reserve } from "./rate";

/**
 * One request scheduler per tenant (base URL) for the whole provider process.
 * The engine runs every dynamic resource of a `pulumi up` in this process and
 * calls them in parallel, so this is where their requests meet:
 *  - a concurrency limit (p-limit, already a dependency; its queue is FIFO);
 *  - an adaptive rate (rate.ts): every request waits for its turn;
 *  - a shared pause: a 429 stops every queued request, not only its own.
 *
 * The rate and the pause are written by hand (see rate.ts for why). The
 * scheduler decides when a request goes; whether it is retried is decided
 * in retry.ts only. Libraries weighed: cockatiel 4 is ESM-only and needs
 * Node 22 (this package is CommonJS for Node 20), and its retry counts
 * attempts per call where we need a time budget and a pause shared by all
 * calls; Bottleneck has had no release since 2019; async-sema would only
 * duplicate p-limit.
 */

export interface SchedulerOptions {
    maxConcurrency: number;
    maxRequestsPerSecond: number;
    /** Progress a person should see (pauses, the run's figures): one line each. */
    say?: (line: string) => void;
    /** Resolves once what was said has reached the person (the engine's log service is asynchronous). */
    settle?: () => Promise<void>;
    /** Print the figures once the client has been idle this long after activity. */
    idleSummaryMs?: number;
    clock?: () => number;
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
    pause?: PausePolicy;
}

/** The per-request retry budget: it starts when the request first gets a slot, not while it queues behind others. */
export interface Budget {
    ms: number;
    deadline?: number;
}

/** Thrown when a pause would outlast the request's budget: retry.ts turns it into the final error. */
export class PauseOutlastsBudget extends Error {
    constructor(readonly pauseMs: number) {
        super(`paused for ${pauseMs} ms, past the retry budget`);
    }
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RequestScheduler {
    private readonly limit: ReturnType<typeof pLimit>;
    private readonly policy: RatePolicy;
    private readonly pausePolicy: PausePolicy;
    private readonly clock: () => number;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly random: () => number;
    private rate: RateState;
    private pauseEnd = 0;
    private pauseStart = Number.NEGATIVE_INFINITY;
    /** Bumped by each pause: a request that reserved a turn before it goes round again. */
    private epoch = 0;
    /** Throttle answers since the last success: how long a pause without Retry-After is. */
    private consecutive = 0;
    private queued = 0;
    private inFlight = 0;
    /** Requests between their first try and their outcome, backoff waits included: while any is, the client is not idle. */
    private open = 0;
    private figures: Figures = { ...noFigures };
    private reported: Figures = { ...noFigures };
    private lastActivityAt = 0;
    private idleTimer: NodeJS.Timeout | undefined;

    constructor(private readonly options: SchedulerOptions) {
        this.limit = pLimit(options.maxConcurrency);
        this.policy = ratePolicy(options.maxRequestsPerSecond);
        this.pausePolicy = options.pause ?? defaultPausePolicy;
        this.clock = options.clock ?? Date.now;
        this.sleep = options.sleep ?? realSleep;
        this.random = options.random ?? Math.random;
        this.rate = initialRate(this.policy, this.clock());
    }

    now(): number {
        return this.clock();
    }

    /** requests/s now. */
    get pace(): number {
        return this.rate.rate;
    }

    /** Milliseconds until the current pause ends (0 when not paused). */
    pauseRemaining(): number {
        return Math.max(0, this.pauseEnd - this.clock());
    }

    get stats(): Readonly<Figures> & { queued: number; inFlight: number } {
        return { ...this.figures, queued: this.queued, inFlight: this.inFlight };
    }

    /**
     * Runs `send` when a slot and a turn are free and no pause is on. A
     * success lets the rate recover. `judge` sees a failure while the slot is
     * still held, so a throttle answer pauses the queue before the next
     * request can take the slot.
     */
    run<T>(send: () => Promise<T>, budget: Budget, judge?: (err: unknown, sentAt: number) => void): Promise<T> {
        this.queued++;
        this.activity();
        return this.limit(async () => {
            try {
                await this.turn(budget);
            } finally {
                this.queued--;
            }
            this.inFlight++;
            this.figures.sent++;
            const sentAt = this.clock();
            try {
                const out = await send();
                this.rate = afterSuccess(this.policy, this.rate);
                this.consecutive = 0;
                return out;
            } catch (err) {
                judge?.(err, sentAt);
                throw err;
            } finally {
                this.inFlight--;
                this.activity();
            }
        });
    }

    /** Brackets one request's whole life (all its attempts), so a retry's backoff wait is not taken for idleness. */
    async track<T>(request: () => Promise<T>): Promise<T> {
        this.open++;
        try {
            return await request();
        } finally {
            this.open--;
            this.activity();
        }
    }

    /** Counts a retry (for the figures). */
    retried(): void {
        this.figures.retries++;
    }

    /**
     * The server said "too many" to a request sent at `sentAt`: cut the rate
     * and pause everyone. Answers to requests sent before the current pause
     * began are the same burst: they neither cut again nor lengthen the pause,
     * except a Retry-After that reaches further.
     */
    throttled(sentAt: number, retryAfterMs: number | undefined): void {
        const now = this.clock();
        this.figures.throttled++;
        const sameBurst = sentAt < this.pauseStart;
        if (sameBurst && (retryAfterMs === undefined || now + retryAfterMs <= this.pauseEnd)) return;
        this.rate = afterThrottle(this.policy, this.rate, now, sentAt);
        if (!sameBurst) this.consecutive++;
        const ms = pauseLength(this.pausePolicy, this.consecutive, retryAfterMs, this.random);
        const end = now + ms;
        if (end <= this.pauseEnd) return;
        const extends_ = this.pauseEnd > now;
        this.figures.pausedMs += extends_ ? end - this.pauseEnd : ms;
        if (!extends_) this.figures.pauses++;
        this.pauseStart = now;
        this.pauseEnd = end;
        this.epoch++;
        this.rate = pausedUntil(this.rate, end);
        this.options.say?.(formatPause(ms, this.rate.rate, this.queued, retryAfterMs !== undefined));
    }

    /** Waits out any pause, then for this request's turn at the current rate. */
    private async turn(budget: Budget): Promise<void> {
        budget.deadline ??= this.clock() + budget.ms;
        for (;;) {
            const now = this.clock();
            if (now < this.pauseEnd) {
                if (this.pauseEnd > budget.deadline) throw new PauseOutlastsBudget(this.pauseEnd - now);
                await this.sleep(this.pauseEnd - now);
                continue;
            }
            const { state, waitMs } = reserve(this.policy, this.rate, now);
            this.rate = state;
            if (waitMs <= 0) return;
            const epoch = this.epoch;
            await this.sleep(waitMs);
            if (epoch === this.epoch) return;
        }
    }

    private activity(): void {
        this.lastActivityAt = this.clock();
        const idleMs = this.options.idleSummaryMs;
        if (idleMs === undefined || this.busy()) return;
        clearTimeout(this.idleTimer);
        this.idleTimer = setTimeout(() => this.summariseIfIdle(), idleMs);
        // Never keep the provider process (or a test) alive for a summary.
        this.idleTimer.unref();
    }

    private busy(): boolean {
        return this.open + this.queued + this.inFlight > 0;
    }

    /** The idle fallback: prints the figures of activity not yet reported. */
    summariseIfIdle(): boolean {
        const state = { total: this.figures, reported: this.reported, lastActivityAt: this.lastActivityAt, idle: !this.busy() };
        if (!summaryDue(state, this.clock(), this.options.idleSummaryMs ?? 0)) return false;
        this.summarise();
        return true;
    }

    /** At exit: prints whatever was not reported yet. */
    summariseAtExit(): boolean {
        if (!summaryPending({ total: this.figures, reported: this.reported, lastActivityAt: this.lastActivityAt, idle: true })) return false;
        this.summarise();
        return true;
    }

    private summarise(): void {
        this.options.say?.(formatSummary(minus(this.figures, this.reported), this.rate.rate));
        this.reported = { ...this.figures };
    }
}

/**
 * One scheduler per tenant (base URL), so two tenants in one program do not
 * slow each other. A provider process's context owns one set (context.ts);
 * the first caller's settings win for a key: they are a property of the
 * tenant, and every resource of a run sees the same configuration.
 */
export class Schedulers {
    private readonly byKey = new Map<string, RequestScheduler>();

    get(key: string, options: SchedulerOptions): RequestScheduler {
        let s = this.byKey.get(key);
        if (!s) {
            s = new RequestScheduler(options);
            this.byKey.set(key, s);
            atExit.add({ scheduler: s, settle: options.settle });
            watchExit();
        }
        return s;
    }
}

/** For callers with no context of their own (the export command). */
const processSchedulers = new Schedulers();

export function sharedScheduler(key: string, options: SchedulerOptions): RequestScheduler {
    return processSchedulers.get(key, options);
}

const atExit = new Set<{ scheduler: RequestScheduler; settle?: () => Promise<void> }>();
let watching = false;

/** How long a signalled process waits for its last words to reach the engine before it dies. */
const LAST_WORDS_MS = 2_000;

/**
 * The figures of a run are printed once, when the provider process ends. The
 * engine ends a provider plugin at the end of an operation by sending SIGINT
 * to it, then SIGKILL 5 s later (pulumi sdk/go/common/resource/plugin,
 * cmdutil.InterruptChildren); SIGTERM is what a CI runner sends; `exit`
 * covers a normal end. The figures go to the engine's log service, which
 * answers asynchronously, so a signalled process waits (at most 2 s) for it
 * before it dies. The idle summary is the fallback when none of these lets us
 * speak (SIGKILL).
 */
function watchExit(): void {
    if (watching) return;
    watching = true;
    const flush = () => {
        for (const s of atExit) s.scheduler.summariseAtExit();
    };
    process.once("exit", flush);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const onSignal = () => {
            flush();
            process.removeListener(signal, onSignal);
            const settled = Promise.all([...atExit].map((s) => s.settle?.().catch(() => undefined)));
            const timeout = new Promise((resolve) => setTimeout(resolve, LAST_WORDS_MS).unref());
            void Promise.race([settled, timeout]).then(() => {
                // Keep the signal's usual meaning: with no other listener, die of it.
                if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
            });
        };
        process.on(signal, onSignal);
    }
}
