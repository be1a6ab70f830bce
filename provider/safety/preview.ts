import { planMembers } from "../resources/diff";
import { memberKey, memberLabel, membersInState } from "../resources/group-members";
import { GROUP_DEFAULTS, type GroupInputs, type GroupState } from "../resources/group-schema";
import { USER_DEFAULTS, type UserInputs, type UserState } from "../resources/user-schema";
import { isUnknown } from "../resources/validate";
import { knownUserName } from "./names";

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
    const { declared, unmanaged } = membersInState(olds, knownUserName);
    const believed = [...declared, ...unmanaged];
    if (believed.length === 0) return undefined;
    const group = `group '${news.displayName ?? olds.displayName ?? "?"}'`;
    if (isUnknown(news.members)) {
        return `${group}: its member list is not known until apply; any of its ${believed.length} current member(s) not in it will be removed: ${believed.map(memberLabel).join(", ")}`;
    }
    const listed = (news.members ?? []) as unknown[];
    const pending = listed.filter(isUnknown).length;
    const plan = planMembers(olds, listed.filter((m): m is string => typeof m === "string" && !isUnknown(m)), mode, knownUserName);
    if (plan.remove.length === 0) return undefined;
    const leaving = new Set(plan.remove);
    const undeclared = new Set(unmanaged.map(memberKey));
    const who = believed.filter((m) => leaving.has(memberKey(m))).map((m) => `${memberLabel(m)}${undeclared.has(memberKey(m)) ? " (not declared in the program)" : ""}`);
    const unless = pending > 0 ? ` (unless one of the ${pending} member(s) known only at apply is one of them)` : "";
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
