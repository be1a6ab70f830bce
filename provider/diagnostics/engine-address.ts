/**
 * The engine's address among a provider plugin's arguments. The engine starts
 * every plugin with its flags first (`--logtostderr`, `-v=9`, `--tracing
 * <url>`, `--logflow`) and its own gRPC address last; the SDK's hosts read it
 * the same way. Pure, unit-tested.
 */
export function engineAddress(args: readonly string[]): string | undefined {
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--tracing" || a === "--root") {
            i++;
            continue;
        }
        if (a.startsWith("-")) continue;
        positional.push(a);
    }
    const address = positional[0];
    return address !== undefined && /^[\w.\-[\]:]+:\d+$/.test(address) ? address : undefined;
}
