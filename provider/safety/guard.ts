import type { SafetyLimits } from "../config";
import { settingKeys } from "../config";

/**
 * The deletion guard: one run (one provider process) deactivates or deletes
 * at most `maxDeactivations` users and removes at most
 * `maxMembershipRemovals` memberships. Identity provisioning services have
 * the same rail (an accidental-deletion threshold): a truncated roster or an
 * emptied `users:` list should cost a few people an afternoon, not the whole
 * company its access.
 *
 * Budget is reserved synchronously before the write is sent, so resources
 * running in parallel cannot overshoot between a check and a write. An
 * operation is allowed in full or refused in full: nothing of a refused
 * operation is sent. A reservation is kept even if the write then fails: the
 * bound is on attempts, which is the safe side.
 */

export type Budget = "deactivations" | "membershipRemovals";

const SETTING: Record<Budget, keyof SafetyLimits & keyof typeof settingKeys> = {
    deactivations: "maxDeactivations",
    membershipRemovals: "maxMembershipRemovals",
};

const NOUN: Record<Budget, [string, string]> = {
    deactivations: ["user deactivation or deletion", "user deactivations or deletions"],
    membershipRemovals: ["membership removal", "membership removals"],
};

export class GuardError extends Error {
    override readonly name = "GuardError";
}

export class DeletionGuard {
    private readonly used: Record<Budget, number> = { deactivations: 0, membershipRemovals: 0 };
    private readonly refused: Record<Budget, number> = { deactivations: 0, membershipRemovals: 0 };

    /**
     * Takes `count` from the budget, or throws (taking nothing) when that
     * would pass the limit. `what` names the operation, e.g. "deactivating
     * bob@example.com".
     */
    reserve(budget: Budget, count: number, limits: SafetyLimits, what: string): void {
        if (count <= 0) return;
        const limit = limits[SETTING[budget]];
        if (this.used[budget] + count <= limit) {
            this.used[budget] += count;
            return;
        }
        this.refused[budget] += count;
        const keys = settingKeys[SETTING[budget]];
        const [one, many] = NOUN[budget];
        throw new GuardError(
            `Refused by the deletion guard, nothing was sent: ${what} needs ${count} ${count === 1 ? one : many}, ` +
                `and this run may make at most ${limit} (${keys.config} / ${keys.env}); ${this.used[budget]} already made, ` +
                `${this.refused[budget]} refused so far in this run. If the preview showed this and it is intended, ` +
                `raise the bound for the next run (e.g. \`pulumi config set ${keys.config} ${limit + this.refused[budget]}\`, ` +
                `or ${keys.env}=${limit + this.refused[budget]} when the stack config does not set it) and run again.`,
        );
    }

    /** For messages and tests. */
    counts(): { used: Record<Budget, number>; refused: Record<Budget, number> } {
        return { used: { ...this.used }, refused: { ...this.refused } };
    }
}
