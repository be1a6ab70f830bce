import { z } from "zod";

/**
 * What a plan is computed against, and why a refresh cannot widen an apply.
 *
 * State holds what InVision had when this package last read or wrote the
 * object: the truth as last seen. A pull request's preview runs with no token
 * and no refresh, so it plans against that state. `pulumi up --refresh` reads
 * every object first, in the same run (the same provider process): had the
 * plan used what that read found, `up` would write what no preview showed
 * (a hand-added member removed, a console deactivation undone).
 *
 * So a read that finds InVision changed keeps, beside the new truth, the state
 * it replaced, tagged with the run that read it (`was`). A plan made in that
 * run uses `was`, exactly what the preview saw; any later run plans against
 * the truth, so the next preview names the difference and the `up` after it
 * acts on it. A run is one provider process: the engine starts one per
 * `pulumi` command (`up --refresh` refreshes and applies in the same one).
 */

export const wasSchema = z.object({ run: z.string(), state: z.record(z.string(), z.unknown()) });
export type Was = z.infer<typeof wasSchema>;

type WithWas = { was?: Was };

/** State without its `was` record. */
export function strip<S extends object>(state: S & WithWas): Omit<S, "was"> {
    const { was: _, ...rest } = state;
    return rest;
}

/** What run `run` plans against: state as it was before this run read anything, else state. */
export function basisOf<S extends object>(state: S & WithWas, run: string): Omit<S, "was"> {
    if (state.was !== undefined && state.was.run === run) return state.was.state as Omit<S, "was">;
    return strip(state);
}

/**
 * State after a read in run `run` found `truth`: the truth, plus the basis it
 * replaces when the two differ in what `differs` compares (fields a plan
 * uses), so the rest of the run still plans against the basis.
 */
export function observed<S extends object>(previous: S & WithWas, truth: Omit<S, "was">, run: string, differs: (basis: Omit<S, "was">, truth: Omit<S, "was">) => boolean): Omit<S, "was"> & WithWas {
    const basis = basisOf(previous, run);
    if (!differs(basis, truth)) return truth;
    return { ...truth, was: { run, state: basis as Record<string, unknown> } };
}
