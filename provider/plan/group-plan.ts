import { GROUP_DEFAULTS, type GroupInputs, type GroupState } from "../resources/group-schema";
import { changedSettings } from "../resources/settings";
import { isUnknown } from "../resources/validate";
import { basisOf } from "./basis";
import { access, info, type PlanLine } from "./lines";
import { declaredMember, Directory, directoryOf, everyoneInState, Member, memberLabel, membersInState, personKey } from "./members";

/**
 * Where a group's change is decided: one function, used by `diff` (the
 * preview), by the preview's warnings, and by `update` (the apply). Pure and
 * local: state and the declaration (and who this process knows by email), no
 * request, so `up` does what the pull request's preview computed.
 */

export interface GroupPlan {
    /** "replace": InVision no longer has the group, it is created again; "update": a write, or state that must follow the declaration. */
    action: "none" | "update" | "replace";
    /** A new name, when InVision's differs from the declared one. */
    rename?: { from: string; to: string };
    /** Declared members InVision does not have, as the program spells them (with the id, when known). */
    add: { ref: string; member: Member }[];
    /** Members state records that the declaration does not (authoritative mode only). */
    remove: Member[];
    /** Declared members the plan cannot name yet (outputs of resources not created yet). */
    pending: number;
    /** The whole member list is not known until apply. */
    membersUnknown: boolean;
    changed: string[];
    lines: PlanLine[];
}

type Declared = Partial<Omit<GroupInputs, "members">> & { members?: unknown };

/**
 * Matches declared members to the members state records: by SCIM id where
 * both are known (a person renamed by hand is still the same member), else by
 * email, case-insensitively. Returns, per declared ref, the state member it
 * matched, and the state members nobody declared.
 */
export function matchMembers(
    refs: readonly string[],
    recorded: readonly Member[],
    directory: Directory,
): { matched: (Member | undefined)[]; declared: Member[]; unmatched: Member[] } {
    const byId = new Map<string, number>();
    const byEmail = new Map<string, number>();
    recorded.forEach((m, i) => {
        if (m.id !== undefined) byId.set(m.id, i);
        if (m.email !== undefined && !byEmail.has(m.email.toLowerCase())) byEmail.set(m.email.toLowerCase(), i);
    });
    const taken = new Set<number>();
    const declared = refs.map((ref) => declaredMember(ref, directory));
    const matched = declared.map((d) => {
        let i = d.id !== undefined ? byId.get(d.id) : undefined;
        if (i === undefined && d.email !== undefined) {
            const j = byEmail.get(d.email.toLowerCase());
            // The same email under another id is another account (the old one was deleted and a new one made).
            if (j !== undefined && (d.id === undefined || recorded[j].id === undefined)) i = j;
        }
        if (i === undefined || taken.has(i)) return undefined;
        taken.add(i);
        return recorded[i];
    });
    return { matched, declared, unmatched: recorded.filter((_, i) => !taken.has(i)) };
}

const names = (ms: readonly Member[]) => ms.map(memberLabel).join(", ");

