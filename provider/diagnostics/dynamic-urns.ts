import { enterUrn } from "./call-scope";

/**
 * The dynamic door's URNs. The SDK's dynamic-provider host receives the URN
 * with every request but calls the provider object without it (`diff(id,
 * olds, news)`). Every handler of the host reads the request's properties
 * (`getOlds`, `getNews`, `getProperties`) before it calls the provider, so
 * those getters of the request classes are wrapped to mark the rest of the
 * handling, asynchronous continuations included, with the request's URN.
 *
 * The classes are those of the @pulumi/pulumi the host runs: the program's,
 * which our package resolves too (it is a peer dependency). Installed when the
 * provider object is first loaded, which is inside the first request, so that
 * request alone goes unmarked; what it says still reaches the engine, under the
 * stack. A host that changes this shape loses only the attachment, never a
 * message.
 */
let installed = false;

export function markDynamicRequests(): void {
    if (installed) return;
    installed = true;
    let pb: Record<string, { prototype: Record<string, unknown> } | undefined>;
    try {
        pb = require("@pulumi/pulumi/proto/provider_pb");
    } catch {
        return;
    }
    for (const name of ["CheckRequest", "DiffRequest", "CreateRequest", "ReadRequest", "UpdateRequest", "DeleteRequest"]) {
        const proto = pb[name]?.prototype;
        if (!proto || typeof proto.getUrn !== "function") continue;
        for (const getter of ["getOlds", "getNews", "getProperties"]) {
            const original = proto[getter];
            if (typeof original !== "function") continue;
            proto[getter] = function (this: { getUrn(): string }, ...args: unknown[]) {
                const urn = this.getUrn();
                if (urn) enterUrn(urn);
                return (original as (...a: unknown[]) => unknown).apply(this, args);
            };
        }
    }
}
