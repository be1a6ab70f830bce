import { isUnknown } from "../resources/validate";
import type { Kind, ResourceStep } from "./preview-json";
import { isMasked } from "./masked";

/**
 * Which deletes of a preview send nothing, because another resource of the
 * stack owns the object then (safety/handover.ts: a resource renamed or moved,
 * the engine creating the new one before deleting the old one):
 *  - a resource the program still declares, and does not replace, holds the
 *    object's SCIM id (its diff claims it);
 *  - a new resource declares the same email (a user) or name (a group) as the
 *    state of the deleted one: its create adopts that object, and claims it.
 * The second is the create's adoption rule (a user by `userName`, a group by
 * `displayName`, unless `onExisting: fail`), read from the steps.
 */
export interface Handovers {
    /** URNs of deletes that send nothing. */
    skipped: Set<string>;
    /** A create's URN to the delete whose object it adopts: the create then acts as an update of that state. */
    adopts: Map<string, ResourceStep>;
}

const KEEPS = new Set(["same", "update", "read", "import", "refresh"]);
const DELETES = new Set(["delete", "delete-replaced", "discard"]);

const nameOf = (kind: Kind, p: Record<string, unknown> | undefined): string[] => {
    if (!p) return [];
    const names = kind === "user" ? [p.userName, p.emailInInVision] : [p.displayName];
    return names.filter((n): n is string => typeof n === "string" && !isUnknown(n) && !isMasked(n)).map((n) => (kind === "user" ? n.toLowerCase() : n));
};

export function handovers(steps: readonly ResourceStep[]): Handovers {
    const claimed = new Set(steps.filter((s) => KEEPS.has(s.op) && s.id !== undefined).map((s) => `${s.kind}:${s.id}`));
    const skipped = new Set<string>();
    const adopts = new Map<string, ResourceStep>();
    const open: ResourceStep[] = [];
    for (const s of steps) {
        if (!DELETES.has(s.op)) continue;
        if (s.id !== undefined && claimed.has(`${s.kind}:${s.id}`)) skipped.add(s.urn);
        else open.push(s);
    }
    for (const c of steps) {
        if (c.op !== "create" || c.news?.onExisting === "fail") continue;
        const wanted = nameOf(c.kind, c.news)[0];
        const old = wanted === undefined ? undefined : open.find((d) => d.kind === c.kind && !skipped.has(d.urn) && nameOf(c.kind, d.olds).includes(wanted));
        if (!old) continue;
        skipped.add(old.urn);
        adopts.set(c.urn, old);
    }
    return { skipped, adopts };
}