/** The plan of an existing group resource in run `run` (see user-plan.ts). `people` names ids this process knows. */
export function planGroup(state: Partial<GroupState>, declared: Declared, run: string, people: Directory): GroupPlan {
    const b = basisOf(state, run);
    const name = typeof declared.displayName === "string" ? declared.displayName : (b.displayName ?? "?");
    const group = `group '${name}'`;
    const lines: PlanLine[] = [];
    const changed: string[] = [];
    const mode = declared.membershipMode ?? GROUP_DEFAULTS.membershipMode;
    const plan: GroupPlan = { action: "none", add: [], remove: [], pending: 0, membersUnknown: false, changed, lines };

    const listed = Array.isArray(declared.members) ? (declared.members as unknown[]) : [];
    const known = listed.filter((m): m is string => typeof m === "string" && !isUnknown(m));
    if (b.gone) {
        lines.push(access(`${group} no longer exists in InVision (deleted outside this program): it will be created again with ${known.length} member(s)${known.length ? `: ${known.join(", ")}` : ""}`));
        return { ...plan, action: "replace", changed: ["displayName"] };
    }
    if (declared.displayName !== undefined && declared.displayName !== b.displayName) {
        plan.rename = { from: b.displayName ?? "?", to: name };
        changed.push("displayName");
        lines.push(info(`group '${plan.rename.from}' (as InVision names it) will be renamed to '${name}'`));
    }

    const { declared: kept, unmanaged } = membersInState(b, people.emailOf);
    const recorded = [...kept, ...unmanaged];
    const undeclared = new Set(unmanaged.map(personKey));
    if (isUnknown(declared.members)) {
        plan.membersUnknown = true;
        changed.push("members");
        if (mode === "authoritative" && recorded.length > 0) {
            lines.push(access(`${group}: its member list is not known until apply; any of its ${recorded.length} current member(s) not in it will be removed: ${names(recorded)}`));
        }
    } else {
        plan.pending = listed.length - known.length;
        const { matched, declared: members, unmatched } = matchMembers(known, recorded, directoryOf(recorded, people));
        plan.add = known.map((ref, i) => ({ ref, member: members[i] })).filter((_, i) => matched[i] === undefined);
        plan.remove = mode === "authoritative" ? unmatched : [];
        // Someone InVision already has, kept as not declared, whom the program now declares: state follows, nothing is sent.
        const adopted = matched.filter((m): m is Member => m !== undefined && undeclared.has(personKey(m)));
        if (plan.add.length > 0 || plan.remove.length > 0 || adopted.length > 0 || plan.pending > 0) changed.push("members");
        if (plan.add.length > 0) lines.push(info(`${group} will add ${plan.add.length} member(s): ${plan.add.map((a) => a.ref).join(", ")}`));
        if (plan.remove.length > 0) {
            const unless = plan.pending > 0 ? ` (unless one of the ${plan.pending} member(s) known only at apply is one of them)` : "";
            const who = plan.remove.map((m) => `${memberLabel(m)}${undeclared.has(personKey(m)) ? " (not declared in the program)" : ""}`);
            lines.push(access(`${group} will remove ${plan.remove.length} member(s)${unless}: ${who.join(", ")}`));
        }
        if (adopted.length > 0) lines.push(info(`${group}: ${names(adopted)} already in the group in InVision (added outside this program), now declared: nothing is sent`));
    }
    changed.push(...changedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(b, declared as Partial<GroupState>, GROUP_DEFAULTS));
    plan.action = changed.length > 0 ? "update" : "none";
    return plan;
}

/** What creating a group resource does, said before it happens. */
export function planGroupCreate(declared: Declared): PlanLine[] {
    if (typeof declared.displayName !== "string") return [];
    const listed = Array.isArray(declared.members) ? (declared.members as unknown[]).filter((m): m is string => typeof m === "string" && !isUnknown(m)) : [];
    return [
        info(
            `group '${declared.displayName}' will be created with ${listed.length} member(s)${listed.length ? `: ${listed.join(", ")}` : ""}, ` +
                `or, if InVision has a group of that name, adopted: its declared members added, the others kept`,
        ),
    ];
}

/** What removing a group resource does, from state (the apply counts and names the members InVision has then). */
export function planGroupDelete(state: Partial<GroupState>, people: Directory): { action: "delete" | "retain"; lines: PlanLine[] } {
    const name = state.displayName ?? "?";
    if ((state.onDelete ?? GROUP_DEFAULTS.onDelete) === "retain") return { action: "retain", lines: [info(`group '${name}' leaves the program; InVision keeps it as it is (onDelete: retain)`)] };
    const everyone = everyoneInState(state, people.emailOf);
    return { action: "delete", lines: [access(`group '${name}' will be deleted: ${everyone.length} member(s) lose the access it gave them${everyone.length ? `: ${names(everyone)}` : ""}`)] };
}
