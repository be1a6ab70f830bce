import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BackoffPolicy, jitteredDelay, nextDelay, parseRetryAfter } from "../../provider/scim/backoff";
import { classifyFailure, Failure, FailureKind, Method } from "../../provider/scim/retry";

const policy: BackoffPolicy = { baseDelayMs: 100, maxDelayMs: 1000 };

describe("backoff", () => {
    it("full jitter stays within [0, min(max, base*2^n)]", () => {
        assert.equal(jitteredDelay(policy, 0, () => 0.999), 99);
        assert.equal(jitteredDelay(policy, 3, () => 0.999), 799);
        assert.equal(jitteredDelay(policy, 10, () => 0.999), 999);
        assert.equal(jitteredDelay(policy, 2, () => 0), 0);
    });
    it("holds each wait to what is left of the budget, and stops when nothing is", () => {
        assert.equal(nextDelay(policy, 3, 10_000, () => 0.5), 400);
        assert.equal(nextDelay(policy, 3, 150, () => 0.5), 150);
        assert.equal(nextDelay(policy, 0, 0, () => 0.5), undefined);
        assert.equal(nextDelay(policy, 0, -5, () => 0.5), undefined);
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

describe("classifyFailure", () => {
    const cases: [string, Failure, Method, FailureKind][] = [
        ["429 on GET", { status: 429 }, "GET", "throttled"],
        ["429 on POST: the server did nothing", { status: 429 }, "POST", "throttled"],
        ["503 on GET", { status: 503 }, "GET", "transient"],
        ["503 on POST: the object may exist", { status: 503 }, "POST", "final"],
        ["502 on PATCH", { status: 502 }, "PATCH", "transient"],
        ["500 on DELETE", { status: 500 }, "DELETE", "transient"],
        ["500 on PUT", { status: 500 }, "PUT", "transient"],
        ["501 is not transient", { status: 501 }, "GET", "final"],
        ["505 is not transient", { status: 505 }, "GET", "final"],
        ["404", { status: 404 }, "GET", "final"],
        ["409", { status: 409 }, "POST", "final"],
        ["no answer on GET", { code: "ECONNRESET" }, "GET", "transient"],
        ["no answer on POST", { code: "ECONNRESET" }, "POST", "final"],
        ["timeout on PATCH", { code: "ECONNABORTED" }, "PATCH", "transient"],
        ["500 tooMany on POST", { status: 500, scimType: "tooMany" }, "POST", "throttled"],
        ["503 'Rate limit exceeded'", { status: 503, detail: "Rate limit exceeded" }, "POST", "throttled"],
        ["500 'Too Many Requests'", { status: 500, detail: "Too Many Requests, slow down" }, "GET", "throttled"],
        ["503 'request throttled'", { status: 503, detail: "request throttled" }, "PATCH", "throttled"],
        ["500 'server overloaded'", { status: 500, detail: "server overloaded" }, "POST", "throttled"],
        ["500 'ratelimit'", { status: 500, detail: "ratelimit hit" }, "GET", "throttled"],
        ["503 with Retry-After", { status: 503, retryAfterMs: 2000 }, "POST", "throttled"],
        ["500 with an unrelated detail on POST", { status: 500, detail: "database error" }, "POST", "final"],
        ["502 whose body says overload is only transient (not a documented overload signal)", { status: 502, detail: "overload" }, "GET", "transient"],
    ];
    for (const [name, failure, method, want] of cases) {
        it(`${name} -> ${want}`, () => assert.equal(classifyFailure(failure, method), want));
    }
});
