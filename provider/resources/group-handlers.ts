import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ScimClient } from "../scim/client";
import { ScimError } from "../scim/errors";
import type { KnownGroup } from "../scim/groups";
import { diffGroup, planMembership } from "./diff";
import { emailsFor, GROUP_DEFAULTS, GroupInputs, groupInputsSchema, GroupState, namesInState } from "./group-schema";
import type { Created } from "./created";
import { storedSettings } from "./settings";
import { checkInputs } from "./validate";
import { noSafety, SafetyHooks } from "../safety/hooks";

export function check(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.CheckResult {
    const result = checkInputs(groupInputsSchema, news);
    if (result.failures.length === 0 && Array.isArray(result.inputs.members)) {
        result.inputs.members = stableOrder(Array.isArray(olds?.members) ? (olds.members as unknown[]) : [], result.inputs.members as unknown[]);
    }
    return result;
}

/**
 * Members keep the positions they had, and newcomers go last. The engine
 * shows list changes position by position, so without this a reordered
 * roster, or one person added near the top, would show every member as
 * changed in the pull request's preview.
 */
export function stableOrder(previous: readonly unknown[], declared: readonly unknown[]): unknown[] {
    const wanted = new Set(declared);
    const kept = previous.filter((m) => wanted.has(m));
    const keptSet = new Set(kept);
    return [...kept, ...declared.filter((m) => !keptSet.has(m))];
}

export function diff(olds: Partial<GroupState>, news: Partial<GroupInputs>): dynamic.DiffResult {
    const d = diffGroup(olds, news);
    return { changes: d.changes, replaces: d.replaces };
}

function liveMembers(group: KnownGroup): string[] {
    return group.members.map((m) => m.value);
}

/** State from a live group: declared members present, and the others. Linear in the members. */
export function toState(
    group: KnownGroup,
    declared: Partial<Pick<GroupInputs, "members" | "membershipMode" | "onExisting" | "onDelete">>,
    memberNames: Readonly<Record<string, string>> = {},
): GroupState {
    const live = liveMembers(group);
    const liveSet = new Set(live);
    const declaredSet = new Set(declared.members ?? []);
    const members = (declared.members ?? []).filter((id) => liveSet.has(id));
    const unmanagedMembers = live.filter((id) => !declaredSet.has(id));
    return {
        displayName: group.displayName,
        members,
        unmanagedMembers,
        memberEmails: emailsFor(members, unmanagedMembers, memberNames),
        ...storedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(declared, GROUP_DEFAULTS),
    };
}

export async function create(client: ScimClient, inputs: GroupInputs, safety: SafetyHooks = noSafety): Promise<Created> {
    let live = await client.groups.find(inputs.displayName);
    let adopted = live !== undefined;
    if (live) {
        if (inputs.onExisting === "fail") {
            throw new Error(
                `InVision group '${inputs.displayName}' already exists (id ${live.id}) and onExisting is "fail". ` +
                    `Set onExisting: "adopt" to manage the existing group.`,
            );
        }
    } else {
        try {
            // Verified: read back, and members the server did not take are added.
            live = await client.groups.create(inputs.displayName, inputs.members);
        } catch (e) {
            if (!(e instanceof ScimError && e.is(409)) || inputs.onExisting === "fail") throw e;
            live = await client.groups.findFresh(inputs.displayName);
            if (!live) throw e;
            adopted = true;
        }
    }
    // The first adoption never removes anyone: the preview showed only a
    // create, so removing the members the program does not declare would be
    // a loss of access nobody reviewed. State is empty, so the planned change
    // adds the declared members and removes nobody; the others are kept as
    // `unmanagedMembers`, which the next preview names as removals.
    const outs = await apply(client, live, inputs, plannedChange({}, inputs), safety, {}, adopted);
    return { id: live.id, outs, adopted };
}

/**
 * What an update may change: the difference between state and the
 * declaration, which is what the pull request's preview showed (it runs with
 * no token and no refresh). Anything else InVision differs in is left alone.
 */
export interface GroupChange {
    add: string[];
    remove: string[];
    rename: boolean;
}

/**
 * The change the diff of state against the declaration implies. On a first
 * adoption state is empty: everyone declared is added and nobody removed.
 */
export function plannedChange(olds: Partial<GroupState>, news: GroupInputs): GroupChange {
    const believed = [...(olds.members ?? []), ...(olds.unmanagedMembers ?? [])];
    const plan = planMembership(believed, news.members, news.membershipMode);
    return { ...plan, rename: olds.displayName !== news.displayName };
}

/**
 * Applies `change` to the live group, skipping what is already true, and
 * returns state from what InVision then shows (every change is read back by
 * the client). A member added by hand, or removed by hand, since the last run
 * is not touched: it is recorded (in `unmanagedMembers`, or missing from
 * `members`), so the next preview shows it and the `up` after that applies it.
 */
async function apply(
    client: ScimClient,
    live: KnownGroup,
    inputs: GroupInputs,
    change: GroupChange,
    safety: SafetyHooks,
    previousNames: Readonly<Record<string, string>> = {},
    adopted = false,
): Promise<GroupState> {
    const present = new Set(liveMembers(live));
    const add = change.add.filter((id) => !present.has(id));
    const remove = change.remove.filter((id) => present.has(id));
    const renamed = change.rename && live.displayName !== inputs.displayName;
    // Counted on what really leaves, before any write of this group: a refusal leaves it exactly as it was.
    safety.beforeRemovingMembers(inputs.displayName, remove);
    if (remove.length > 0) {
        const names = await safety.memberNames(client, remove, previousNames, remove);
        safety.warn(`group '${inputs.displayName}': removing ${remove.length} member(s): ${remove.map((id) => names[id] ?? `user id ${id}`).join(", ")}`);
    }
    if (renamed) await client.groups.rename(live.id, inputs.displayName);
    let after = live;
    if (add.length > 0 || remove.length > 0 || renamed) {
        after = await client.groups.changeMembers(live.id, add, remove, inputs.displayName);
    }
    if (change.rename && after.displayName !== inputs.displayName) {
        throw new Error(`InVision accepted but did not apply the rename of group '${live.displayName}' to '${inputs.displayName}' (id ${live.id}).`);
    }
    const now = liveMembers(after);
    const declared = new Set(inputs.members);
    const undeclared = now.filter((id) => !declared.has(id));
    const names = await safety.memberNames(client, now, previousNames, undeclared);
    const state = toState(after, inputs, names);
    const gone = inputs.members.filter((id) => !present.has(id) && !add.includes(id));
    reportLeftAlone(inputs, change, state, { ...(await safety.memberNames(client, gone, previousNames, [])), ...names }, safety, adopted);
    return state;
}

/** Says at `up` what InVision has that the preview did not cover, and so was left as it is. */
function reportLeftAlone(inputs: GroupInputs, change: GroupChange, state: GroupState, names: Readonly<Record<string, string>>, safety: SafetyHooks, adopted: boolean): void {
    const planned = new Set(change.remove);
    const who = (ids: string[]) => ids.map((id) => names[id] ?? `user id ${id}`).join(", ");
    const kept = inputs.membershipMode === "authoritative" ? state.unmanagedMembers.filter((id) => !planned.has(id)) : [];
    if (kept.length > 0 && adopted) {
        safety.warn(
            `group '${inputs.displayName}' adopted with ${kept.length} member(s) the program does not declare, kept for now: ${who(kept)}. ` +
                `The next preview shows their removal (membershipMode authoritative); declare them to keep them.`,
        );
    } else if (kept.length > 0) {
        safety.warn(
            `group '${inputs.displayName}': ${kept.length} member(s) in InVision that the program does not declare were not in this run's preview, so they were kept: ${who(kept)}. ` +
                `The next preview shows their removal; declare them to keep them.`,
        );
    }
    const present = new Set(state.members);
    const missing = inputs.members.filter((id) => !present.has(id));
    if (missing.length > 0) {
        safety.warn(
            `group '${inputs.displayName}': ${missing.length} declared member(s) are not in the group in InVision (removed outside this program since the last run): ${who(missing)}. ` +
                `This run's preview did not show adding them back, so they were left out; the next preview shows it.`,
        );
    }
    if (!change.rename && state.displayName !== inputs.displayName) {
        safety.warn(`group '${inputs.displayName}' is named '${state.displayName}' in InVision (renamed outside this program); left as it is, the next preview shows the rename.`);
    }
}

export async function read(client: ScimClient, id: string, props: Partial<GroupState>, safety: SafetyHooks = noSafety): Promise<dynamic.ReadResult> {
    const live = await client.groups.read(id);
    if (!live) return {};
    const declared = {
        members: props.members ?? [],
        membershipMode: props.membershipMode ?? GROUP_DEFAULTS.membershipMode,
        onExisting: props.onExisting,
        onDelete: props.onDelete,
    };
    // Members someone removed in InVision drop out of `members`, so the next diff re-adds them.
    const declaredSet = new Set(declared.members);
    const members = liveMembers(live);
    const names = await safety.memberNames(client, members, namesInState(props), members.filter((m) => !declaredSet.has(m)));
    const state = toState(live, declared, names);
    // The next diff compares the declaration with what InVision has: in
    // authoritative mode the full live list, so extra members show as removals.
    const inputs: Record<string, unknown> = {
        displayName: live.displayName,
        members: declared.membershipMode === "authoritative" ? live.members.map((m) => m.value) : state.members,
        ...storedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(state, GROUP_DEFAULTS),
    };
    return { id, props: state, inputs };
}

export async function update(client: ScimClient, id: string, news: GroupInputs, safety: SafetyHooks = noSafety, olds: Partial<GroupState> = {}): Promise<dynamic.UpdateResult> {
    // The change is what the preview showed (state against the declaration);
    // the live group is read to skip what is already true, to count the guard
    // on what really leaves, and to record what is really there.
    const live = await client.groups.getWithMembers(id);
    if (!live) {
        throw new Error(`InVision group '${news.displayName}' (id ${id}) no longer exists. Run \`pulumi refresh\` so Pulumi recreates it.`);
    }
    return { outs: await apply(client, live, news, plannedChange(olds, news), safety, namesInState(olds)) };
}

export async function remove(client: ScimClient, id: string, props: Partial<GroupState>, safety: SafetyHooks = noSafety): Promise<void> {
    if ((props.onDelete ?? GROUP_DEFAULTS.onDelete) === "retain") return;
    const name = props.displayName ?? id;
    // Deleting a group takes its members' access through it: each live member
    // counts as a removal (members added by hand since the last run too), on
    // every path, including the emptying PATCH of a server with no DELETE.
    const live = await client.groups.getWithMembers(id);
    if (!live) return;
    const members = liveMembers(live);
    safety.beforeRemovingMembers(name, members);
    if (members.length > 0) {
        const names = await safety.memberNames(client, members, namesInState(props), members);
        safety.warn(`deleting group '${live.displayName}': ${members.length} member(s) lose the access it gave them: ${members.map((m) => names[m] ?? `user id ${m}`).join(", ")}`);
    }
    await client.groups.delete(id);
}
