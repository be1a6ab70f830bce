import type { Directory, Member } from "../plan/members";
import type { Ledger } from "./ledger";
import type { ResourceStep } from "./preview-json";

/**
 * The run id the review plans in: one no `was` record matches (run ids are
 * hex), so every plan is made against state as the next run reads it
 * (plan/basis.ts), which is what a preview without --refresh plans against.
 */
export const REVIEW_RUN = "access-review";

/** What the readers of one preview's steps share. */
export interface ReviewContext {
    run: string;
    /** Who is who, from every user step's state (as the provider's diffs record them). */
    directory: Directory;
    ledger: Ledger;
    /** People whose user resource leaves the program in this run (deleted, or replaced by a new email), by person key. */
    leaving: Set<string>;
}

/** The resource's name in the program, for a note about a step the review cannot read (never an id). */
export function resourceName(s: ResourceStep): string {
    return s.urn.split("::").pop() ?? s.urn;
}

/** A stand-in person for a step whose email is not shown (secret, or known only at apply): its own row, never merged. */
export function stepPerson(s: ResourceStep): Member {
    return { id: `step:${s.urn}` };
}
