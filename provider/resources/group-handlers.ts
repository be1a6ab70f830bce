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
    // a loss of access nobody reviewed. They are kept as `unmanagedMembers`;
    // the next preview names them as removals, and the `up` after it applies.
    const outs = await converge(client, live, inputs, safety, { firstAdoption: adopted });
    if (adopted && inputs.membershipMode === "authoritative" && outs.unmanagedMembers.length > 0) {
        const names = namesInState(outs);
        const who = outs.unmanagedMembers.map((id) => names[id] ?? `user id ${id}`).join(", ");
        safety.warn(
            `group '${inputs.displayName}' adopted with ${outs.unmanagedMembers.length} member(s) the program does not declare, kept for now: ${who}. ` +
                `The next preview shows their removal (membershipMode authoritative); declare them to keep them.`,
        );
    }
    return { id: live.id, outs, adopted };
}

/**
 * Brings a live group to the declaration, and returns state from what
 * InVision then shows (every change is read back by the client). On a first
 * adoption nobody is removed (see create).
 */
async function converge(
    client: ScimClient,
    live: KnownGroup,
    inputs: GroupInputs,
    safety: SafetyHooks,
    opts: { firstAdoption?: boolean; previousNames?: Record<string, string> } = {},
): Promise<GroupState> {
    const plan = planMembership(liveMembers(live), inputs.members, opts.firstAdoption ? "additive" : inputs.membershipMode);
    // Before any write of this group: a refusal leaves it exactly as it was.
    safety.beforeRemovingMembers(inputs.displayName, plan.remove);
    const renamed = live.displayName !== inputs.displayName;
    if (renamed) await client.groups.rename(live.id, inputs.displayName);
    let after = live;
    if (plan.add.length > 0 || plan.remove.length > 0 || renamed) {
        after = await client.groups.changeMembers(live.id, plan.add, plan.remove, inputs.displayName);
    }
    if (after.displayName !== inputs.displayName) {
        throw new Error(`InVision accepted but did not apply the rename of group '${live.displayName}' to '${inputs.displayName}' (id ${live.id}).`);
    }
    const now = liveMembers(after);
    const declared = new Set(inputs.members);
    const names = await safety.memberNames(client, now, opts.previousNames ?? {}, now.filter((id) => !declared.has(id)));
    return toState(after, inputs, names);
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
    // Plan against InVision as it is now, not as state remembers it: a member
    // added elsewhere since the last run is seen, and nobody is removed by mistake.
    const live = await client.groups.getWithMembers(id);
    if (!live) {
        throw new Error(`InVision group '${news.displayName}' (id ${id}) no longer exists. Run \`pulumi refresh\` so Pulumi recreates it.`);
    }
    return { outs: await converge(client, live, news, safety, { previousNames: namesInState(olds) }) };
}

export async function remove(client: ScimClient, id: string, props: Partial<GroupState>, safety: SafetyHooks = noSafety): Promise<void> {
    if ((props.onDelete ?? GROUP_DEFAULTS.onDelete) === "retain") return;
    // Deleting a group takes its members' access through it: each counts as a removal.
    safety.beforeRemovingMembers(props.displayName ?? id, [...(props.members ?? []), ...(props.unmanagedMembers ?? [])]);
    await client.groups.delete(id);
}
