/**
 * The entry point of `pulumi-resource-invision`: the engine starts it, reads
 * the port it prints, and talks to it over gRPC.
 */
import * as provider from "@pulumi/pulumi/provider";
import { ProviderContext } from "../context";
import { withUrn } from "../diagnostics/call-scope";
import { engineAddress } from "../diagnostics/engine-address";
import { firstInRun } from "../diagnostics/once-per-run";
import { EngineLog } from "../diagnostics/engine-log";
import { EngineDiagnostics } from "../diagnostics/sink";
import { sharedClaims } from "../safety/shared-claims";
import { checkConfig, lookupOfArgs, plainTokenRefusal, unsealed } from "./check-config";
import { diffConfig, movedWords, sharedEndpointWords } from "./diff-config";
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

// The engine asks DiffConfig once per resource of the provider, in more than one process: each sentence is said once a run.
const said = new Set<string>();
installServerHooks({
    configure: (args, variables) => {
        const refused = args ? plainTokenRefusal(args) : undefined;
        if (refused === undefined) ctx.configure(args ? lookupOfArgs(args) : (name) => unsealed(variables(name)));
        return refused;
    },
    checkConfig,
    diffConfig: (urn, oldInputs, news) =>
        withUrn(urn, async () => {
            const diff = diffConfig(oldInputs, news);
            const words = diff.moved ? movedWords(diff.moved) : diff.tokenOnSharedEndpoint ? sharedEndpointWords(diff.tokenOnSharedEndpoint) : undefined;
            if (words !== undefined && !said.has(words)) {
                said.add(words);
                if (firstInRun(address, words)) ctx.warn(words);
                await ctx.diagnostics.flush();
            }
            return diff;
        }),
});

void provider.main(invisionProvider(ctx, version, JSON.stringify(packageSchema(version, BUILT_DOWNLOAD_URL))), process.argv.slice(2));
