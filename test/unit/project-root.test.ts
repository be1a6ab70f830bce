import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { projectRootFrom } from "../../provider/roster/project-root";

function tree(files: Record<string, string>): string {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "invision-root-")));
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
    }
    return root;
}

describe("the project root a plugin resolves a roster path from", () => {
    it("is the working directory when Pulumi.yaml sets no main", () => {
        const root = tree({ "Pulumi.yaml": "name: p\nruntime: yaml\n" });
        assert.equal(projectRootFrom(root), root);
    });

    it("is the directory of Pulumi.yaml when its main names the working directory (main: prog/)", () => {
        const root = tree({ "Pulumi.yaml": "name: p\nruntime: yaml\nmain: prog/\n", "prog/Main.yaml": "resources: {}\n" });
        assert.equal(projectRootFrom(path.join(root, "prog")), root);
    });

    it("and when main names a file in it", () => {
        const root = tree({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: src/index.js\n", "src/index.js": "" });
        assert.equal(projectRootFrom(path.join(root, "src")), root);
    });

    it("is not a Pulumi.yaml above whose main names another directory", () => {
        const root = tree({ "Pulumi.yaml": "name: outer\nruntime: yaml\nmain: elsewhere/\n", "elsewhere/Main.yaml": "", "inner/Pulumi.yaml": "name: inner\nruntime: yaml\n" });
        assert.equal(projectRootFrom(path.join(root, "inner")), path.join(root, "inner"));
        // No project file says it runs here: the working directory itself.
        fs.mkdirSync(path.join(root, "lost"));
        assert.equal(projectRootFrom(path.join(root, "lost")), path.join(root, "lost"));
    });
});
