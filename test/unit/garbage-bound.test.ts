import assert from "node:assert/strict";
import { test } from "node:test";
import { fullCollection, GarbageBound, overBound } from "../../provider/garbage-bound";

const MiB = 2 ** 20;

test("overBound: only growth beyond the slack since the last collection counts", () => {
    assert.equal(overBound(100 * MiB, 70 * MiB, 64 * MiB), false);
    assert.equal(overBound(134 * MiB, 70 * MiB, 64 * MiB), false);
    assert.equal(overBound(135 * MiB, 70 * MiB, 64 * MiB), true);
});

test("GarbageBound collects once the heap outgrows the slack, then measures from what is live after", () => {
    let used = 50 * MiB;
    let collected = 0;
    // A collection leaves 60 MiB live (the tenant's listing stays).
    const bound = new GarbageBound(() => ((used = 60 * MiB), collected++), () => used, 64 * MiB);
    bound.check(); // the first call only takes the measure
    used = 110 * MiB;
    bound.check();
    assert.equal(collected, 0, "60 MiB of growth is within the slack");
    used = 115 * MiB;
    bound.check();
    assert.equal(collected, 1);
    assert.equal(used, 60 * MiB);
    used = 120 * MiB; // 60 above the new live size: within the slack
    bound.check();
    assert.equal(collected, 1);
    used = 125 * MiB;
    bound.check();
    assert.equal(collected, 2);
    assert.equal(bound.collections, 2);
});

test("GarbageBound does nothing where no full collection is available", () => {
    let asked = 0;
    const bound = new GarbageBound(undefined, () => (asked++, 10_000 * MiB));
    bound.check();
    bound.check();
    assert.equal(asked, 0, "the heap is not even measured");
});

test("fullCollection gives V8's full collection without --expose-gc on the command line, and it frees garbage", () => {
    assert.equal(process.execArgv.includes("--expose-gc"), false, "this test runs without the flag, as the provider host does");
    const gc = fullCollection();
    assert.ok(gc, "a full collection is available");
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () => new Array(50_000).fill(1.5));
    const before = process.memoryUsage().heapUsed;
    garbage = undefined;
    void garbage;
    gc();
    const after = process.memoryUsage().heapUsed;
    assert.ok(before - after > 40 * MiB, `a full collection freed ${((before - after) / MiB).toFixed(0)} MiB of the ~76 MiB dropped`);
});
