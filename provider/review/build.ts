import { PeopleBook } from "../scim/people";
import { REVIEW_RUN, type ReviewContext } from "./context";
import { reviewGroup } from "./groups";
import { guardOf } from "./guard";
import { handovers } from "./handover";
import { Ledger } from "./ledger";
import { isMasked } from "./masked";
import type { AccessReview } from "./model";
import { type Preview, type ResourceStep } from "./preview-json";
import { summaryOf } from "./summary";
import { reviewUser } from "./users";

/**
 * The access review of a preview: every InVision step read with the
 * provider's planning functions, against state as the next run reads it (a
 * run id that matches no `was`), and who is who as the provider's diffs
 * learn it (every user's state). Users first: a group's removals name people
 * whose user resource leaves in the same run.
 */
export function buildReview(preview: Preview): AccessReview {
    const ledger = new Ledger();
    const steps = withoutReplacementHalves(preview.steps);
    const ctx: ReviewContext = { run: REVIEW_RUN, directory: directoryOf(steps), ledger, leaving: new Set() };
    const { skipped, adopts } = handovers(steps);
    for (const kind of ["user", "group"] as const) {
        for (const s of steps) {
            if (s.kind !== kind || skipped.has(s.urn)) continue;
            if (kind === "user") reviewUser(s, ctx, adopts.get(s.urn));
            else reviewGroup(s, ctx, adopts.get(s.urn));
        }
    }
    if (preview.errors > 0) {
        ledger.note(`The preview failed (${preview.errors} error(s)): only what it planned before it stopped is here, and up would fail the same way. Read the preview's errors.`);
    }
    if (!preview.sames) {
        ledger.note("The preview was made without --show-sames: people whose user resource does not change are matched by email only, and hand changes recorded in unchanged resources are not listed.");
    }
    if (steps.some((s) => s.op === "refresh")) {
        ledger.note("The preview refreshed in its own run: this report plans against what that refresh found, as the run after a persisted pulumi refresh would; up --refresh plans against the state before it (see the README's Safety section).");
    }
    const people = ledger.rows();
    const guard = guardOf(people, ledger.moreRemovals, preview.config);
    const review: Omit<AccessReview, "summary"> = { people, groups: ledger.groups, handChanges: ledger.handChanges, guard, notes: ledger.notes, mayAdopt: ledger.mayAdopt };
    return { summary: summaryOf(review, { failed: preview.errors > 0, incomplete: ledger.incomplete }), ...review };
}

/**
 * With replacement steps shown, the engine lists a replaced resource three
 * times (replace, create-replacement, delete-replaced): one of them is read.
 */
function withoutReplacementHalves(steps: readonly ResourceStep[]): ResourceStep[] {
    const replaced = new Set(steps.filter((s) => s.op === "replace").map((s) => s.urn));
    const created = new Set(steps.filter((s) => s.op === "create-replacement").map((s) => s.urn));
    return steps.filter((s) => {
        if (s.op === "delete-replaced") return !replaced.has(s.urn) && !created.has(s.urn);
        if (s.op === "create-replacement") return !replaced.has(s.urn);
        return true;
    });
}

/** Who is who, as the provider's diffs record it: every user's id, the program's email and InVision's. */
function directoryOf(steps: readonly ResourceStep[]): PeopleBook {
    const book = new PeopleBook();
    for (const s of steps) {
        if (s.kind !== "user" || s.id === undefined || !s.olds) continue;
        const email = s.olds.userName;
        const alias = s.olds.emailInInVision;
        if (typeof email === "string" && !isMasked(email)) book.note(s.id, email);
        if (typeof alias === "string" && !isMasked(alias)) book.alias(s.id, alias);
    }
    return book;
}
