import { planMembership } from "../resources/diff";
import { GROUP_DEFAULTS, namesInState, type GroupInputs, type GroupState } from "../resources/group-schema";
import { USER_DEFAULTS, type UserInputs, type UserState } from "../resources/user-schema";
import { isUnknown } from "../resources/validate";
import { personLabel } from "./names";

/**
 * What a preview must say about people losing access, computed in diff (no
 * request) and printed by the provider as warnings: the engine shows a
 * provider's stderr lines under the stack's Diagnostics in `pulumi preview`
 * and `pulumi up`. Resource lines alone show a membership removal as a SCIM
 * id, and the removal of members the program never declared not at all.
 * Pure: tested in test/unit/preview-warnings.test.ts.
 */

/** Members an update of this group would remove, by email. */
export function groupLossWarning(olds: Partial<GroupState>, news: Partial<GroupInputs>): string | undefined {
    const mode = news.membershipMode ?? GROUP_DEFAULTS.membershipMode;
    if (mode !== "authoritative") return undefined;
    const undeclared = new Set(olds.unmanagedMembers ?? []);
    const live = [...(olds.members ?? []), ...undeclared];
    if (live.length === 0) return undefined;
    const group = `group '${news.displayName ?? olds.displayName ?? "?"}'`;
    // Names are looked up only for a warning that is printed: most diffs remove nobody.
    if (isUnknown(news.members)) {
        const names = namesInState(olds);
        return `${group}: its member list is not known until apply; any of its ${live.length} current member(s) not in it will be removed: ${live.map((id) => personLabel(id, names)).join(", ")}`;
    }
    const declared = (news.members ?? []) as unknown[];
    const pending = declared.filter(isUnknown).length;
    const plan = planMembership(live, declared.filter((m): m is string => typeof m === "string" && !isUnknown(m)), mode);
    if (plan.remove.length === 0) return undefined;
    const names = namesInState(olds);
    const who = plan.remove.map((id) => `${personLabel(id, names)}${undeclared.has(id) ? " (not declared in the program)" : ""}`);
    const unless = pending > 0 ? ` (unless one of the ${pending} member(s) whose id is known only at apply, a new or renamed user resource, adopts them)` : "";
    return `${group} will remove ${plan.remove.length} member(s)${unless}: ${who.join(", ")}`;
}

/** A user diff that deactivates, deletes or replaces the person. */
export function userLossWarning(olds: Partial<UserState>, news: Partial<UserInputs>, replaces: readonly string[]): string | undefined {
    const who = olds.userName ?? "?";
    if (replaces.includes("userName")) {
        const next = isUnknown(news.userName) ? "a new email not known until apply" : String(news.userName);
        const fate = { deactivate: "deactivated", delete: "deleted", retain: "left as it is (onDelete: retain)" }[olds.onDelete ?? USER_DEFAULTS.onDelete];
        return `user ${who} will be replaced by ${next}: the account ${who} will be ${fate}`;
    }
    if ((olds.active ?? true) && news.active === false) return `user ${who} will be deactivated (active: false)`;
    // State records a deactivation made in InVision's console that an earlier
    // run left alone; the engine shows no property line for it (its inputs
    // did not change), so say it: this run gives the person access again.
    if (olds.active === false && (news.active ?? true) === true) return `user ${who} will be reactivated: InVision has them deactivated, the program declares active: true`;
    return undefined;
}
