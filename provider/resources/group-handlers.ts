import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ScimClient } from "../scim/client";
import { ScimError } from "../scim/errors";
import type { KnownGroup } from "../scim/groups";
import { diffGroup, planMembers } from "./diff";
import { GROUP_DEFAULTS, GroupInputs, groupInputsSchema, GroupState } from "./group-schema";
import { isEmail, Member, memberKey, memberLabel, membersInState } from "./group-members";
import { knownUserName } from "../safety/names";
import type { Created } from "./created";
import { storedSettings } from "./settings";
import { checkInputs, isUnknown } from "./validate";
import { noSafety, SafetyHooks } from "../safety/hooks";

export function check(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.CheckResult {
    const result = checkInputs(groupInputsSchema, news);
    if (result.failures.length === 0 && Array.isArray(result.inputs.members)) {
        const members = result.inputs.members as unknown[];
        result.inputs.members = members.some(isUnknown) ? stableOrder(memberList(olds?.members) ?? [], members) : memberSet(members as string[]);
    }
    return result;
}

/**
 * The checked inputs hold the members as a set, `{ "alice@example.com":
 * "member", … }`, not as the list the program wrote. The engine shows an
 * input's change from the previous inputs to these, and it shows a list
 * position by position: a member leaving from the middle read as everyone
 * after them shifting, and a kept member as removed (`~ [0]: carol => dana`,
 * `- [1]: dana`). A set shows exactly who comes and who goes:
 * `- bob@example.com: "member"`, `+ erin@example.com: "member"`. The
 * program's view (`members`, an output) stays a list.
 */
export function memberSet(refs: readonly string[]): Record<string, string> {
    return Object.fromEntries(refs.map((ref) => [ref, "member"]));
}

/** The members of inputs in either shape (the set above, or a list from a program, or from state before the set). */
export function memberList(v: unknown): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (v !== null && typeof v === "object") return Object.keys(v);
    return undefined;
}

/** Inputs as the engine hands them back (members as a set) in the shape the schema validates. */
export function fromInputs(props: Record<string, unknown>): Record<string, unknown> {
    const members = memberList(props.members);
    return members === undefined ? props : { ...props, members };
}

/**
 * Members keep the positions they had, and newcomers go last: for the one
 * case where the members stay a list, some not known until apply.
 */
export function stableOrder(previous: readonly unknown[], declared: readonly unknown[]): unknown[] {
    const wanted = new Set(declared);
    const kept = previous.filter((m) => wanted.has(m));
    const keptSet = new Set(kept);
    return [...kept, ...declared.filter((m) => !keptSet.has(m))];
}

export function diff(olds: Partial<GroupState>, news: Record<string, unknown>): dynamic.DiffResult {
    const d = diffGroup(olds, fromInputs(news) as Partial<GroupInputs>, knownUserName);
    return { changes: d.changes, replaces: d.replaces };
}

function liveMembers(group: KnownGroup): string[] {
    return group.members.map((m) => m.value);
}

/** A declared member, resolved: how the program spells them, and their SCIM id. */
interface Resolved {
    ref: string;
    id: string;
}

/**
 * State from a live group. `members`: the declared members InVision has, as
 * emails (an id only where no email is known); `unmanagedMembers`: the
 * others, likewise; `memberIds`: the ids of both, aligned. Linear in the members.
 */
export function toState(
    group: KnownGroup,
    declared: readonly Resolved[],
    settings: Partial<Pick<GroupInputs, "membershipMode" | "onExisting" | "onDelete">>,
    emailOf: (id: string) => string | undefined,
): GroupState {
    const live = new Set(liveMembers(group));
    const declaredIds = new Set(declared.map((d) => d.id));
    const present = declared.filter((d) => live.has(d.id));
    const others = liveMembers(group).filter((id) => !declaredIds.has(id));
    return {
        displayName: group.displayName,
        members: present.map((d) => (isEmail(d.ref) ? d.ref : (emailOf(d.id) ?? d.ref))),
        unmanagedMembers: others.map((id) => emailOf(id) ?? id),
        memberIds: [...present.map((d) => d.id), ...others],
        ...storedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(settings, GROUP_DEFAULTS),
    };
}

/**
 * The SCIM id of each declared member. An id is taken as it is; an email is
 * looked up in what this run knows (the user resources it has seen, state),
 * then in InVision (the run's shared listing once many are looked up). An
 * email nobody in InVision has fails the operation, naming it, before
 * anything is written to the group.
 */
