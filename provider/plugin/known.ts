import type * as pulumi from "@pulumi/pulumi";

/**
 * An output's value, or undefined while the engine does not know it (at a
 * preview, the outputs of a resource being created or changed). The SDK
 * keeps whether a value is known on its Output objects (`isKnown`, and the
 * value with `promise()`), not in its public types; an Output without them
 * counts as not known, which only makes a line say "known after".
 */
export async function valueIfKnown<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    const o = output as unknown as { isKnown?: Promise<boolean>; promise?: () => Promise<T> };
    if (!(o.isKnown instanceof Promise) || typeof o.promise !== "function") return undefined;
    return (await o.isKnown) ? await o.promise() : undefined;
}
