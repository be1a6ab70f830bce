/** A seeded random source (mulberry32): a failing case replays from its seed. */
export class Random {
    private state: number;

    constructor(readonly seed: number) {
        this.state = seed >>> 0;
    }

    next(): number {
        let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    pick<T>(xs: readonly T[]): T {
        if (xs.length === 0) throw new Error("pick from nothing");
        return xs[this.int(xs.length)];
    }

    chance(p: number): boolean {
        return this.next() < p;
    }
}
