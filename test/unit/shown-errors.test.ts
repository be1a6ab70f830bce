import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDeliberate, shownOnce } from "../../provider/dynamic/shown-errors";
import { GuardError } from "../../provider/safety/guard";

// What reaches stderr: captured under the wrapper shownOnce installs on first use, as in the provider process.
const printed: string[] = [];
console.error = (...args: unknown[]) => void printed.push(args.map(String).join(" "));

/** A failed call as the SDK's dynamic-provider host handles it for check, diff and delete: it prints `${e}: ${e.stack}`. */
async function failAsTheHostShowsIt(error: Error): Promise<string[]> {
    printed.length = 0;
    try {
        await shownOnce(async () => {
            throw error;
        });
        assert.fail("the call must fail");
    } catch (e) {
        assert.equal(e, error, "the engine still gets the error");
        console.error(`${e}: ${(e as Error).stack}`);
    }
    return [...printed];
}

describe("a refusal is shown once, without a stack", () => {
    it("tells refusals from programming errors", () => {
        assert.equal(isDeliberate(new GuardError("Refused by the deletion guard")), true);
        assert.equal(isDeliberate(new Error("InVision group 'X' no longer exists")), true);
        assert.equal(isDeliberate(new TypeError("x is undefined")), false);
        assert.equal(isDeliberate("a string"), false);
    });
    it("the host's stack print of a refusal is dropped: the engine shows its message once", async () => {
        assert.deepEqual(await failAsTheHostShowsIt(new GuardError("Refused by the deletion guard, nothing was sent")), []);
    });
    it("a programming error keeps its stack", async () => {
        const out = await failAsTheHostShowsIt(new TypeError("cannot read properties of undefined"));
        assert.equal(out.length, 1);
        assert.match(out[0], /TypeError: cannot read properties of undefined: TypeError[\s\S]*at /);
    });
    it("other lines pass", async () => {
        printed.length = 0;
        console.error("a line of someone else's");
        assert.deepEqual(printed, ["a line of someone else's"]);
    });
});
