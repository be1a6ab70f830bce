import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

/**
 * Issue 21: a write outside the plan cannot be added without changing the
 * one place that writes (provider/plan/writes.ts). The SCIM client's write
 * operations are called from there and from inside the client (scim/, which
 * implements them), nowhere else.
 */
const root = path.resolve(__dirname, "..", "..", "provider");
const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : []));
const WRITE = /\.(users\.(create|patch|delete)|groups\.(create|rename|changeMembers|delete))\(/;

describe("every write to InVision goes through plan/writes.ts", () => {
    it("no other module of the provider calls the client's write operations", () => {
        const offenders = files(root)
            .filter((f) => !f.startsWith(path.join(root, "scim") + path.sep) && !f.startsWith(path.join(root, "emulator") + path.sep) && f !== path.join(root, "plan", "writes.ts"))
            .flatMap((f) =>
                fs
                    .readFileSync(f, "utf8")
                    .split("\n")
                    .map((line, i) => ({ line, at: `${path.relative(root, f)}:${i + 1}` }))
                    .filter(({ line }) => WRITE.test(line) && !/^\s*(\*|\/\/)/.test(line)),
            )
            .map(({ at, line }) => `${at}: ${line.trim()}`);
        assert.deepEqual(offenders, []);
    });
    it("writes.ts does call them (the scan looks at the right thing)", () => {
        assert.match(fs.readFileSync(path.join(root, "plan", "writes.ts"), "utf8"), WRITE);
    });
});
