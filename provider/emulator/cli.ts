#!/usr/bin/env node
import { startEmulator } from "./server";

/** `npm run emulator [-- --port 8080 --token T --v7 --page-size 10]`: runs until Ctrl-C. */
async function main(argv: string[]): Promise<void> {
    const arg = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const emulator = await startEmulator({
        port: Number(arg("port") ?? 0),
        token: arg("token") ?? process.env.INVISION_SCIM_TOKEN,
        pageSize: arg("page-size") ? Number(arg("page-size")) : undefined,
        version: argv.includes("--v7") ? "v7" : "v6",
        verbose: true,
    });
    process.stdout.write(
        `InVision SCIM emulator listening.\n` +
            `  export INVISION_SCIM_BASE_URL=${emulator.url}\n` +
            `  export INVISION_SCIM_TOKEN=<the token you passed with --token or INVISION_SCIM_TOKEN${arg("token") || process.env.INVISION_SCIM_TOKEN ? "" : `; generated: ${emulator.token}`}>\n` +
            `  requests: http://127.0.0.1:${emulator.port}/_emulator/requests   state: http://127.0.0.1:${emulator.port}/_emulator/state\n`,
    );
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

void main(process.argv.slice(2));
