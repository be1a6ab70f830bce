/**
 * Hand-over protection. When a resource is renamed or moved (new name, new
 * parent, new roster key), the engine creates the new resource, which adopts
 * the same InVision object, and later deletes the old one. That delete must
 * not deactivate the person (or drop the group) the new resource now owns.
 *
 * A claim says "a resource still in the program owns this object". Claims are
 * made at create (an adoption) and at diff: the engine diffs every resource
 * the program still declares before it deletes the ones that are gone, in the
 * same provider process. So a run that failed between the adoption and the
 * delete is safe to run again: the new resource is diffed (no change), claims
 * the object, and the old one's delete is skipped.
 *
 * A diff that replaces its resource claims nothing: the replacement's delete
 * of the old object is meant to happen.
 */

export type Kind = "user" | "group";

const claims = new Map<string, string>();

const key = (kind: Kind, id: string) => `${kind}:${id}`;

/** `label` names the object (email or group name) for the message a skipped delete prints. */
export function claim(kind: Kind, id: unknown, label: unknown): void {
    if (typeof id !== "string" || id === "") return;
    claims.set(key(kind, id), typeof label === "string" && label !== "" ? label : id);
}

/** The claimed object's label, or undefined when no declared resource owns it. */
export function claimedBy(kind: Kind, id: string): string | undefined {
    return claims.get(key(kind, id));
}

export function forgetClaims(): void {
    claims.clear();
}
