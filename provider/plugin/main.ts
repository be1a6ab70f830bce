/**
 * The entry point of `pulumi-resource-invision`: the engine starts it, reads
 * the port it prints, and talks to it over gRPC.
 */
import * as provider from "@pulumi/pulumi/provider";
import { ProviderContext } from "../context";
import { engineAddress } from "../diagnostics/engine-address";
import { EngineLog } from "../diagnostics/engine-log";
import { EngineDiagnostics } from "../diagnostics/sink";
import { sharedClaims } from "../safety/shared-claims";
import { installServerHooks } from "./server-hooks";
import { BUILT_DOWNLOAD_URL } from "./download";
import { invisionProvider } from "./provider";
import { packageSchema } from "./schema";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

// One process per provider instance: one context, configured by the engine's Configure.
const address = engineAddress(process.argv.slice(2));
const ctx = new ProviderContext({
    door: "plugin",
    diagnostics: new EngineDiagnostics(address ? new EngineLog(address) : undefined),
    sharedClaims: address ? sharedClaims(address) : undefined,
});
installServerHooks((lookup) => ctx.configure(lookup));

void provider.main(invisionProvider(ctx, version, JSON.stringify(packageSchema(version, BUILT_DOWNLOAD_URL))), process.argv.slice(2));
