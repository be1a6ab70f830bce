/**
 * Hand-over protection. When a resource is renamed or moved (new name, new
 * parent, new roster key, the other door), the engine creates the new
 * resource, which adopts the same InVision object, and later deletes the old
 * one. That delete must not deactivate the person (or drop the group) the new
 * resource now owns.
 *
 * A claim says "a resource still in the program owns this object". Claims are
 * made at create (an adoption) and at diff: the engine diffs every resource
 * the program still declares before it deletes the ones that are gone. So a
 * run that failed between the adoption and the delete is safe to run again:
 * the new resource is diffed (no change), claims the object, and the old
 * one's delete is skipped.
 *
 * A diff that replaces its resource claims nothing: the replacement's delete
 * of the old object is meant to happen.
 */

export type Kind = "user" | "group";

/** Where claims are kept beyond this process: the other door's provider process of the same run reads them (shared-claims.ts). */
export interface ClaimStore {
    put(key: string, label: string): void;
    get(key: string): string | undefined;
}

export class Claims {
    private readonly mine = new Map<string, string>();

    /**
     * `tenant` scopes every claim: two tenants may use the same ids, and a
     * stack moving between them creates in one while it deletes in the other.
     */
    constructor(
        private readonly shared?: ClaimStore,
        private readonly tenant: () => string = () => "",
    ) {}

    /** `label` names the object (email or group name) for the message a skipped delete prints. */
    claim(kind: Kind, id: unknown, label: unknown): void {
        if (typeof id !== "string" || id === "") return;
        const key = this.key(kind, id);
        const text = typeof label === "string" && label !== "" ? label : id;
        if (this.mine.get(key) === text) return;
        this.mine.set(key, text);
        this.shared?.put(key, text);
    }

    /** The claimed object's label, or undefined when no declared resource owns it. */
    claimedBy(kind: Kind, id: string): string | undefined {
        const key = this.key(kind, id);
        return this.mine.get(key) ?? this.shared?.get(key);
    }

    private key(kind: Kind, id: string): string {
        return `${this.tenant()} ${kind}:${id}`;
    }
}
