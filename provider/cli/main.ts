#!/usr/bin/env node
import * as fs from "node:fs";
import { ConfigurationError, resolveSettings } from "../config";
import { exportTenant } from "../roster/export";
import { ScimClient } from "../scim/client";
import { parseStrict, UsageError } from "./args";
import { runStateCommand, STATE_COMMANDS, STATE_USAGE, StateCommand } from "./state-commands";

const COMMANDS = ["export", ...STATE_COMMANDS];

const USAGE = `Usage: pulumi-invision export --out FILE [--base-url URL] [--token-file FILE]
${STATE_USAGE.split("\n\n")[0]}
       pulumi-invision --help

export: reads every user and group from an InVision SCIM endpoint and writes
a roster file that matches the tenant exactly; commit it and \`pulumi up\`
adopts them. Connection: --base-url, or INVISION_SCIM_BASE_URL; the token from
the file named by --token-file, or INVISION_SCIM_TOKEN. (No --token flag: a
token on the command line ends up in shell history and process listings.)

${STATE_USAGE.split("\n\n").slice(1).join("\n\n")}`;

export { UsageError };

export interface ExportArgs {
    help: boolean;
    out?: string;
    baseUrl?: string;
    tokenFile?: string;
}

/**
 * `pulumi-invision export` arguments (see parseStrict). There is no --token flag.
 */
export function parseExportArgs(argv: string[]): ExportArgs {
    const string = { type: "string" } as const;
    const { values, positionals } = parseStrict(argv, { out: string, "base-url": string, "token-file": string, help: { type: "boolean", short: "h" } }, (message) =>
        argv.some((a) => /^--token(=|$)/.test(a)) ? "there is no --token flag (a token on the command line ends up in shell history); use --token-file FILE or INVISION_SCIM_TOKEN" : message,
    );
    if (values.help) return { help: true };
    const [command, ...extra] = positionals;
    if (command === undefined) throw new UsageError(`missing command: ${COMMANDS.join(", ")}`);
    // Arguments are never echoed: a token pasted in the wrong place would end up in a log.
    if (command !== "export") throw new UsageError(`unknown command; the commands are ${COMMANDS.join(", ")}`);
    if (extra.length > 0) throw new UsageError(`${extra.length} unexpected argument(s) after export`);
    if (values.out === undefined) throw new UsageError("--out FILE is required");
    return { help: false, out: values.out, baseUrl: values["base-url"], tokenFile: values["token-file"] };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const [first, ...rest] = argv;
    if ((STATE_COMMANDS as readonly string[]).includes(first) && !rest.some((a) => a === "--help" || a === "-h")) return runStateCommand(first as StateCommand, rest, env);
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
