import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getModuleFromPath } = require("@pulumi/pulumi/runtime/closure/package") as { getModuleFromPath(p: string, pkg?: unknown): string };

/**
 * The module paths written into users' state (`__provider`) are a
 * compatibility promise: package.json "exports" must keep mapping them, and
 * the SDK must keep naming our provider modules by them.
 */
const repo = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
// Inside this checkout the name resolves to the checkout itself (package self-reference), through
// the same "exports" map an installed copy has, so a path missing from the map fails here too.
const resolves = (id: string) => fs.existsSync(require.resolve(id));

describe("package exports", () => {
    it("the SDK names each provider module by its stable path", () => {
        for (const kind of ["user", "group"]) {
            assert.equal(getModuleFromPath(`pulumi-invision/dist/dynamic/${kind}.js`, pkg), `pulumi-invision/provider/${kind}`);
        }
    });

    it("every path state may hold resolves", () => {
        const written = [
            "pulumi-invision/provider/user", // this version
            "pulumi-invision/provider/group",
            "pulumi-invision/runtime", // 0.1.0's closures
            // What the SDK writes when it reads the wrong package.json: it takes the first
            // "pulumi-invision" in the installed path, so a program directory named like
            // ~/pulumi-invision-access makes it fall back to the file's own path.
            "pulumi-invision/dist/dynamic/user.js",
            "pulumi-invision/dist/dynamic/group.js",
        ];
        for (const id of written) assert.ok(resolves(id), id);
    });

    it("the root, the emulator and package.json stay importable", () => {
        for (const id of ["pulumi-invision", "pulumi-invision/emulator", "pulumi-invision/package.json"]) assert.ok(resolves(id), id);
    });
});
