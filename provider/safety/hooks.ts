import type { ScimClient } from "../scim/client";

/**
 * The narrow interface through which the resource handlers ask the safety
 * rails before a write (runtime.ts supplies the real one). Handlers stay
 * testable without them, and the rails stay out of the SCIM client.
 */
export interface SafetyHooks {
    /** Before memberships are removed; throws, with nothing sent, past the run's bound. */
    beforeRemovingMembers(group: string, ids: readonly string[]): void;
    /** Before a user is deactivated or deleted; throws, with nothing sent, past the run's bound. */
    beforeDeactivating(userName: string, how: "deactivate" | "delete"): void;
    /**
     * Emails of member ids, for the group's state. Sends requests only for
     * `undeclared` ids it cannot name: a declared member's user resource
     * reports its email in this process, and state keeps it from then on.
     */
    memberNames(client: ScimClient, ids: readonly string[], fromState: Readonly<Record<string, string>>, undeclared: readonly string[]): Promise<Record<string, string>>;
    /** A message a person should read in the CLI output. */
    warn(message: string): void;
}

/** No rails: for callers outside a provider process. */
export const noSafety: SafetyHooks = {
    beforeRemovingMembers: () => undefined,
    beforeDeactivating: () => undefined,
    memberNames: async (_client, ids, fromState, _undeclared) => Object.fromEntries(ids.filter((id) => fromState[id]).map((id) => [id, fromState[id]])),
    warn: () => undefined,
};
