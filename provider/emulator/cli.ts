#!/usr/bin/env node
import { parseEmulatorArgs, usage, UsageError } from "./cli-args";
import { startEmulator } from "./server";

/** `npm run emulator [-- --profile strict --rate-limit 10 ...]`: runs until Ctrl-C; `--help` lists every flag. */
async function main(argv: string[]): Promise<void> {
    let parsed;
    try {
        parsed = parseEmulatorArgs(argv, process.env);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`emulator: ${e.message}\nRun with --help for every flag.\n`);
        process.exit(2);
    }
    if (parsed.help) {
        process.stdout.write(usage());
        return;
    }
    let emulator;
    try {
        emulator = await startEmulator(parsed.options);
    } catch (e) {
        process.stderr.write(`emulator: ${(e as Error).message}\n`);
        process.exit(2);
    }
    const o = emulator.options;
    process.stdout.write(
        `InVision SCIM emulator listening (profile ${o.profile}${o.rateLimit ? `, ${o.rateLimit.perSecond} requests/s` : ""}${o.chaos ? `, chaos seed ${o.chaos.seed}` : ""}).\n` +
            `  export INVISION_SCIM_BASE_URL=${emulator.url}\n` +
            `  export INVISION_SCIM_TOKEN=<the token you passed with --token or INVISION_SCIM_TOKEN${parsed.options.token ? "" : `; generated: ${emulator.token}`}>\n` +
            `  requests: http://127.0.0.1:${emulator.port}/_emulator/requests   state: http://127.0.0.1:${emulator.port}/_emulator/state   stats: http://127.0.0.1:${emulator.port}/_emulator/stats\n`,
    );
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

void main(process.argv.slice(2));
