import { ConfigurationError, ConfigLookup, resolveSafetyLimits, settingKeys } from "../config";
import type { AccessReview, PersonRow } from "./model";

/**
 * The deletion guard's counts for the run the preview describes: each
 * deactivation or deletion of an account, and each membership that ends (a
 * group deleted ends every one of its members'), against the bounds the
 * stack config sets (the preview's `config`), else the documented defaults.
 * An INVISION_MAX_* variable of the apply job is not in the preview; the
 * bounds are read by the provider's own `resolveSafetyLimits`.
 */
export function guardOf(people: readonly PersonRow[], moreRemovals: boolean, config: ConfigLookup): AccessReview["guard"] {
    const deactivations = people.reduce((n, p) => n + p.account.filter((a) => a.kind === "deactivated" || a.kind === "deleted").length, 0);
    const removals = people.reduce((n, p) => n + p.leaves.length, 0);
    let limits = { maxDeactivations: 0, maxMembershipRemovals: 0 };
    let problem: string | undefined;
    try {
        limits = resolveSafetyLimits(config, {});
    } catch (e) {
        if (!(e instanceof ConfigurationError)) throw e;
        problem = e.message;
    }
    const count = (n: number, more: boolean, key: "maxDeactivations" | "maxMembershipRemovals") => ({
        count: n,
        more,
        limit: limits[key],
        setting: settingKeys[key].config,
        configured: config(settingKeys[key].config) !== undefined,
    });
    const guard = {
        deactivations: count(deactivations, false, "maxDeactivations"),
        membershipRemovals: count(removals, moreRemovals, "maxMembershipRemovals"),
        refused: problem === undefined && (deactivations > limits.maxDeactivations || removals > limits.maxMembershipRemovals),
    };
    return problem === undefined ? guard : { ...guard, problem };
}
