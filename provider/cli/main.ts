#!/usr/bin/env node
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigurationError, resolveSettings } from "../config";
import { exportTenant } from "../roster/export";
import { ScimClient } from "../scim/client";

const USAGE = `Usage: pulumi-invision export --out FILE [--base-url URL] [--token-file FILE]
       pulumi-invision --help

Reads every user and group from an InVision SCIM endpoint and writes a roster
file that matches the tenant exactly; commit it and \`pulumi up\` adopts them.

Connection: --base-url, or INVISION_SCIM_BASE_URL; the token from the file
named by --token-file, or INVISION_SCIM_TOKEN. (No --token flag: a token on the
command line ends up in shell history and process listings.)
`;

export class UsageError extends Error {}

export interface ExportArgs {
    help: boolean;
    out?: string;
    baseUrl?: string;
    tokenFile?: string;
}

/**
 * `pulumi-invision` arguments, parsed strictly by `node:util`'s `parseArgs`:
 * an unknown flag, a missing value, a stray positional or a repeated flag is a
 * UsageError, never an option silently ignored. There is no --token flag.
 */
export function parseExportArgs(argv: string[]): ExportArgs {
    const string = { type: "string" } as const;
    const parse = () =>
        parseArgs({
            args: argv,
            strict: true,
            allowPositionals: true,
            tokens: true,
            options: { out: string, "base-url": string, "token-file": string, help: { type: "boolean", short: "h" } },
        });
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse();
    } catch (e) {
        const message = (e as Error).message;
        if (argv.some((a) => /^--token(=|$)/.test(a))) {
            throw new UsageError("there is no --token flag (a token on the command line ends up in shell history); use --token-file FILE or INVISION_SCIM_TOKEN");
        }
        throw new UsageError(message);
    }
    const { values, positionals, tokens } = parsed;
    if (values.help) return { help: true };
    const [command, ...extra] = positionals;
    if (command === undefined) throw new UsageError("missing command: export");
    // Arguments are never echoed: a token pasted in the wrong place would end up in a log.
    if (command !== "export") throw new UsageError("unknown command; the only command is export");
    if (extra.length > 0) throw new UsageError(`${extra.length} unexpected argument(s) after export`);
    const seen = new Set<string>();
    for (const t of tokens ?? []) {
        if (t.kind !== "option") continue;
        if (seen.has(t.name)) throw new UsageError(`--${t.name} given more than once`);
        seen.add(t.name);
    }
    for (const [name, v] of Object.entries(values)) {
        if (typeof v === "string" && (v.trim() === "" || v.startsWith("--"))) throw new UsageError(`--${name} needs a value (got an empty one or another flag)`);
    }
    if (values.out === undefined) throw new UsageError("--out FILE is required");
    return { help: false, out: values.out, baseUrl: values["base-url"], tokenFile: values["token-file"] };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let args: ExportArgs;
    try {
        args = parseExportArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`pulumi-invision: ${e.message}\n\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    const out = args.out!;
    try {
        const fromFlags: Record<string, string | undefined> = {
            "invision:scimBaseUrl": args.baseUrl,
            "invision:scimToken": args.tokenFile !== undefined ? readTokenFile(args.tokenFile) : undefined,
        };
        const settings = resolveSettings((k) => fromFlags[k], env);
        const client = new ScimClient({
            ...settings,
            log: (l) => env.PULUMI_INVISION_LOG && process.stderr.write(`[invision] ${l}\n`),
            // Pauses for the server's limit and the figures: a long export is not mistaken for a hang.
            say: (l) => process.stderr.write(`[invision] ${l}\n`),
        });
        const { roster, yaml, warnings } = await exportTenant(client);
        fs.writeFileSync(out, yaml);
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        process.stderr.write(`Wrote ${out}: ${roster.users?.length ?? 0} users (${roster.users?.filter((u) => u.active === false).length ?? 0} deactivated), ${roster.groups?.length ?? 0} groups.\n`);
        return 0;
    } catch (e) {
        process.stderr.write(`pulumi-invision: ${e instanceof ConfigurationError ? e.message : (e as Error).message}\n`);
        return 1;
    }
}

function readTokenFile(file: string): string {
    try {
        return fs.readFileSync(file, "utf8").trim();
    } catch (e) {
        throw new Error(`cannot read --token-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
