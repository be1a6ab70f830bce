import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClaimStore } from "./handover";

/**
 * Claims seen by every provider process of one `pulumi` run. A stack moving
 * between the doors runs two: the dynamic resources' host deletes the old
 * resources while the `invision` plugin's process created (adopted) the new
 * ones, and a claim kept in one process's memory could not stop the other's
 * delete from deactivating everyone it just handed over.
 *
 * Every process of a run shares the engine's address and the `pulumi`
 * process that started it; the claims live in a directory named after both
 * (and that process's start time, so a reused port and pid cannot reach an
 * old run's claims). Each process appends to its own file; a reader picks up
 * what the others appended since it last looked. Directories older than a
 * day are removed.
 */
export function sharedClaims(engineAddress: string, root = DEFAULT_ROOT): ClaimStore | undefined {
    try {
        return new FileClaims(runDirectory(engineAddress, root));
    } catch {
        return undefined;
    }
}

const DEFAULT_ROOT = path.join(os.tmpdir(), "pulumi-invision-claims");

/** The directory every provider process of this `pulumi` run shares (made on first use). */
export function runDirectory(engineAddress: string, root = DEFAULT_ROOT): string {
    const run = createHash("sha256").update(`${engineAddress}\n${process.ppid}\n${startTime(process.ppid)}`).digest("hex").slice(0, 24);
    const dir = path.join(root, run);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    sweep(root, run);
    return dir;
}

class FileClaims implements ClaimStore {
    private readonly own: string;
    private readonly seen = new Map<string, string>();
    private readonly offsets = new Map<string, number>();

    constructor(private readonly dir: string) {
        this.own = path.join(dir, `${process.pid}.claims`);
    }

    put(key: string, label: string): void {
        fs.appendFileSync(this.own, `${JSON.stringify([key, label])}\n`);
    }

    get(key: string): string | undefined {
        this.catchUp();
        return this.seen.get(key);
    }

    /** Reads what other processes appended since the last look. */
    private catchUp(): void {
        for (const name of fs.readdirSync(this.dir)) {
            const file = path.join(this.dir, name);
            // Other files of the run's directory are not claims (diagnostics/once-per-run.ts).
            if (file === this.own || !name.endsWith(".claims")) continue;
            const from = this.offsets.get(file) ?? 0;
            const size = fs.statSync(file).size;
            if (size <= from) continue;
            const fd = fs.openSync(file, "r");
            try {
                const buf = Buffer.alloc(size - from);
                fs.readSync(fd, buf, 0, buf.length, from);
                const text = buf.toString("utf8");
                const complete = text.lastIndexOf("\n") + 1;
                for (const line of text.slice(0, complete).split("\n")) {
                    if (!line) continue;
                    const [k, label] = JSON.parse(line) as [string, string];
                    this.seen.set(k, label);
                }
                this.offsets.set(file, from + Buffer.byteLength(text.slice(0, complete)));
            } finally {
                fs.closeSync(fd);
            }
        }
    }
}

/** The start time of a process (Linux: /proc/<pid>/stat's 22nd field); empty where unknown. */
function startTime(pid: number): string {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
    } catch {
        return "";
    }
}

function sweep(root: string, keep: string): void {
    const dayAgo = Date.now() - 24 * 3600_000;
    for (const name of fs.readdirSync(root)) {
        if (name === keep) continue;
        const dir = path.join(root, name);
        try {
            if (fs.statSync(dir).mtimeMs < dayAgo) fs.rmSync(dir, { recursive: true, force: true });
        } catch {
            // Another run's sweep got there first.
        }
    }
}
