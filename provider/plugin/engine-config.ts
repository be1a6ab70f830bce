import * as grpc from "@grpc/grpc-js";
import type { ConfigLookup } from "../config";

/**
 * The provider configuration the engine sends in its Configure call
 * (`invision:scimBaseUrl` and so on, from the stack's config or an explicit
 * provider's arguments, secrets decrypted).
 *
 * `@pulumi/pulumi/provider`'s server answers Configure itself and drops the
 * variables (its Provider interface has no configure method), so the plugin
 * reads them on the way in: the service implementation the server registers
 * is wrapped, its own Configure still answers. One process serves one
 * provider instance: the engine starts a plugin process per provider.
 */

type Handler = (call: { request: unknown }, callback: unknown) => unknown;

interface ConfigureRequest {
    getVariablesMap(): { forEach(f: (value: string, key: string) => void): void };
}

export function onEngineConfigure(receive: (lookup: ConfigLookup) => void): void {
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: grpc.Server, service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation) {
        if (typeof implementation.configure === "function" && "checkConfig" in implementation) {
            const configure = (implementation.configure as Handler).bind(implementation);
            implementation.configure = ((call: { request: unknown }, callback: unknown) => {
                receive(lookupOf(call.request as ConfigureRequest));
                return configure(call, callback);
            }) as grpc.UntypedHandleCall;
        }
        return addService.call(this, service, implementation);
    };
}

export function lookupOf(request: ConfigureRequest): ConfigLookup {
    const variables = new Map<string, string>();
    request.getVariablesMap().forEach((value, key) => variables.set(key, value));
    return (key) => variables.get(key);
}
