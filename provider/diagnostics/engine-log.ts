import { createRequire } from "node:module";

/**
 * The engine's log service, as a provider plugin reaches it: the way a
 * warning reaches the person running `pulumi`, attached to its resource, in
 * every door. A plugin's stderr is not that way: the engine shows the
 * dynamic-provider host's stderr, but hides every other plugin's (YAML,
 * Python, Go and C# programs would see nothing).
 *
 * The gRPC client comes from the @pulumi/pulumi the process runs with (the
 * program's, in the dynamic door; the bundled one, in the plugin), so no
 * second copy of grpc-js is loaded.
 */

export type Severity = "info" | "warning" | "error";

interface EngineModules {
    grpc: { credentials: { createInsecure(): unknown } };
    engineGrpc: { EngineClient: new (address: string, credentials: unknown) => EngineClientLike };
    enginePb: { LogRequest: new () => LogRequestLike; LogSeverity: Record<string, number> };
}
interface LogRequestLike {
    setSeverity(s: number): LogRequestLike;
    setMessage(m: string): LogRequestLike;
    setUrn(u: string): LogRequestLike;
    setStreamid(n: number): LogRequestLike;
    setEphemeral(e: boolean): LogRequestLike;
}
interface EngineClientLike {
    log(req: LogRequestLike, done: (e: Error | null) => void): void;
    close(): void;
}

function load(): EngineModules {
    let grpc: EngineModules["grpc"];
    try {
        // Resolved from @pulumi/pulumi's own place, so its grpc-js is the one used.
        grpc = createRequire(require.resolve("@pulumi/pulumi/package.json"))("@grpc/grpc-js");
    } catch {
        // The plugin's single executable: everything is bundled, nothing resolves from disk.
        grpc = require("@grpc/grpc-js");
    }
    return {
        grpc,
        engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
        enginePb: require("@pulumi/pulumi/proto/engine_pb"),
    };
}

export class EngineLog {
    private client?: EngineClientLike;
    private modules?: EngineModules;

    constructor(private readonly address: string) {}

    /** Resolves once the engine has the message; rejects if it cannot be delivered. */
    log(severity: Severity, message: string, urn: string | undefined): Promise<void> {
        this.modules ??= load();
        const m = this.modules;
        this.client ??= new m.engineGrpc.EngineClient(this.address, m.grpc.credentials.createInsecure());
        const level = { info: m.enginePb.LogSeverity.INFO, warning: m.enginePb.LogSeverity.WARNING, error: m.enginePb.LogSeverity.ERROR }[severity];
        const req = new m.enginePb.LogRequest().setSeverity(level).setMessage(message).setUrn(urn ?? "").setStreamid(0).setEphemeral(false);
        return new Promise((resolve, reject) => this.client!.log(req, (e) => (e ? reject(e) : resolve())));
    }
}
