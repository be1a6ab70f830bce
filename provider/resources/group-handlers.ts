import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ScimClient } from "../scim/client";
import { ScimError } from "../scim/errors";
import type { ScimGroup } from "../scim/schemas";
import { diffGroup, planMembership } from "./diff";
import { GroupInputs, groupInputsSchema, GroupState } from "./group-schema";
import { Created, silentFailure } from "./created";
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

function liveMembers(group: ScimGroup): string[] {
    return (group.members ?? []).map((m) => m.value);
}

/** State from a live group: declared members present, and the others. */
export function toState(
    group: ScimGroup,
    declared: Pick<GroupInputs, "members" | "membershipMode" | "onExisting" | "onDelete">,
    memberNames: Record<string, string> = {},
): GroupState {
    const live = liveMembers(group);
    const declaredSet = new Set(declared.members);
    return {
        displayName: group.displayName,
        members: declared.members.filter((id) => live.includes(id)),
        unmanagedMembers: live.filter((id) => !declaredSet.has(id)),
        membershipMode: declared.membershipMode,
        onExisting: declared.onExisting,
        onDelete: declared.onDelete,
        memberNames: Object.fromEntries(live.filter((id) => memberNames[id]).map((id) => [id, memberNames[id]])),
    };
}

export async function create(client: ScimClient, inputs: GroupInputs, safety: SafetyHooks = noSafety): Promise<Created> {
    let live = await client.findGroupByName(inputs.displayName);
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
            live = await client.createGroup(inputs.displayName, inputs.members);
        } catch (e) {
            if (!(e instanceof ScimError && e.is(409)) || inputs.onExisting === "fail") throw e;
            live = await client.findGroupByName(inputs.displayName, true);
            if (!live) throw e;
            adopted = true;
        }
        // Read back: the POST answer may leave members out, or (SSO inactive)
        // describe a group InVision did not keep.
        const stored = await client.getGroup(live.id);
        if (!stored) throw silentFailure("group", inputs.displayName, live.id);
        live = stored;
    }
    // The first adoption never removes anyone: the preview showed only a
    // create, so removing the members the program does not declare would be
    // a loss of access nobody reviewed. They are kept as `unmanagedMembers`;
    // the next preview names them as removals, and the `up` after it applies.
    const outs = await converge(client, live, inputs, safety, { firstAdoption: adopted });
    if (adopted && inputs.membershipMode === "authoritative" && outs.unmanagedMembers.length > 0) {
        const who = outs.unmanagedMembers.map((id) => outs.memberNames[id] ?? `user id ${id}`).join(", ");
        safety.warn(
            `group '${inputs.displayName}' adopted with ${outs.unmanagedMembers.length} member(s) the program does not declare, kept for now: ${who}. ` +
                `The next preview shows their removal (membershipMode authoritative); declare them to keep them.`,
        );
    }
    return { id: live.id, outs, adopted };
}

async function converge(client: ScimClient, live: ScimGroup, inputs: GroupInputs, safety: SafetyHooks, opts: { firstAdoption?: boolean; previousNames?: Record<string, string> } = {}): Promise<GroupState> {
    const members = liveMembers(live);
    const plan = planMembership(members, inputs.members, opts.firstAdoption ? "additive" : inputs.membershipMode);
    // Before any write of this group: a refusal leaves it exactly as it was.
    safety.beforeRemovingMembers(inputs.displayName, plan.remove);
    if (live.displayName !== inputs.displayName) await client.renameGroup(live.id, inputs.displayName);
    await client.changeMembers(live.id, plan.add, plan.remove);
    const removed = new Set(plan.remove);
    const now = [...members.filter((id) => !removed.has(id)), ...plan.add];
    const declared = new Set(inputs.members);
    const names = await safety.memberNames(client, now, opts.previousNames ?? {}, now.filter((id) => !declared.has(id)));
    return toState({ ...live, displayName: inputs.displayName, members: now.map((value) => ({ value })) }, inputs, names);
}

export async function read(client: ScimClient, id: string, props: Partial<GroupState>, safety: SafetyHooks = noSafety): Promise<dynamic.ReadResult> {
    const live = await client.getGroup(id);
    if (!live) return {};
    const declared = {
        members: props.members ?? [],
        membershipMode: props.membershipMode ?? "authoritative",
        onExisting: props.onExisting ?? "adopt",
        onDelete: props.onDelete ?? "delete",
    } as const;
    // Members someone removed in InVision drop out of `members`, so the next diff re-adds them.
    const declaredSet = new Set(declared.members);
    const members = liveMembers(live);
    const names = await safety.memberNames(client, members, props.memberNames ?? {}, members.filter((m) => !declaredSet.has(m)));
    const state = toState(live, declared, names);
    // The next diff compares the declaration with what InVision has: in
    // authoritative mode the full live list, so extra members show as removals.
    const inputs: Record<string, unknown> = {
        displayName: live.displayName,
        members: declared.membershipMode === "authoritative" ? liveMembers(live) : state.members,
        membershipMode: declared.membershipMode,
        onExisting: declared.onExisting,
        onDelete: declared.onDelete,
    };
    return { id, props: state, inputs };
}

export async function update(client: ScimClient, id: string, news: GroupInputs, safety: SafetyHooks = noSafety, olds: Partial<GroupState> = {}): Promise<dynamic.UpdateResult> {
    // Plan against InVision as it is now, not as state remembers it: a member
    // added elsewhere since the last run is seen, and nobody is removed by mistake.
    const live = await client.getGroup(id);
    if (!live) {
        throw new Error(`InVision group '${news.displayName}' (id ${id}) no longer exists. Run \`pulumi refresh\` so Pulumi recreates it.`);
    }
    return { outs: await converge(client, live, news, safety, { previousNames: olds.memberNames }) };
}

export async function remove(client: ScimClient, id: string, props: Partial<GroupState>, safety: SafetyHooks = noSafety): Promise<void> {
    if ((props.onDelete ?? "delete") === "retain") return;
    // Deleting a group takes its members' access through it: each counts as a removal.
    safety.beforeRemovingMembers(props.displayName ?? id, [...(props.members ?? []), ...(props.unmanagedMembers ?? [])]);
    await client.deleteGroup(id);
}
