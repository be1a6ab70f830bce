import { parseArgs, ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: true; tokens: true; options: O }>>;

/**
 * Arguments parsed strictly by `node:util`'s `parseArgs`: an unknown flag, a
 * missing value, a repeated flag (unless declared `multiple`) or an empty one
 * is a UsageError, never an option silently ignored. Values are never echoed:
 * a token pasted in the wrong place must not reach a log.
 */
export function parseStrict<O extends Options>(argv: string[], options: O, onError?: (message: string) => string): Parsed<O> {
    const parse = (): Parsed<O> => parseArgs({ args: argv, strict: true, allowPositionals: true, tokens: true, options });
    let parsed: Parsed<O>;
    try {
        parsed = parse();
    } catch (e) {
        const message = (e as Error).message;
        throw new UsageError(onError ? onError(message) : message);
    }
    const seen = new Set<string>();
    for (const t of parsed.tokens ?? []) {
        if (t.kind !== "option" || options[t.name]?.multiple) continue;
        if (seen.has(t.name)) throw new UsageError(`--${t.name} given more than once`);
        seen.add(t.name);
    }
    for (const [name, v] of Object.entries(parsed.values)) {
        for (const one of Array.isArray(v) ? v : [v]) {
            if (typeof one === "string" && (one.trim() === "" || one.startsWith("--"))) throw new UsageError(`--${name} needs a value (got an empty one or another flag)`);
        }
    }
    return parsed;
}
