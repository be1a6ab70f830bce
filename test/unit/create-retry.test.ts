import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createWithLookup } from "../../provider/scim/create-retry";
import { ScimError } from "../../provider/scim/errors";

const lost = () => new ScimError("InVision SCIM POST /Users got no response (ECONNRESET).", undefined, undefined, "POST", "/Users", "ECONNRESET");
const failed = (status: number) => new ScimError(`InVision SCIM POST /Users failed with ${status}.`, status, undefined, "POST", "/Users");

/** A fake clock: sleeping advances it, so the budget is spent without waiting. */
function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe("a create whose answer may have been lost", () => {
    it("is looked up before it is sent again, and adopted if it landed", async () => {
        const c = clock();
        let posts = 0;
        const r = await createWithLookup(async () => (posts++, Promise.reject(lost())), async () => ({ id: "u1" }), 60_000, undefined, c.sleep, c.now);
        assert.deepEqual(r, { found: { id: "u1" } });
        assert.equal(posts, 1, "never re-sent once it is found");
    });

    it("is sent again, with backoff, until it succeeds: many failures in a row are not the end", async () => {
        const c = clock();
        let posts = 0;
        const r = await createWithLookup(
            async () => {
                posts++;
                if (posts < 8) throw posts % 2 ? failed(503) : lost();
                return { status: 201, data: { id: "u2" } };
            },
            async () => undefined,
            600_000,
            undefined,
            c.sleep,
            c.now,
        );
        assert.ok("posted" in r);
        assert.equal(posts, 8);
    });

    it("gives up when the retry budget is spent, and says which setting to raise", async () => {
        const c = clock();
        await assert.rejects(createWithLookup(async () => Promise.reject(failed(500)), async () => undefined, 5_000, undefined, c.sleep, c.now), /retry budget of 5 s; raise invision:retryBudgetSeconds/);
        assert.ok(c.now() <= 5_000);
    });

    it("a refusal (4xx, 501) is final at once: the server said it did nothing", async () => {
        const c = clock();
        let lookups = 0;
        await assert.rejects(createWithLookup(async () => Promise.reject(failed(409)), async () => (lookups++, undefined), 60_000, undefined, c.sleep, c.now), /409/);
        await assert.rejects(createWithLookup(async () => Promise.reject(failed(501)), async () => (lookups++, undefined), 60_000, undefined, c.sleep, c.now), /501/);
        assert.equal(lookups, 0);
    });
});
