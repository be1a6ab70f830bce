import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runDirectory } from "../safety/shared-claims";

/**
 * Whether this process is the first of its `pulumi` run to say `text`. The
 * engine may start the same provider more than once in a run (a provider
 * being replaced is loaded to check its configuration, and again to diff
 * it), and each process would say the same sentence. The first to create
 * the sentence's file in the run's shared directory says it. Without an
 * engine address (a test), or if the directory cannot be written, every
 * process says it: a sentence said twice beats one never said.
 */
export function firstInRun(engineAddress: string | undefined, text: string): boolean {
    if (!engineAddress) return true;
    try {
        const file = path.join(runDirectory(engineAddress), `said-${createHash("sha256").update(text).digest("hex").slice(0, 24)}`);
        fs.writeFileSync(file, "", { flag: "wx", mode: 0o600 });
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code !== "EEXIST";
    }
}
