import type { GroupPlan } from "../plan/group-plan";
import { Directory, isEmail, Member, memberList, membersInState, personKey } from "../plan/members";
import type { UserPlan } from "../plan/user-plan";
import type { GroupState } from "../resources/group-schema";
import { isUnknown } from "../resources/validate";
import type { HandChange } from "./model";
import type { Props } from "./preview-json";

/**
 * The differences state records between InVision and what the program
 * declared when that state was written (a step's `oldState.inputs`): changes
 * made by hand in InVision that a refresh, or the read inside an `up`, found.
 * And what the next `up` does with each, as the plan (computed by the
 * provider's own planning functions) says: `leaving` when the resource leaves
 * the program.
 */

const lower = (s: unknown) => (typeof s === "string" ? s.toLowerCase() : undefined);

export function userHandChanges(olds: Props, oldInputs: Props | undefined, outcome: UserPlan | "leaving"): HandChange[] {
    const who = String(olds.userName ?? "?");
    const leaving = outcome === "leaving";
    const plan = leaving ? undefined : outcome;
    if (olds.gone) return [{ subject: who, what: "deleted in InVision", next: leaving ? "nothing: the person also leaves the program" : "a new account is created" }];
    const out: HandChange[] = [];
    const inInVision = olds.emailInInVision;
    if (typeof inInVision === "string" && lower(inInVision) !== lower(who)) {
        out.push({
            subject: who,
            what: `email changed in InVision to ${inInVision}`,
            next: leaving ? "the person leaves the program" : plan!.action === "replace" ? "the account is replaced by a new one" : plan!.write.userName !== undefined ? `changed back to ${who}` : `kept: the program now declares ${inInVision}`,
        });
    }
    if (oldInputs !== undefined && typeof olds.active === "boolean" && olds.active !== (oldInputs.active !== false)) {
        const now = olds.active ? "reactivated" : "deactivated";
        let next: string;
        if (leaving) next = olds.active ? "deactivated: the person leaves the program" : "nothing: the person leaves the program, already deactivated";
        else if (plan!.action === "replace") next = "the account is replaced by a new one";
        else if (plan!.write.active !== undefined) next = plan!.write.active ? "reactivated" : "deactivated again";
        else next = `kept: the program now declares active: ${olds.active}`;
        out.push({ subject: who, what: `${now} in InVision`, next });
    }
    return out;
}

export function groupHandChanges(olds: Props, oldInputs: Props | undefined, news: Props | undefined, outcome: GroupPlan | "leaving", directory: Directory): HandChange[] {
    const state = olds as Partial<GroupState>;
    const named = typeof oldInputs?.displayName === "string" ? oldInputs.displayName : String(state.displayName ?? "?");
    const leaving = outcome === "leaving";
    const plan = leaving ? undefined : outcome;
    if (state.gone) return [{ subject: named, what: "deleted in InVision", next: leaving ? "nothing: the group also leaves the program" : "created again" }];
    const out: HandChange[] = [];
    if (typeof oldInputs?.displayName === "string" && state.displayName !== undefined && state.displayName !== oldInputs.displayName) {
        out.push({
            subject: named,
            what: `renamed in InVision to '${state.displayName}'`,
            next: leaving ? "the group leaves the program" : plan!.rename ? `renamed ${plan!.rename.to === named ? "back " : ""}to '${plan!.rename.to}'` : "kept: the program now declares that name",
        });
    }
    const { declared, unmanaged } = membersInState(state, directory.emailOf);
    const label = (m: Member) => m.email ?? "a person whose email state does not record";

    if (unmanaged.length > 0) {
        const removed = new Set((plan?.remove ?? []).map(personKey));
        const additive = news?.membershipMode === "additive";
        const buckets = new Map<string, Member[]>();
        for (const m of unmanaged) {
            let next: string;
            if (leaving) next = "the group leaves the program";
            else if (removed.has(personKey(m))) next = "removed";
            else if (plan!.membersUnknown) next = "removed unless the member list, known only at apply, names them";
            else next = additive ? "kept (membershipMode: additive)" : "kept: the program now declares them";
            buckets.set(next, [...(buckets.get(next) ?? []), m]);
        }
        for (const [next, ms] of buckets) {
            out.push({ subject: named, what: `${ms.map(label).join(", ")}: in the group in InVision, not declared (added outside the program, or kept when the group was adopted)`, next });
        }
    }

    const wasDeclared = (memberList(oldInputs?.members) ?? []).filter((r): r is string => typeof r === "string" && !isUnknown(r));
    const presentEmails = new Set(declared.map((m) => lower(m.email)).filter(Boolean));
    const presentIds = new Set(declared.map((m) => m.id).filter(Boolean));
    const missing = wasDeclared.filter((ref) => (isEmail(ref) ? !presentEmails.has(ref.toLowerCase()) : !presentIds.has(ref)));
    if (missing.length > 0) {
        const added = new Set((plan?.add ?? []).map((a) => a.ref.toLowerCase()));
        const buckets = new Map<string, string[]>();
        for (const ref of missing) {
            const next = leaving ? "the group leaves the program" : added.has(ref.toLowerCase()) ? "added back" : "nothing: the program no longer declares them";
            const shown = isEmail(ref) ? ref : (directory.emailOf(ref) ?? "a person whose email state does not record");
            buckets.set(next, [...(buckets.get(next) ?? []), shown]);
        }
        for (const [next, who] of buckets) out.push({ subject: named, what: `${who.join(", ")}: declared, but not in the group in InVision (removed outside the program)`, next });
    }
    return out;
}