async function resolveMembers(client: ScimClient, refs: readonly string[], known: readonly Member[], groupName: string): Promise<Resolved[]> {
    const fromState = new Map<string, string>();
    for (const m of known) if (m.id && m.email) fromState.set(m.email.toLowerCase(), m.id);
    const missing: string[] = [];
    const resolved = await Promise.all(
        refs.map(async (ref): Promise<Resolved | undefined> => {
            if (!isEmail(ref)) return { ref, id: ref };
            const id = client.people.idOf(ref) ?? fromState.get(ref.toLowerCase()) ?? (await client.users.find(ref))?.id;
            if (id === undefined) missing.push(ref);
            return id === undefined ? undefined : { ref, id };
        }),
    );
    if (missing.length > 0) {
        throw new Error(
            `group '${groupName}' lists ${missing.length} member(s) that no InVision user has as email: ${missing.sort().join(", ")}. Nothing was written to this group. ` +
                `Check the spelling, or create the user first (declare an InVisionUser, or provision them through your identity provider), then run \`pulumi up\` again.`,
        );
    }
    return resolved as Resolved[];
}

export async function create(client: ScimClient, inputs: GroupInputs, safety: SafetyHooks = noSafety): Promise<Created> {
    // Every member's id before anything is written: an email nobody has fails here.
    const declared = await resolveMembers(client, inputs.members, [], inputs.displayName);
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
            live = await client.groups.create(inputs.displayName, declared.map((d) => d.id));
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
    const outs = await apply(client, live, inputs, plannedChange({}, inputs), safety, { adopted, resolved: declared });
    return { id: live.id, outs, adopted };
}

/**
 * What an update may change: the difference between state and the
 * declaration, which is what the pull request's preview showed (it runs with
 * no token and no refresh). Anything else InVision differs in is left alone.
 * `add` are declared member spellings; `remove` are members state recorded.
 */
export interface GroupChange {
    add: Set<string>;
    remove: Member[];
    rename: boolean;
    /** Everyone state recorded, with their ids: what resolves emails and names people with no request. */
    believed: Member[];
}

/**
 * The change the diff of state against the declaration implies. On a first
 * adoption state is empty: everyone declared is added and nobody removed.
 */
export function plannedChange(olds: Partial<GroupState>, news: GroupInputs): GroupChange {
    const plan = planMembers(olds, news.members, news.membershipMode, knownUserName);
    const adding = new Set(plan.add);
    const removing = new Set(plan.remove);
    return {
        add: new Set(news.members.filter((_, i) => adding.has(plan.keys[i]))),
        remove: plan.believed.filter((m) => removing.has(memberKey(m))),
        rename: olds.displayName !== news.displayName,
        believed: plan.believed,
    };
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
    opts: { adopted?: boolean; resolved?: Resolved[] } = {},
): Promise<GroupState> {
    // Every declared member's id first (create has them already): an unknown email fails here, before any write.
    const declared = opts.resolved ?? (await resolveMembers(client, inputs.members, change.believed, inputs.displayName));
    const present = new Set(liveMembers(live));
    const add = declared.filter((d) => change.add.has(d.ref) && !present.has(d.id)).map((d) => d.id);
    // Every format of state this package writes records the ids of the members it names.
    const leaving = change.remove.filter((m) => m.id !== undefined && present.has(m.id));
    const remove = leaving.map((m) => m.id as string);
    const renamed = change.rename && live.displayName !== inputs.displayName;
    // Counted on what really leaves, before any write of this group: a refusal leaves it exactly as it was.
    safety.beforeRemovingMembers(inputs.displayName, remove);
    if (remove.length > 0) {
        safety.warn(`group '${inputs.displayName}': removing ${remove.length} member(s): ${leaving.map(memberLabel).join(", ")}`);
    }
    if (renamed) await client.groups.rename(live.id, inputs.displayName);
    let after = live;
    if (add.length > 0 || remove.length > 0 || renamed) {
        after = await client.groups.changeMembers(live.id, add, remove, inputs.displayName);
    }
    if (change.rename && after.displayName !== inputs.displayName) {
        throw new Error(`InVision accepted but did not apply the rename of group '${live.displayName}' to '${inputs.displayName}' (id ${live.id}).`);
    }
    const emailOf = await namer(client, after, declared, change.believed, safety);
    const state = toState(after, declared, inputs, emailOf);
    reportLeftAlone(inputs, change, declared, state, emailOf, safety, opts.adopted ?? false);
    return state;
}

