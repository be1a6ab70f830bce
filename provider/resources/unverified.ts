import { CreatedNotVerifiedError } from "../scim/errors";

/**
 * A create InVision took and that could not be verified (scim/errors.ts):
 * the error carries the object's id and what is known of it, so the engine
 * records it as a resource that failed to initialise (the dynamic-provider
 * host sends an error with `id` and `properties` as ErrorResourceInitFailed).
 * The next `pulumi up` then updates it by id, which also works where a
 * lookup cannot find it (a server that hides deactivated users), instead of
 * creating it again. `inputs` are the engine's own, `__provider` included:
 * the host needs it in state to load the provider for that update.
 */
export function recordable(e: unknown, inputs: Record<string, unknown>): unknown {
    if (!(e instanceof CreatedNotVerifiedError)) return e;
    // The declaration, except a group's members: none is known to be in, so the next diff adds them and the update verifies.
    const properties = e.kind === "group" ? { ...inputs, members: [], unmanagedMembers: [] } : { ...inputs };
    return Object.assign(e, { id: e.objectId, properties });
}
