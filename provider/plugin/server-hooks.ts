import * as grpc from "@grpc/grpc-js";
import { CheckResponse } from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ConfigLookup, settingKeys } from "../config";
import { isUnknown } from "../resources/validate";
import { PACKAGE, SECRET_SIG, SECRET_VALUE } from "./types";

/**
 * Three things `@pulumi/pulumi/provider`'s gRPC server gets in the way of,
 * handled on the way in to the service implementation it registers (whose
 * own methods still answer):
 *
 *  - Configure: the server answers it itself and drops the variables (its
 *    Provider interface has no configure method). They are the provider's
 *    configuration (`invision:scimBaseUrl` and so on, from the stack's config
 *    or an explicit provider's arguments, secrets decrypted). One process
 *    serves one provider instance: the engine starts a plugin per provider.
 *  - Read with no properties, which is what `pulumi import` sends: the
 *    server calls `getProperties().toJavaScript()` on the missing struct.
 *  - CheckConfig, which it leaves unimplemented: the engine then stores the
 *    provider's configuration as given, and a token set as plain stack config
 *    (or a plain argument of an explicit provider) would be in the state in
 *    clear. The plugin's CheckConfig marks the token secret; the engine keeps
 *    it encrypted, as it does every secret.
 */

type Handler = (call: { request: unknown }, callback: unknown) => unknown;

interface ConfigureRequest {
    getVariablesMap(): { forEach(f: (value: string, key: string) => void): void };
}

interface CheckRequest {
    getNews(): Struct | undefined;
}

interface ReadRequest {
    getProperties(): Struct | undefined;
    setProperties(s: Struct): void;
}

export function installServerHooks(receive: (lookup: ConfigLookup) => void): void {
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: grpc.Server, service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation) {
        if (typeof implementation.configure === "function" && typeof implementation.read === "function" && "checkConfig" in implementation) {
            const configure = (implementation.configure as Handler).bind(implementation);
            implementation.configure = ((call: { request: unknown }, callback: unknown) => {
                receive(lookupOf(call.request as ConfigureRequest));
                return configure(call, callback);
            }) as grpc.UntypedHandleCall;
            implementation.checkConfig = ((call: { request: unknown }, callback: (e: Error | null, r?: CheckResponse) => void) => {
                try {
                    const response = new CheckResponse();
                    response.setInputs(Struct.fromJavaScript(withSecretToken((call.request as CheckRequest).getNews()?.toJavaScript() ?? {}) as never));
                    callback(null, response);
                } catch (e) {
                    callback(e as Error);
                }
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
export function lookupOf(request: ConfigureRequest): ConfigLookup {
    const variables = new Map<string, string>();
    request.getVariablesMap().forEach((value, key) => variables.set(key, value));
    return (key) => {
        const colon = key.indexOf(":");
        return variables.get(`${key.slice(0, colon)}:config:${key.slice(colon + 1)}`);
    };
}

/** The token's config key under the provider (`scimToken`). */
const TOKEN_KEY = settingKeys.token.config.slice(`${PACKAGE}:`.length);

/** The provider's configuration with the token (when given, and known) marked secret. */
export function withSecretToken(config: Record<string, unknown>): Record<string, unknown> {
    const token = config[TOKEN_KEY];
    return typeof token === "string" && !isUnknown(token) ? { ...config, [TOKEN_KEY]: { [SECRET_SIG]: SECRET_VALUE, value: token } } : config;
}
