import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultBackoff } from "../../provider/scim/backoff";
import { ScimError } from "../../provider/scim/errors";
import { formatPause, formatSummary, noFigures, summaryDue, summaryPending } from "../../provider/scim/figures";
import { afterSuccess, afterThrottle, initialRate, pauseLength, pausedUntil, ratePolicy, reserve } from "../../provider/scim/rate";
import { Method, withRetry } from "../../provider/scim/retry";
import { RequestScheduler } from "../../provider/scim/scheduler";

describe("adaptive rate (pure)", () => {
    const p = ratePolicy(10);
    it("gives concurrent callers successive turns 1/rate apart", () => {
        let s = initialRate(p, 0);
        const waits: number[] = [];
        for (let i = 0; i < 5; i++) {
            const r = reserve(p, s, 0);
            s = r.state;
            waits.push(r.waitMs);
        }
        assert.deepEqual(waits, [0, 100, 200, 300, 400]);
    });
    it("does not bank more than one request after an idle spell", () => {
        let s = initialRate(p, 0);
        s = reserve(p, s, 0).state;
        const a = reserve(p, s, 60_000);
        const b = reserve(p, a.state, 60_000);
        assert.equal(a.waitMs, 0);
        assert.equal(b.waitMs, 100);
    });
    it("cuts multiplicatively, once per burst, never below the floor", () => {
        let s = initialRate(p, 0);
        s = afterThrottle(p, s, 1000, 900);
        assert.equal(s.rate, 7);
        // An answer to a request sent before that cut is the same burst.
        assert.equal(afterThrottle(p, s, 1010, 950).rate, 7);
        s = afterThrottle(p, s, 2000, 1500);
        assert.ok(Math.abs(s.rate - 4.9) < 1e-9);
        for (let t = 3000; t < 100_000; t += 1000) s = afterThrottle(p, s, t, t);
        assert.equal(s.rate, p.floor);
    });
    it("recovers additively after successes, up to the ceiling only", () => {
        let s = { ...initialRate(p, 0), rate: 5 };
        // About recoveryPerSecond requests/s gained per second of traffic at the current rate.
        let sent = 0;
        for (let second = 0; second < 4; second++) {
            const n = Math.round(s.rate);
            for (let i = 0; i < n; i++) s = afterSuccess(p, s);
            sent += n;
        }
        assert.ok(s.rate > 6.5 && s.rate < 7.5, `rate ${s.rate} after ${sent} successes`);
        for (let i = 0; i < 10_000; i++) s = afterSuccess(p, s);
        assert.equal(s.rate, 10);
    });
    it("accrues no credit while paused, so a pause does not end in a burst", () => {
        let s = initialRate(p, 0);
        for (let i = 0; i < 4; i++) s = reserve(p, s, 0).state;
        s = pausedUntil(s, 5000);
        assert.equal(reserve(p, s, 4000).waitMs, 1000);
        const first = reserve(p, s, 5000);
        assert.equal(first.waitMs, 0);
        assert.equal(reserve(p, first.state, 5000).waitMs, 100);
    });
    it("pauses as long as Retry-After says, otherwise a jittered pause that grows", () => {
        const pp = { baseMs: 1000, maxMs: 60_000 };
        assert.equal(pauseLength(pp, 1, 4000, () => 0), 4000);
        assert.equal(pauseLength(pp, 1, undefined, () => 0), 500);
        assert.equal(pauseLength(pp, 1, undefined, () => 1), 1000);
        assert.equal(pauseLength(pp, 3, undefined, () => 0), 2000);
        assert.equal(pauseLength(pp, 3, undefined, () => 1), 4000);
        assert.equal(pauseLength(pp, 20, undefined, () => 1), 60_000);
        for (let n = 1; n < 6; n++) assert.ok(pauseLength(pp, n + 1, undefined, () => 0) >= pauseLength(pp, n, undefined, () => 1), "each pause at least the longest the one before could be");
    });
});

/** Virtual time: sleeps resolve in deadline order as `settle` advances the clock. */
function virtualTime() {
    let now = 0;
    let timers: { at: number; fire: () => void }[] = [];
    const tick = () => new Promise<void>((r) => setImmediate(r));
    return {
        clock: () => now,
        sleep: (ms: number) => new Promise<void>((fire) => timers.push({ at: now + Math.max(0, ms), fire })),
        async settle<T>(p: Promise<T>): Promise<T> {
            let done = false;
            const out = p.finally(() => (done = true));
            out.catch(() => undefined);
            for (;;) {
                await tick();
                if (done) return out;
                if (timers.length === 0) continue;
                timers.sort((a, b) => a.at - b.at);
                const t = timers.shift()!;
                now = Math.max(now, t.at);
                t.fire();
            }
        },
    };
}

