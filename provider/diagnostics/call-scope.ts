import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The resource a provider call is about, so that what the call says reaches
 * the person under that resource (the engine's log service takes a URN). The
 * plugin door is handed the URN with every call and runs the call inside
 * `withUrn`; the dynamic door is not (the SDK's dynamic-provider host drops
 * it), see dynamic-urns.ts.
 */
const scope = new AsyncLocalStorage<{ urn: string }>();

export function withUrn<T>(urn: string | undefined, run: () => T): T {
    return urn ? scope.run({ urn }, run) : run();
}

export function currentUrn(): string | undefined {
    return scope.getStore()?.urn;
}

/** For the dynamic door: the request being handled names its resource from here on (see dynamic-urns.ts). */
export function enterUrn(urn: string): void {
    scope.enterWith({ urn });
}
