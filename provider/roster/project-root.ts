import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The project's root (the directory of Pulumi.yaml), where a roster path is
 * relative to, seen from a provider plugin. The engine starts plugins in the
 * program's directory: the root, or, with `main: prog/` in Pulumi.yaml, that
 * directory (the directory of the file, when `main` names a file). The
 * plugin is told neither, and the SDK's getRootDirectory() reads a variable
 * only the Node.js language host sets, so the root is the nearest directory
 * at or above `cwd` whose project file puts its program in `cwd`.
 */
export function projectRootFrom(cwd: string): string {
    const here = real(cwd);
    for (let dir = here; ; dir = path.dirname(dir)) {
        const main = projectMain(dir);
        if (main !== undefined && programDirectory(dir, main) === here) return dir;
        if (path.dirname(dir) === dir) return here;
    }
}

/** `main` of the project file in `dir` ("" when it sets none), or undefined when there is no project file. */
function projectMain(dir: string): string | undefined {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
        let text: string;
        try {
            text = fs.readFileSync(path.join(dir, name), "utf8");
        } catch {
            continue;
        }
        try {
            const main = (parse(text) as { main?: unknown } | null)?.main;
            return typeof main === "string" ? main : "";
        } catch {
            return "";
        }
    }
    return undefined;
}

/** Where the engine runs the program of a project rooted at `root` (its getPwdMain). */
function programDirectory(root: string, main: string): string | undefined {
    if (main === "") return root;
    const target = path.resolve(root, main);
    try {
        return fs.statSync(target).isDirectory() ? real(target) : real(path.dirname(target));
    } catch {
        return undefined;
    }
}

function real(p: string): string {
    try {
        return fs.realpathSync(p);
    } catch {
        return path.resolve(p);
    }
}
