/**
 * The entry point of `pulumi-resource-invision`: the engine starts it, reads
 * the port it prints, and talks to it over gRPC.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as provider from "@pulumi/pulumi/provider";
import { configure } from "../runtime";
import { installServerHooks } from "./server-hooks";
import { BUILT_DOWNLOAD_URL } from "./download";
import { invisionProvider } from "./provider";
import { packageSchema } from "./schema";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

// runtime.configure reads settings through `config.get(<full key>)` only, which is all the lookup offers.
installServerHooks((lookup) => configure({ config: { get: lookup } } as unknown as dynamic.ConfigureRequest));

void provider.main(invisionProvider(version, JSON.stringify(packageSchema(version, BUILT_DOWNLOAD_URL))), process.argv.slice(2));
