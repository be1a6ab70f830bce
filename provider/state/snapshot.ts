import { StackExport, StateFileError, stackOfUrn } from "./deployment";
import { placeholderSecrets, redactSecrets } from "./secrets";

/**
 * The snapshot a trusted job publishes after each run: its `pulumi stack
 * export`, with every secret value replaced by the digest of its ciphertext.
 * It holds what state holds and nothing more (see the README's "What the
 * snapshot holds"); it never holds the SCIM token, which is not in state.
 */
export function makeSnapshot(exported: StackExport): StackExport {
    return { ...exported, deployment: redactSecrets(exported.deployment) };
}

/** The stack and project the snapshot's resources belong to (every URN names them). */
export function snapshotStack(s: StackExport): { stack: string; project: string } {
    const names = new Set(s.deployment.resources.map((r) => JSON.stringify(stackOfUrn(r.urn) ?? null)));
    if (names.size !== 1 || names.has("null")) {
        throw new StateFileError(names.size === 0 ? "the snapshot holds no resource: nothing to preview against (has the stack ever been applied?)" : "the snapshot's resources do not all belong to one stack of one project");
    }
    return JSON.parse([...names][0]) as { stack: string; project: string };
}

/**
 * What a preview from the snapshot imports into its own throwaway backend:
 * every secret as the one placeholder config secrets get too (so a secret
 * that went from config into state still matches), encrypted by the
 * throwaway stack's own passphrase provider, whose `salt` `pulumi stack init`
 * wrote. No key of the real stack is needed, or present.
 */
export function importableSnapshot(s: StackExport, salt: string): StackExport {
    return { ...s, deployment: { ...placeholderSecrets(s.deployment), secrets_providers: { type: "passphrase", state: { salt } } } };
}
