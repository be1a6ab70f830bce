/**
 * Seeded probabilistic faults. Every request draws the same number of random
 * numbers whatever happens to it, so the n-th request meets the same fate for
 * a given seed, however the earlier ones went.
 */
import type { ChaosOptions } from "./options";

/** mulberry32: a tiny 32-bit PRNG, plenty for picking faults reproducibly. */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface ChaosDecision {
    latencyMs: number;
    /** Destroy the connection before processing. */
    drop: boolean;
    /** Answer with this status without processing. */
    errorStatus?: number;
    /** Process, then destroy the connection. */
    lose: boolean;
}

export class Chaos {
    private readonly next: () => number;

    constructor(private readonly options: ChaosOptions) {
        for (const k of ["errorRate", "dropRate", "lostResponseRate"] as const) {
            const v = options[k];
            if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`chaos.${k} must be between 0 and 1, got ${v}`);
        }
        this.next = mulberry32(options.seed);
    }

    decide(): ChaosDecision {
        const [rDrop, rError, rStatus, rLost, rLatency] = [this.next(), this.next(), this.next(), this.next(), this.next()];
        const o = this.options;
        const statuses = o.errorStatuses && o.errorStatuses.length > 0 ? o.errorStatuses : [500, 503];
        const latency = Array.isArray(o.latencyMs) ? o.latencyMs[0] + Math.round(rLatency * (o.latencyMs[1] - o.latencyMs[0])) : (o.latencyMs ?? 0);
        const drop = rDrop < (o.dropRate ?? 0);
        const error = !drop && rError < (o.errorRate ?? 0);
        return {
            latencyMs: latency,
            drop,
            errorStatus: error ? statuses[Math.floor(rStatus * statuses.length)] : undefined,
            lose: !drop && !error && rLost < (o.lostResponseRate ?? 0),
        };
    }
}
