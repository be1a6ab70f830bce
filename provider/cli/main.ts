#!/usr/bin/env node
import * as fs from "node:fs";
import { ConfigurationError, resolveSettings } from "../config";
import { exportTenant } from "../roster/export";
import { ScimClient } from "../scim/client";

const USAGE = `Usage: pulumi-invision export --out FILE [--base-url URL] [--token-file FILE]

Reads every user and group from an InVision SCIM endpoint and writes a roster
file that matches the tenant exactly; commit it and \`pulumi up\` adopts them.

Connection: --base-url, or INVISION_SCIM_BASE_URL; the token from the file
named by --token-file, or INVISION_SCIM_TOKEN. (No --token flag: a token on the
command line ends up in shell history and process listings.)
`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const [command, ...rest] = argv;
    if (command !== "export" || rest.includes("--help") || rest.includes("-h")) {
        process.stderr.write(USAGE);
        return command === "--help" || command === "-h" || rest.includes("--help") ? 0 : 2;
    }
    const flags = new Map<string, string>();
    for (let i = 0; i < rest.length; i += 2) {
        if (!rest[i].startsWith("--") || rest[i + 1] === undefined) {
            process.stderr.write(`pulumi-invision: unexpected argument '${rest[i]}'\n${USAGE}`);
            return 2;
        }
        flags.set(rest[i].slice(2), rest[i + 1]);
    }
    const unknown = [...flags.keys()].filter((k) => !["out", "base-url", "token-file"].includes(k));
    if (unknown.length > 0 || !flags.has("out")) {
        process.stderr.write(`pulumi-invision: ${unknown.length ? `unknown flag --${unknown[0]}` : "--out FILE is required"}\n${USAGE}`);
        return 2;
    }
    try {
        const fromFlags: Record<string, string | undefined> = {
            "invision:scimBaseUrl": flags.get("base-url"),
            "invision:scimToken": flags.has("token-file") ? readTokenFile(flags.get("token-file")!) : undefined,
        };
        const settings = resolveSettings((k) => fromFlags[k], env);
        const client = new ScimClient({
            ...settings,
            log: (l) => env.PULUMI_INVISION_LOG && process.stderr.write(`[invision] ${l}\n`),
            // Pauses for the server's limit and the figures: a long export is not mistaken for a hang.
            say: (l) => process.stderr.write(`[invision] ${l}\n`),
        });
        const { roster, yaml, warnings } = await exportTenant(client);
        fs.writeFileSync(flags.get("out")!, yaml);
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        process.stderr.write(`Wrote ${flags.get("out")}: ${roster.users?.length ?? 0} users (${roster.users?.filter((u) => u.active === false).length ?? 0} deactivated), ${roster.groups?.length ?? 0} groups.\n`);
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
