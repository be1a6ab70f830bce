import * as fs from "node:fs";

/**
 * Peak resident memory of the processes a `pulumi` run starts in one project
 * directory, by role, from Linux's /proc (VmHWM: the high-water mark of the
 * resident set, kept by the kernel, so sampling it now and then still gives
 * the peak up to the last sample). Matching on the working directory keeps
 * other projects' processes, e.g. a test suite running alongside, out.
 */

export type Role = "provider" | "program" | "engine";

/** What a process's command line says it is; undefined for the rest. */
function roleOf(argv: string[]): Role | undefined {
    const joined = argv.join(" ");
    if (joined.includes("cmd/dynamic-provider")) return "provider";
    if (joined.includes("cmd/run")) return "program";
    if (argv[0]?.endsWith("/pulumi")) return "engine";
    return undefined;
}

function read(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined; // the process ended, or is not ours to read
    }
}

export interface PeakSampler {
    /** The highest VmHWM seen per role since the last reset, in MiB (0: never seen). */
    peaks(): Record<Role, number>;
    reset(): void;
    stop(): void;
}

export function samplePeakMemory(cwd: string, everyMs = 200): PeakSampler {
    let peak: Record<Role, number> = { provider: 0, program: 0, engine: 0 };
    const real = fs.realpathSync(cwd);
    const available = fs.existsSync("/proc/self/status");
    const sample = () => {
        for (const pid of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(pid)) continue;
            const role = roleOf((read(`/proc/${pid}/cmdline`) ?? "").split("\0"));
            if (!role) continue;
            let dir: string;
            try {
                dir = fs.readlinkSync(`/proc/${pid}/cwd`);
            } catch {
                continue;
            }
            if (dir !== real) continue;
            const kb = Number(/VmHWM:\s*(\d+)/.exec(read(`/proc/${pid}/status`) ?? "")?.[1] ?? 0);
            peak[role] = Math.max(peak[role], kb / 1024);
        }
    };
    const timer = available ? setInterval(sample, everyMs) : undefined;
    return {
        peaks: () => {
            if (available) sample();
            return { ...peak };
        },
        reset: () => {
            peak = { provider: 0, program: 0, engine: 0 };
        },
        stop: () => clearInterval(timer),
    };
}
