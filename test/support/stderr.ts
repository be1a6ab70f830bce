/** Runs `f` and returns what was written to stderr meanwhile (the provider's warnings), instead of printing it. */
export async function stderrOf<T>(f: () => Promise<T>): Promise<{ result: T; err: string }> {
    const lines: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => (lines.push(String(s)), true)) as typeof process.stderr.write;
    try {
        return { result: await f(), err: lines.join("") };
    } finally {
        process.stderr.write = orig;
    }
}
