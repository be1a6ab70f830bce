import * as grpc from "@grpc/grpc-js";
import { CheckFailure, CheckResponse, DiffResponse } from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ConfigLookup } from "../config";
import type { Failure } from "./check-config";
import type { ConfigDiff } from "./diff-config";

/**
 * What `@pulumi/pulumi/provider`'s gRPC server gets in the way of, handled on
 * the way in to the service implementation it registers (whose own methods
 * still answer). The decisions are the plugin's (check-config.ts,
 * diff-config.ts); this file only reaches the calls:
 *
 *  - Configure: the server answers it itself and drops the configuration (its
 *    Provider interface has no configure method). The variables are the
 *    provider's settings (`invision:scimBaseUrl` and so on, from the stack's
 *    config or an explicit provider's arguments, secrets decrypted); the
 *    arguments are the same with the secrets still marked. One process serves
 *    one provider instance: the engine starts a plugin per provider.
 *  - CheckConfig and DiffConfig, which it leaves unimplemented: the engine
 *    would then store any configuration as given, and read no change of it as
 *    a reason to replace the provider.
 *  - Read with no properties, which is what `pulumi import` sends: the
 *    server calls `getProperties().toJavaScript()` on the missing struct.
 */

type Props = Record<string, unknown>;
type Handler = (call: { request: unknown }, callback: unknown) => unknown;
type Callback<R> = (e: Error | null, r?: R) => void;

export interface ConfigHooks {
    /**
     * Takes the configuration, or says why it is refused (the run stops there,
     * before any request). `args` (absent from older engines) have the
     * secrets still marked; `variables` are the same settings as text.
     */
    configure(args: Props | undefined, variables: ConfigLookup): string | undefined;
    checkConfig(news: Props): { inputs: Props; failures: Failure[] };
    /** Resolves once what it says of the change has reached the engine. */
    diffConfig(urn: string, oldInputs: Props, news: Props): Promise<ConfigDiff>;
}

interface ConfigureRequest {
    getVariablesMap(): { forEach(f: (value: string, key: string) => void): void };
    getArgs(): Struct | undefined;
}

interface CheckRequest {
    getNews(): Struct | undefined;
}

interface DiffRequest {
    getUrn(): string;
    getOlds(): Struct | undefined;
    getOldInputs(): Struct | undefined;
    getNews(): Struct | undefined;
}

interface ReadRequest {
    getProperties(): Struct | undefined;
    setProperties(s: Struct): void;
}

const js = (s: Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;

export function installServerHooks(hooks: ConfigHooks): void {
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: grpc.Server, service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation) {
        if (typeof implementation.configure === "function" && typeof implementation.read === "function" && "checkConfig" in implementation) {
            const configure = (implementation.configure as Handler).bind(implementation);
            implementation.configure = ((call: { request: unknown }, callback: Callback<unknown>) => {
                const request = call.request as ConfigureRequest;
                const refused = hooks.configure(request.getArgs() ? js(request.getArgs()) : undefined, lookupOf(request));
                if (refused !== undefined) return callback(new Error(refused));
                return configure(call, callback);
            }) as grpc.UntypedHandleCall;
            implementation.checkConfig = ((call: { request: unknown }, callback: Callback<CheckResponse>) => {
                try {
                    const result = hooks.checkConfig(js((call.request as CheckRequest).getNews()));
                    const response = new CheckResponse();
                    response.setInputs(Struct.fromJavaScript(result.inputs as never));
                    response.setFailuresList(result.failures.map((f) => new CheckFailure().setProperty(f.property).setReason(f.reason)));
                    callback(null, response);
                } catch (e) {
                    callback(e as Error);
                }
            }) as grpc.UntypedHandleCall;
            implementation.diffConfig = ((call: { request: unknown }, callback: Callback<DiffResponse>) => {
                const request = call.request as DiffRequest;
                // An older engine sends no old inputs: the old outputs are the same configuration.
                const oldInputs = request.getOldInputs() ? js(request.getOldInputs()) : js(request.getOlds());
                hooks.diffConfig(request.getUrn(), oldInputs, js(request.getNews())).then(
                    (diff) => {
                        const response = new DiffResponse();
                        // Short of a move, the engine decides whether anything changed (diff-config.ts says why).
                        response.setChanges(diff.replaces.length > 0 ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_UNKNOWN);
                        response.setDiffsList(diff.diffs);
                        response.setReplacesList(diff.replaces);
                        callback(null, response);
                    },
                    (e: unknown) => callback(e as Error),
                );
            }) as grpc.UntypedHandleCall;
            const read = (implementation.read as Handler).bind(implementation);
            implementation.read = ((call: { request: unknown }, callback: unknown) => {
                const request = call.request as ReadRequest;
                if (!request.getProperties()) request.setProperties(new Struct());
                return read(call, callback);
            }) as grpc.UntypedHandleCall;
        }
        return addService.call(this, service, implementation);
    };
}

/**
 * Settings by the names runtime.ts asks for (`invision:scimBaseUrl`). The
 * engine keys Configure's variables `<package>:config:<name>`, strings, secrets
 * decrypted, numbers as JSON text.
 */
export function lookupOf(request: Pick<ConfigureRequest, "getVariablesMap">): ConfigLookup {
    const variables = new Map<string, string>();
    request.getVariablesMap().forEach((value, key) => variables.set(key, value));
    return (key) => {
        const colon = key.indexOf(":");
        return variables.get(`${key.slice(0, colon)}:config:${key.slice(colon + 1)}`);
    };
}
