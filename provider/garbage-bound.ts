import * as v8 from "node:v8";
import * as vm from "node:vm";

/**
 * Keeps the provider process's garbage bounded when the engine calls it many
 * thousands of times in a row (a `refresh` of a large tenant).
 *
 * Measured at 10,000 users (`npm run bench:scale`): the objects live in the
 * provider are about 70 MB (the SDK, our modules, the tenant's listing), yet
 * its resident memory climbed to 320 MiB within six seconds of reads served
 * from the listing, then fell back to 240 after V8's first full collection.
 * V8 lets the heap grow to a multiple of what was live at its last full
 * collection before it collects again, and it grows further when the machine
 * is busy and its background marking falls behind; each read allocates about
 * 60 KB (mostly the SDK host's protobuf conversions) that survives just long
 * enough to be promoted. The host process is the SDK's, started without our
 * flags (`--max-old-space-size` cannot be set once V8 runs), so the bound is
 * kept from inside: after each provider call, if the heap has grown by more
 * than `slack` since the last full collection, collect now. At 10,000 reads
 * that is a handful of collections of a ~70 MB heap, tens of milliseconds each.
 */

export const DEFAULT_SLACK_BYTES = 64 * 2 ** 20;

/** Pure: whether the heap has outgrown what was live after the last collection by more than the slack. */
export function overBound(usedBytes: number, liveAfterLastCollection: number, slackBytes: number): boolean {
    return usedBytes - liveAfterLastCollection > slackBytes;
}

export class GarbageBound {
    private live?: number;
    /** How many collections this bound has asked for: for tests and logs. */
    collections = 0;

    constructor(
        private readonly collect: (() => void) | undefined,
        private readonly used: () => number = () => v8.getHeapStatistics().used_heap_size,
        private readonly slackBytes = DEFAULT_SLACK_BYTES,
    ) {}

    /** After a provider call: collect if the garbage since the last collection exceeds the slack. */
    check(): void {
        if (!this.collect) return;
        const used = this.used();
        if (this.live === undefined) {
            this.live = used;
            return;
        }
        if (!overBound(used, this.live, this.slackBytes)) return;
        this.collect();
        this.collections++;
        this.live = this.used();
    }
}

/**
 * V8's full collection, as `--expose-gc` gives it, without asking the host to
 * start Node with that flag: the flag, set now, adds `gc` to contexts created
 * after it (nothing else changes), and a fresh context hands it over.
 * Undefined where that is refused (a runtime without the flag), and then the
 * bound does nothing: V8's own policy, only with a higher peak.
 */
export function fullCollection(): (() => void) | undefined {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === "function") return () => existing();
    try {
        v8.setFlagsFromString("--expose-gc");
        const gc: unknown = vm.runInNewContext("typeof gc === 'function' ? gc : undefined");
        return typeof gc === "function" ? () => (gc as () => void)() : undefined;
    } catch {
        return undefined;
    }
}
