/**
 * A token bucket over every SCIM request: what "10 requests a second" means on
 * a real server. A refused request costs no token, so a client that hammers
 * the server does not dig itself a deeper hole than the rate says.
 */
import type { RateLimitOptions } from "./options";

export class TokenBucket {
    private tokens: number;
    private last: number;
    readonly capacity: number;

    constructor(
        private readonly limit: RateLimitOptions,
        private readonly clock: () => number = Date.now,
    ) {
        if (!(limit.perSecond > 0)) throw new Error(`rateLimit.perSecond must be > 0, got ${limit.perSecond}`);
        // Default burst: one second's worth, so a quiet client starts at full speed.
        this.capacity = Math.max(1, limit.burst ?? Math.ceil(limit.perSecond));
        this.tokens = this.capacity;
        this.last = this.clock();
    }

    /** Takes a token, or says how many seconds until one is there. */
    take(): { ok: true } | { ok: false; waitSeconds: number } {
        const t = this.clock();
        this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
        this.last = t;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return { ok: true };
        }
        return { ok: false, waitSeconds: (1 - this.tokens) / this.limit.perSecond };
    }

    /** The Retry-After header for a refusal, if the limit is configured to send one. */
    retryAfter(waitSeconds: number): Record<string, string> {
        const seconds = Math.max(1, Math.ceil(waitSeconds));
        switch (this.limit.retryAfter ?? "none") {
            case "seconds":
                return { "Retry-After": String(seconds) };
            case "date":
                return { "Retry-After": new Date(this.clock() + seconds * 1000).toUTCString() };
            default:
                return {};
        }
    }

    get status(): 429 | 500 | 503 {
        return this.limit.status ?? 429;
    }
}