function setup(opts: { rate?: number; concurrency?: number } = {}) {
    const vt = virtualTime();
    const said: string[] = [];
    const scheduler = new RequestScheduler({
        maxConcurrency: opts.concurrency ?? 4,
        maxRequestsPerSecond: opts.rate ?? 10,
        clock: vt.clock,
        sleep: vt.sleep,
        random: () => 1,
        say: (l) => said.push(l),
        idleSummaryMs: 5000,
    });
    const send = <T>(method: Method, attempt: () => Promise<T>, budgetMs = 600_000) =>
        withRetry(attempt, { method, path: "/Users", scheduler, budgetMs, backoff: defaultBackoff, sleep: vt.sleep, random: () => 0.5 });
    return { vt, said, scheduler, send };
}

const scimError = (status: number | undefined, extra: { retryAfterMs?: number; scimType?: string; detail?: string } = {}) =>
    new ScimError(`failed with ${status ?? "ECONNRESET"}`, status, extra.scimType, "GET", "/Users", status === undefined ? "ECONNRESET" : undefined, extra.retryAfterMs, { detail: extra.detail });

describe("request scheduler (virtual time)", () => {
    it("paces requests at the ceiling", async () => {
        const { vt, send } = setup({ rate: 10 });
        const at: number[] = [];
        await vt.settle(Promise.all(Array.from({ length: 6 }, () => send("GET", async () => void at.push(vt.clock())))));
        assert.deepEqual(at, [0, 100, 200, 300, 400, 500]);
    });

    it("holds the concurrency limit", async () => {
        const { vt, send } = setup({ rate: 1000, concurrency: 2 });
        let inFlight = 0;
        let most = 0;
        const work = () =>
            send("GET", async () => {
                most = Math.max(most, ++inFlight);
                await vt.sleep(50);
                inFlight--;
            });
        await vt.settle(Promise.all(Array.from({ length: 12 }, work)));
        assert.equal(most, 2);
    });

    it("a 429 pauses every queued request, cuts the rate and says so once", async () => {
        const { vt, said, scheduler, send } = setup({ rate: 10 });
        const at: Record<string, number[]> = { a: [], b: [], c: [] };
        let first = true;
        const a = send("GET", async () => {
            at.a.push(vt.clock());
            if (first) {
                first = false;
                throw scimError(429);
            }
        });
        const b = send("GET", async () => void at.b.push(vt.clock()));
        const c = send("GET", async () => void at.c.push(vt.clock()));
        await vt.settle(Promise.all([a, b, c]));
        // a went at 0 and failed; b's turn (100) and c's (200) come after the pause it set: 1000 ms (random 1, first throttle).
        assert.ok(at.b[0] >= 1000 && at.c[0] >= 1000, JSON.stringify(at));
        assert.ok(at.a[1] >= 1000);
        assert.equal(scheduler.stats.pauses, 1);
        assert.equal(scheduler.stats.throttled, 1);
        assert.equal(scheduler.stats.retries, 1);
        const pauses = said.filter((l) => l.includes("pausing"));
        assert.equal(pauses.length, 1);
        assert.match(pauses[0], /InVision is rate limiting: pausing 1\.0 s .*pace now 7\.0 requests\/s \(\d+ queued\)/);
    });

    it("honours Retry-After as a pause for everyone", async () => {
        const { vt, send } = setup();
        let n = 0;
        const at: number[] = [];
        await vt.settle(
            send("POST", async () => {
                at.push(vt.clock());
                if (n++ === 0) throw scimError(429, { retryAfterMs: 3000 });
            }),
        );
        const other: number[] = [];
        await vt.settle(send("GET", async () => void other.push(vt.clock())));
        assert.equal(at.length, 2, "a POST is retried on 429: the server did nothing");
        assert.ok(at[1] >= 3000);
        assert.ok(other[0] >= 3000);
    });

    it("a burst of 429s to requests sent before the pause is one pause and one cut", async () => {
        const { vt, said, scheduler, send } = setup({ rate: 1000, concurrency: 8 });
        const tries = new Map<number, number>();
        const work = (i: number) =>
            send("GET", async () => {
                const n = (tries.get(i) ?? 0) + 1;
                tries.set(i, n);
                await vt.sleep(10);
                if (n === 1) throw scimError(429);
            });
        await vt.settle(Promise.all([0, 1, 2, 3].map(work)));
        assert.equal(scheduler.stats.throttled, 4);
        assert.equal(scheduler.stats.pauses, 1);
        assert.equal(said.filter((l) => l.includes("pausing")).length, 1);
        assert.equal(scheduler.pace < 1000, true);
    });

    it("pauses grow with consecutive 429s and stop growing after a success", async () => {
        const { vt, said, send } = setup();
        let n = 0;
        await vt.settle(
            send("GET", async () => {
                if (n++ < 3) throw scimError(429);
            }),
        );
        const lengths = said.filter((l) => l.includes("pausing")).map((l) => Number(/pausing ([\d.]+) s/.exec(l)![1]));
        assert.deepEqual(lengths, [1, 2, 4]);
        n = 0;
        said.length = 0;
        await vt.settle(
            send("GET", async () => {
                if (n++ < 1) throw scimError(429);
            }),
        );
        assert.match(said.find((l) => l.includes("pausing"))!, /pausing 1\.0 s/);
    });

    it("retries a 5xx on GET until the time budget is spent, then says so", async () => {
        const { vt, scheduler, send } = setup();
        let calls = 0;
        const err = await vt
            .settle(
                send(
                    "GET",
                    async () => {
                        calls++;
                        throw scimError(500);
                    },
                    30_000,
                ),
            )
            .catch((e: unknown) => e);
        assert.ok(err instanceof ScimError);
        assert.match(err.message, /failed with 500 \(gave up after \d+ attempts within the retry budget of 30 s; raise invision:retryBudgetSeconds/);
        assert.equal(err.attempts, calls);
        assert.ok(err.retried);
        assert.ok(calls > 6, `more than the old 6 attempts: ${calls}`);
        assert.ok(vt.clock() <= 30_000 + 1000, `stopped within the budget: ${vt.clock()}`);
        assert.equal(scheduler.stats.pauses, 0, "a plain 5xx does not pause everyone");
    });

    it("never re-sends a POST after a 5xx or a lost answer", async () => {
        for (const status of [500, 503, undefined]) {
            const { vt, send } = setup();
            let calls = 0;
            const err = await vt
                .settle(
                    send("POST", async () => {
                        calls++;
                        throw scimError(status);
                    }),
                )
                .catch((e: unknown) => e);
            assert.equal(calls, 1);
            assert.ok(err instanceof ScimError);
            assert.equal(err.retried, false);
            assert.equal(err.status, status);
        }
    });

    it("retries a POST whose 500 says it is overload, and pauses everyone", async () => {
        const { vt, scheduler, send } = setup();
        let calls = 0;
        await vt.settle(
            send("POST", async () => {
                if (calls++ === 0) throw scimError(500, { scimType: "tooMany" });
            }),
        );
        assert.equal(calls, 2);
        assert.equal(scheduler.stats.pauses, 1);
    });

    it("fails at once, naming the wait, when the server asks for a pause past the budget", async () => {
        const { vt, send } = setup();
        let calls = 0;
        const err = await vt
            .settle(
                send(
                    "GET",
                    async () => {
                        calls++;
                        throw scimError(429, { retryAfterMs: 3_600_000 });
                    },
                    600_000,
                ),
            )
            .catch((e: unknown) => e);
        assert.equal(calls, 1);
        assert.ok(err instanceof ScimError && err.rateLimited);
        assert.match((err as Error).message, /asked to wait 3600 s/);
        assert.ok(vt.clock() < 1000);
        // A request queued behind that pause is not sent either.
        const next = await vt.settle(send("GET", async () => "sent", 600_000)).catch((e: unknown) => e);
        assert.ok(next instanceof ScimError);
        assert.match(next.message, /GET \/Users was not sent.*asked to wait/);
    });
});

describe("run figures", () => {
    const f = { sent: 12, throttled: 3, retries: 4, pauses: 2, pausedMs: 4200 };
    it("are due once the client is idle for a while after unreported activity", () => {
        assert.equal(summaryDue({ total: f, reported: noFigures, lastActivityAt: 0, idle: true }, 5000, 5000), true);
        assert.equal(summaryDue({ total: f, reported: noFigures, lastActivityAt: 0, idle: true }, 4999, 5000), false);
        assert.equal(summaryDue({ total: f, reported: noFigures, lastActivityAt: 0, idle: false }, 9000, 5000), false);
        assert.equal(summaryDue({ total: f, reported: f, lastActivityAt: 0, idle: true }, 9000, 5000), false, "never twice for the same activity");
        assert.equal(summaryPending({ total: f, reported: f, lastActivityAt: 0, idle: true }), false);
        assert.equal(summaryPending({ total: f, reported: noFigures, lastActivityAt: 0, idle: false }), true);
    });
    it("read as one line", () => {
        assert.equal(formatSummary(f, 3.25), "InVision requests: 12 requests, 3 rate-limited (429 or overload), 4 retries, 2 pauses totalling 4.2 s; pace at the end 3.3 requests/s");
        assert.equal(formatPause(4000, 3.2, 42, false), "InVision is rate limiting: pausing 4.0 s (no Retry-After, backing off); pace now 3.2 requests/s (42 queued)");
    });
    it("a scheduler prints each activity's figures once: idle, then at exit only what is new", async () => {
        const { vt, said, scheduler, send } = setup();
        await vt.settle(send("GET", async () => "ok"));
        assert.equal(scheduler.summariseIfIdle(), false, "not idle long enough");
        await vt.settle(vt.sleep(5000));
        assert.equal(scheduler.summariseIfIdle(), true);
        assert.equal(scheduler.summariseIfIdle(), false);
        assert.equal(scheduler.summariseAtExit(), false);
        await vt.settle(send("GET", async () => "ok"));
        await vt.settle(send("GET", async () => "ok"));
        assert.equal(scheduler.summariseAtExit(), true);
        const lines = said.filter((l) => l.startsWith("InVision requests"));
        assert.deepEqual(lines.map((l) => /(\d+) requests?/.exec(l)![1]), ["1", "2"]);
    });
});

describe("idle summary", () => {
    it("is not printed while a request waits to retry a 5xx", async () => {
        const { vt, said, scheduler } = setup();
        let n = 0;
        let summarisedDuringBackoff = false;
        // Backoff waits reach past the 5 s idle delay; each ends by asking for the idle summary.
        const sleep = async (ms: number) => {
            await vt.sleep(ms);
            if (scheduler.summariseIfIdle()) summarisedDuringBackoff = true;
        };
        const attempt = async () => {
            if (n++ < 8) throw scimError(503);
        };
        await vt.settle(withRetry(attempt, { method: "GET", path: "/Users", scheduler, budgetMs: 600_000, backoff: defaultBackoff, sleep, random: () => 1 }));
        assert.ok(vt.clock() > 5000, "the backoff did outlast the idle delay");
        assert.equal(summarisedDuringBackoff, false);
        assert.equal(said.filter((l) => l.startsWith("InVision requests")).length, 0);
        await vt.settle(vt.sleep(5000));
        assert.equal(scheduler.summariseIfIdle(), true);
        assert.match(said.at(-1)!, /9 requests, 0 rate-limited \(429 or overload\), 8 retries/);
    });
});

describe("against a simulated rate-limited server (virtual time)", () => {
    /** A server that allows `limit` requests/s (a token bucket as deep as one second) and answers 429, with no Retry-After, past it. */
    async function run(limit: number, ceiling: number, n: number) {
        const vt = virtualTime();
        const scheduler = new RequestScheduler({ maxConcurrency: 8, maxRequestsPerSecond: ceiling, clock: vt.clock, sleep: vt.sleep, random: () => 0.5 });
        let tokens = limit;
        let at = 0;
        let throttled = 0;
        const attempt = async () => {
            tokens = Math.min(limit, tokens + (limit * (vt.clock() - at)) / 1000);
            at = vt.clock();
            await vt.sleep(40);
            if (tokens < 1) {
                throttled++;
                throw scimError(429);
            }
            tokens -= 1;
        };
        const all = Array.from({ length: n }, () => withRetry(attempt, { method: "GET", path: "/Users", scheduler, budgetMs: 600_000, backoff: defaultBackoff, sleep: vt.sleep }));
        await vt.settle(Promise.all(all));
        return { seconds: vt.clock() / 1000, throttled, sent: scheduler.stats.sent };
    }
    for (const [limit, ceiling, n] of [
        [10, 10, 300],
        [5, 10, 150],
        [2, 10, 60],
    ] as const) {
        it(`a server limited to ${limit}/s under a ceiling of ${ceiling}/s: every request succeeds, in at most 1.3x the lower bound`, async () => {
            const r = await run(limit, ceiling, n);
            const lowerBound = n / limit;
            assert.ok(r.seconds <= 1.3 * lowerBound, `${r.seconds} s for ${n} requests at ${limit}/s (${r.throttled} 429s, ${r.sent} sent)`);
            assert.ok(r.sent <= n * 1.3, `${r.sent} sent`);
        });
    }
});
