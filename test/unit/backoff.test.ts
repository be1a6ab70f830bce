import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BackoffPolicy, jitteredDelay, nextDelay, parseRetryAfter } from "../../provider/scim/backoff";
import { ScimError } from "../../provider/scim/errors";
import { isRetryable, withRetry } from "../../provider/scim/retry";

const policy: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 2500 };

describe("backoff", () => {
    it("full jitter stays within [0, min(max, base*2^n)]", () => {
        assert.equal(jitteredDelay(policy, 0, () => 0.999), 99);
        assert.equal(jitteredDelay(policy, 3, () => 0.999), 799);
        assert.equal(jitteredDelay(policy, 10, () => 0.999), 999);
        assert.equal(jitteredDelay(policy, 2, () => 0), 0);
    });
    it("gives up after maxAttempts", () => {
        assert.notEqual(nextDelay(policy, 3, 0, undefined, () => 0.5), undefined);
        assert.equal(nextDelay(policy, 4, 0, undefined, () => 0.5), undefined);
    });
    it("holds the total wait to its budget", () => {
        assert.equal(nextDelay(policy, 1, 2400, 200), undefined);
        assert.equal(nextDelay(policy, 1, 2000, 400), 400);
    });
    it("prefers Retry-After over jitter", () => {
        assert.equal(nextDelay(policy, 0, 0, 700, () => 0), 700);
    });
    it("parses Retry-After seconds and HTTP dates", () => {
        assert.equal(parseRetryAfter("3"), 3000);
        assert.equal(parseRetryAfter(" 0 "), 0);
        const now = Date.parse("Mon, 23 Nov 2026 10:00:00 GMT");
        assert.equal(parseRetryAfter("Mon, 23 Nov 2026 10:00:05 GMT", now), 5000);
        assert.equal(parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now), 0);
        assert.equal(parseRetryAfter("soon"), undefined);
        assert.equal(parseRetryAfter(undefined), undefined);
        assert.equal(parseRetryAfter(""), undefined);
    });
});

describe("retry policy", () => {
    const err = (status?: number) => new ScimError("x", status, undefined, "GET", "/Users", status === undefined ? "ECONNRESET" : undefined);
    it("retries 429 always, 5xx and network only when idempotent", () => {
        assert.equal(isRetryable(err(429), false), true);
        assert.equal(isRetryable(err(503), true), true);
        assert.equal(isRetryable(err(503), false), false);
        assert.equal(isRetryable(err(undefined), true), true);
        assert.equal(isRetryable(err(undefined), false), false);
        assert.equal(isRetryable(err(501), true), false);
        assert.equal(isRetryable(err(404), true), false);
        assert.equal(isRetryable(new Error("x"), true), false);
    });
    it("retries until success and sleeps the computed delays", async () => {
        const slept: number[] = [];
        let calls = 0;
        const out = await withRetry(
            async () => {
                if (++calls < 3) throw err(503);
                return "ok";
            },
            policy,
            true,
            { sleep: async (ms) => void slept.push(ms), random: () => 0.5 },
        );
        assert.equal(out, "ok");
        assert.equal(calls, 3);
        assert.deepEqual(slept, [50, 100]);
    });
    it("stops at maxAttempts and says so", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw err(500);
                },
                policy,
                true,
                { sleep: async () => undefined, random: () => 0 },
            ),
            /gave up after 5 attempts/,
        );
        assert.equal(calls, 5);
    });
});