/**
 * Emails of a live group's members: the declared ones by their spelling, the
 * rest from this run and state, and only then from InVision (a read each, or
 * the run's listing once there are many: scim/listing.ts).
 */
async function namer(client: ScimClient, group: KnownGroup, declared: readonly Resolved[], believed: readonly Member[], safety: SafetyHooks): Promise<(id: string) => string | undefined> {
    const known = new Map<string, string>();
    for (const m of believed) if (m.id && m.email) known.set(m.id, m.email);
    for (const d of declared) if (isEmail(d.ref)) known.set(d.id, d.ref);
    const unnamed = liveMembers(group).filter((id) => !known.has(id));
    const looked = await safety.memberNames(client, unnamed, {}, unnamed);
    for (const [id, email] of Object.entries(looked)) known.set(id, email);
    return (id) => known.get(id) ?? knownUserName(id);
}

/** Says at `up` what InVision has that the preview did not cover, and so was left as it is. */
function reportLeftAlone(
    inputs: GroupInputs,
    change: GroupChange,
    declared: readonly Resolved[],
    state: GroupState,
    emailOf: (id: string) => string | undefined,
    safety: SafetyHooks,
    adopted: boolean,
): void {
    const planned = new Set(change.remove.map(memberKey));
    const ids = state.memberIds ?? [];
    const others = state.unmanagedMembers.map((ref, j) => ({ ref, id: ids[state.members.length + j] }));
    const kept = inputs.membershipMode === "authoritative" ? others.filter((o) => !planned.has(memberKey({ id: o.id, email: emailOf(o.id) }))).map((o) => o.ref) : [];
    if (kept.length > 0 && adopted) {
        safety.warn(
            `group '${inputs.displayName}' adopted with ${kept.length} member(s) the program does not declare, kept for now: ${kept.join(", ")}. ` +
                `The next preview shows their removal (membershipMode authoritative); declare them to keep them.`,
        );
    } else if (kept.length > 0) {
        safety.warn(
            `group '${inputs.displayName}': ${kept.length} member(s) in InVision that the program does not declare were not in this run's preview, so they were kept: ${kept.join(", ")}. ` +
                `The next preview shows their removal; declare them to keep them.`,
        );
    }
    const present = new Set(ids.slice(0, state.members.length));
    const missing = declared.filter((d) => !present.has(d.id)).map((d) => (isEmail(d.ref) ? d.ref : (emailOf(d.id) ?? `user id ${d.id}`)));
    if (missing.length > 0) {
        safety.warn(
            `group '${inputs.displayName}': ${missing.length} declared member(s) are not in the group in InVision (removed outside this program since the last run): ${missing.join(", ")}. ` +
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
    const mode = props.membershipMode ?? GROUP_DEFAULTS.membershipMode;
    const { declared: recorded, unmanaged } = membersInState(props, knownUserName);
    // The declared members state knows an id for keep their spelling; members
    // someone removed in InVision drop out of `members`, so the next diff re-adds them.
    const declared: Resolved[] = [];
    recorded.forEach((m, i) => {
        const ref = props.members?.[i];
        if (ref !== undefined && m.id !== undefined) declared.push({ ref, id: m.id });
    });
    const emailOf = await namer(client, live, declared, [...recorded, ...unmanaged], safety);
    const state = toState(live, declared, { ...props, membershipMode: mode }, emailOf);
    // The next diff compares the declaration with what InVision has: in
    // authoritative mode the full live list, so extra members show as removals.
    const inputs: Record<string, unknown> = {
        displayName: live.displayName,
        members: memberSet(mode === "authoritative" ? [...state.members, ...state.unmanagedMembers] : state.members),
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
    return { outs: await apply(client, live, news, plannedChange(olds, news), safety) };
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
        const { declared, unmanaged } = membersInState(props, knownUserName);
        const emailOf = await namer(client, live, [], [...declared, ...unmanaged], safety);
        safety.warn(`deleting group '${live.displayName}': ${members.length} member(s) lose the access it gave them: ${members.map((m) => emailOf(m) ?? `user id ${m}`).join(", ")}`);
    }
    await client.groups.delete(id);
}
