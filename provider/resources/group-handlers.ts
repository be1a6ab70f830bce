import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderContext } from "../context";
import { basisOf, observed, strip } from "../plan/basis";
import { planGroup, planGroupDelete } from "../plan/group-plan";
import { checkedMembers, Directory, directoryOf, everyoneInState, isEmail, Member, memberLabel, membersInState, stateLists, withMemberList } from "../plan/members";
import type { Writes } from "../plan/writes";
import { ScimError } from "../scim/errors";
import type { KnownGroup } from "../scim/groups";
import { GROUP_DEFAULTS, GroupInputs, groupInputsSchema, GroupState } from "./group-schema";
import type { Created } from "./created";
import { storedSettings } from "./settings";
import { sameTenant, tenantMoved } from "./tenant";
import { checkInputs } from "./validate";

/**
 * InVisionGroup's provider operations. check and diff are local; create,
 * read, update and delete talk to InVision: reads through the client, writes
 * only through plan/writes.ts, and only what plan/group-plan.ts decided.
 */

export function check(olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.CheckResult {
    const result = checkInputs(groupInputsSchema, news);
    if (result.failures.length === 0 && Array.isArray(result.inputs.members)) result.inputs.members = checkedMembers(olds?.members, result.inputs.members as unknown[]);
    return result;
}

/** Inputs as the engine hands them back (members as a set) in the shape the schema validates. */
export const fromInputs = withMemberList;

/** `step`: the engine plans a step (false when it only draws a refresh: then nothing is said). */
export function diff(ctx: ProviderContext, olds: Partial<GroupState>, news: Record<string, unknown>, step = true): dynamic.DiffResult {
    tenantMoved(ctx, "group", olds.displayName, olds.tenant);
    const plan = planGroup(olds, withMemberList(news), ctx.run, ctx.directory());
    if (step && plan.action !== "none") ctx.tell(plan.lines);
    return { changes: plan.action !== "none", replaces: plan.action === "replace" ? ["displayName"] : [] };
}


/** A declared member, resolved: how the program spells them, and their SCIM id (`looked` when InVision answered it in this call). */
interface Resolved {
    ref: string;
    id: string;
    looked?: boolean;
}

/** State from a live group: the declared members InVision has under the program's spelling, the others by email. */
function toState(
    group: KnownGroup,
    declared: readonly Resolved[],
    settings: Partial<Pick<GroupInputs, "membershipMode" | "onExisting" | "onDelete">>,
    emailOf: (id: string) => string | undefined,
    tenant: string | undefined,
): GroupState {
    return {
        displayName: group.displayName,
        ...stateLists(
            group.members.map((m) => m.value),
            declared,
            emailOf,
        ),
        ...storedSettings<GroupState, "membershipMode" | "onExisting" | "onDelete">(settings, GROUP_DEFAULTS),
        ...(tenant ? { tenant } : {}),
    };
}

/**
 * The SCIM id of each declared member. An id is taken as it is; an email is
 * looked up in what this run knows (the user resources it has seen, then
 * state), then in InVision (the run's shared listing once many are looked up;
 * a server whose filter matches case exactly is answered from the listing
 * too). An email nobody in InVision has fails the operation, naming it,
 * before anything is written to the group.
 */
async function resolveMembers(ctx: ProviderContext, refs: readonly string[], directory: Directory, groupName: string): Promise<Resolved[]> {
    const scim = ctx.scim();
    const missing: string[] = [];
    const resolved = await Promise.all(
        refs.map(async (ref): Promise<Resolved | undefined> => {
            if (!isEmail(ref)) return { ref, id: ref };
            const known = directory.idOf(ref);
            if (known !== undefined) return { ref, id: known };
            const id = (await scim.users.findPerson(ref))?.id;
            if (id === undefined) missing.push(ref);
            return id === undefined ? undefined : { ref, id, looked: true };
        }),
    );
    if (missing.length > 0) {
        throw new Error(
            `group '${groupName}' lists ${missing.length} member(s) that no InVision user has as email: ${missing.sort().join(", ")}. Nothing was written to this group. ` +
                `Check the spelling, or create the user first (declare an InVisionUser, or provision them through your identity provider), then run \`pulumi up\` again.`,
        );
    }
    const all = resolved as Resolved[];
    // One person under two spellings (an email and her SCIM id) would be sent twice, and removed under one while added under the other.
    const byId = new Map<string, number>();
    all.forEach((d, i) => {
        const j = byId.get(d.id);
        if (j !== undefined) {
            throw new Error(
                `group '${groupName}' lists the same person twice: members[${j}] '${all[j].ref}' and members[${i}] '${d.ref}' are one InVision user${isEmail(all[j].ref) ? "" : ` (${d.ref})`}. ` +
                    `Nothing was written to this group. Keep one of them (their email).`,
            );
        }
        byId.set(d.id, i);
    });
    return all;
}

/**
 * Members to add whose id came from state or this run's memory, not from
 * InVision just now: a person deleted by hand since has no account to add
 * (a strict server answers "member <id> is not a user"). Each is read (from
 * the run's listing once there are many); one InVision no longer has is
 * looked up by the email the program gives them (an account made again by
 * the identity provider), else left out and named.
 */
async function stillThere(ctx: ProviderContext, adding: readonly Resolved[], groupName: string): Promise<Resolved[]> {
    const scim = ctx.scim();
    const checked = await Promise.all(
        adding.map(async (d): Promise<Resolved | string> => {
            if (d.looked || (await scim.users.read(d.id))) return d;
            const again = isEmail(d.ref) ? await scim.users.findPerson(d.ref) : undefined;
            return again ? { ref: d.ref, id: again.id, looked: true } : d.ref;
        }),
    );
    const gone = checked.filter((c): c is string => typeof c === "string");
    if (gone.length > 0) {
        ctx.warn(
            `group '${groupName}': ${gone.length} member(s) to add no longer have an account in InVision (deleted outside this program since the last run): ${gone.join(", ")}. ` +
                `They were not added. Run \`pulumi refresh\` (the drift check does): the next preview then shows a new account made for each, and the \`up\` after it adds them.`,
        );
    }
    return checked.filter((c): c is Resolved => typeof c !== "string");
}

export async function create(ctx: ProviderContext, writes: Writes, inputs: GroupInputs): Promise<Created> {
    const scim = ctx.scim();
    // Every member's id before anything is written: an email nobody has fails here.
    const declared = await resolveMembers(ctx, inputs.members, ctx.resolver(), inputs.displayName);
    let live = await scim.groups.find(inputs.displayName);
    let adopted = live !== undefined;
    if (live) {
        if (inputs.onExisting === "fail") {
            throw new Error(`InVision group '${inputs.displayName}' already exists (id ${live.id}) and onExisting is "fail". Set onExisting: "adopt" to manage the existing group.`);
        }
    } else {
        try {
            // Verified: read back, and members the server did not take are added.
            live = await writes.createGroup(inputs.displayName, declared.map((d) => d.id));
        } catch (e) {
            if (!(e instanceof ScimError && e.is(409)) || inputs.onExisting === "fail") throw e;
            live = await scim.groups.findFresh(inputs.displayName);
            if (!live) throw e;
            adopted = true;
        }
    }
    // The first adoption never removes anyone: the preview showed only a
    // create. The group takes the declared name (InVision matches names
    // ignoring case) and members; the others are kept, recorded as
    // `unmanagedMembers`, and the next preview names them as removals.
    const after = await writes.changeGroup(live, { rename: inputs.displayName, add: declared.map((d) => d.id), remove: [] }, inputs.displayName);
    const emailOf = await namer(ctx, after, declared, []);
    const state = toState(after, declared, inputs, emailOf, ctx.tenant());
    if (adopted && inputs.membershipMode === "authoritative" && state.unmanagedMembers.length > 0) {
        ctx.warn(
            `group '${inputs.displayName}' adopted with ${state.unmanagedMembers.length} member(s) the program does not declare, kept for now: ${state.unmanagedMembers.join(", ")}. ` +
                `The next preview shows their removal (membershipMode authoritative); declare them to keep them.`,
        );
    }
    return { id: live.id, outs: state, adopted };
}

/**
 * Emails of a live group's members: the declared ones by their spelling, the
 * rest from state and this run, and only then from InVision (a read each, or
 * the run's listing once there are many: scim/listing.ts).
 */
async function namer(ctx: ProviderContext, group: KnownGroup, declared: readonly Resolved[], recorded: readonly Member[]): Promise<(id: string) => string | undefined> {
    const known = new Map<string, string>();
    for (const m of recorded) if (m.id && m.email) known.set(m.id, m.email);
    for (const d of declared) if (isEmail(d.ref)) known.set(d.id, d.ref);
    const unnamed = group.members.map((m) => m.value).filter((id) => !known.has(id) && ctx.people.emailOf(id) === undefined);
    const scim = ctx.scim();
    await Promise.all(
        unnamed.map(async (id) => {
            const u = await scim.users.read(id);
            if (u) ctx.people.note(id, u.userName);
        }),
    );
    return (id) => known.get(id) ?? ctx.people.emailOf(id);
}

/** The fields and members a plan compares: a read that finds any of them changed keeps the basis for the rest of the run. */
function differs(a: Partial<GroupState>, b: Partial<GroupState>): boolean {
    if (a.displayName !== b.displayName || a.gone !== b.gone) return true;
    const ids = (s: Partial<GroupState>) => everyoneInState(s).map((m) => m.id ?? `email:${(m.email ?? "").toLowerCase()}`).sort().join("\n");
    return ids(a) !== ids(b);
}

/** What a read found that differs from what state said, by person. */
function drift(before: Partial<GroupState>, after: Partial<GroupState>, emailOf: (id: string) => string | undefined): string[] {
    if (after.gone && !before.gone) return ["the group no longer exists (deleted outside this program)"];
    const out: string[] = [];
    if (before.displayName !== after.displayName) out.push(`renamed to '${after.displayName}'`);
    const key = (m: Member) => m.id ?? `email:${(m.email ?? "").toLowerCase()}`;
    const was = everyoneInState(before, emailOf);
    const now = everyoneInState(after, emailOf);
    const wasKeys = new Set(was.map(key));
    const nowKeys = new Set(now.map(key));
    const joined = now.filter((m) => !wasKeys.has(key(m)));
    const left = was.filter((m) => !nowKeys.has(key(m)));
    if (joined.length) out.push(`${joined.length} member(s) added: ${joined.map(memberLabel).join(", ")}`);
    if (left.length) out.push(`${left.length} member(s) removed: ${left.map(memberLabel).join(", ")}`);
    return out;
}

export async function read(ctx: ProviderContext, id: string, props: Partial<GroupState>): Promise<dynamic.ReadResult> {
    const importing = props.displayName === undefined;
    const live = await ctx.scim().groups.read(id);
    if (importing) {
        if (!live) throw new Error(`There is no InVision group with id ${id}: nothing to import. Check the id (InVision's admin console, or \`pulumi-invision export\`).`);
        // An imported group's live members become its declared members: the program `pulumi import` writes lists them.
        const emailOf = await namer(ctx, live, [], []);
        const members = live.members.map((m) => ({ ref: emailOf(m.value) ?? m.value, id: m.value }));
        const state = toState(live, members, {}, emailOf, ctx.tenant());
        return { id, props: state, inputs: { displayName: state.displayName, members: state.members } };
    }
    sameTenant(ctx, "group", props.displayName, props.tenant);
    const basis = basisOf(props, ctx.run);
    const { declared: recorded, unmanaged } = membersInState(props, (i) => ctx.people.emailOf(i));
    let truth: GroupState;
    let emailOf: (id: string) => string | undefined = (i) => ctx.people.emailOf(i);
    if (!live) {
        truth = { ...(strip(props) as GroupState), gone: true };
    } else {
        // The declared members state knows an id for keep their spelling.
        const declared: Resolved[] = [];
        recorded.forEach((m, i) => {
            const ref = props.members?.[i];
            if (ref !== undefined && m.id !== undefined) declared.push({ ref, id: m.id });
        });
        emailOf = await namer(ctx, live, declared, [...recorded, ...unmanaged]);
        truth = toState(live, declared, { ...props, membershipMode: props.membershipMode ?? GROUP_DEFAULTS.membershipMode }, emailOf, props.tenant ?? ctx.tenant());
    }
    const found = drift(basis, truth, emailOf);
    if (found.length > 0) {
        ctx.warn(
            `group '${props.displayName}': InVision differs from what the last run recorded (changed outside this program): ${found.join("; ")}. ` +
                `Nothing is changed in this run; the next preview shows what \`pulumi up\` will do about it.`,
        );
    }
    return { id, props: observed(props, truth, ctx.run, differs) };
}

export async function update(ctx: ProviderContext, writes: Writes, id: string, olds: Partial<GroupState>, news: GroupInputs): Promise<dynamic.UpdateResult> {
    sameTenant(ctx, "group", news.displayName, olds.tenant);
    // What the preview showed: state (as it was before this run's reads) against the declaration.
    const plan = planGroup(olds, news, ctx.run, ctx.directory());
    const basis = basisOf(olds, ctx.run);
    const recorded = everyoneInState(basis, (i) => ctx.people.emailOf(i));
    const directory = directoryOf(recorded, ctx.resolver());
    // Every declared member's id before any write: an unknown email fails here.
    const resolved = await resolveMembers(ctx, news.members, directory, news.displayName);
    const live = await ctx.scim().groups.getWithMembers(id);
    if (!live) {
        ctx.warn(
            `group '${news.displayName}' no longer exists in InVision (deleted outside this program since the last run): nothing was changed for it in this run. ` +
                `The next preview shows it being created again.`,
        );
        return { outs: { ...(strip(olds) as GroupState), gone: true } };
    }
    const planned = new Set(plan.add.map((a) => a.ref));
    const adding = await stillThere(ctx, resolved.filter((d) => planned.has(d.ref)), news.displayName);
    // The program's members as InVision now knows them (an account found again under the same email replaces a deleted one).
    const again = new Map(adding.map((d) => [d.ref, d]));
    const declared = resolved.map((d) => again.get(d.ref) ?? d);
    const removing = plan.remove.filter((m): m is Member & { id: string } => m.id !== undefined).map((m) => ({ id: m.id, label: memberLabel(m) }));
    // A member the plan both adds (under a new spelling) and removes (under the old) is the same person: she stays.
    const addIds = new Set(adding.map((d) => d.id));
    const leaving = removing.filter((m) => !addIds.has(m.id));
    const after = await writes.changeGroup(live, { rename: plan.rename?.to, add: adding.map((d) => d.id), remove: leaving }, news.displayName);
    if (plan.rename && after.displayName !== news.displayName) {
        throw new Error(`InVision accepted but did not apply the rename of group '${live.displayName}' to '${news.displayName}' (id ${id}).`);
    }
    const emailOf = await namer(ctx, after, declared, recorded);
    const state = toState(after, declared, news, emailOf, olds.tenant ?? ctx.tenant());
    reportLeftAlone(ctx, news, plan.rename !== undefined, live, declared, leaving, adding, emailOf);
    return { outs: state };
}

/** Says at `up` what InVision has that the preview did not cover, and so was left as it is. */
function reportLeftAlone(
    ctx: ProviderContext,
    news: GroupInputs,
    renamed: boolean,
    live: KnownGroup,
    declared: readonly Resolved[],
    leaving: readonly { id: string }[],
    adding: readonly Resolved[],
    emailOf: (id: string) => string | undefined,
): void {
    const label = (id: string) => emailOf(id) ?? `user id ${id}`;
    const declaredIds = new Set(declared.map((d) => d.id));
    const removed = new Set(leaving.map((m) => m.id));
    const added = new Set(adding.map((d) => d.id));
    const liveIds = live.members.map((m) => m.value);
    const kept = news.membershipMode === "authoritative" ? liveIds.filter((i) => !declaredIds.has(i) && !removed.has(i)) : [];
    if (kept.length > 0) {
        ctx.warn(
            `group '${news.displayName}': ${kept.length} member(s) in InVision that the program does not declare were not in this run's preview, so they were kept: ${kept.map(label).join(", ")}. ` +
                `The next preview shows their removal; declare them to keep them.`,
        );
    }
    const present = new Set(liveIds);
    const missing = declared.filter((d) => !present.has(d.id) && !added.has(d.id)).map((d) => (isEmail(d.ref) ? d.ref : label(d.id)));
    if (missing.length > 0) {
        ctx.warn(
            `group '${news.displayName}': ${missing.length} declared member(s) are not in the group in InVision (removed outside this program since the last run): ${missing.join(", ")}. ` +
                `This run's preview did not show adding them back, so they were left out; the next preview shows it.`,
        );
    }
    if (!renamed && live.displayName !== news.displayName) {
        ctx.warn(`group '${news.displayName}' is named '${live.displayName}' in InVision (renamed outside this program); left as it is, the next preview shows the rename.`);
    }
}

export async function remove(ctx: ProviderContext, writes: Writes, id: string, props: Partial<GroupState>): Promise<void> {
    const plan = planGroupDelete(props, ctx.directory());
    if (plan.action === "retain") return;
    sameTenant(ctx, "group", props.displayName, props.tenant);
    // Deleting a group takes its members' access through it: each live member
    // counts as a removal (members added by hand since the last run too), on
    // every path, including the emptying PATCH of a server with no DELETE.
    const live = await ctx.scim().groups.getWithMembers(id);
    if (!live) return;
    const emailOf = await namer(ctx, live, [], everyoneInState(props, (i) => ctx.people.emailOf(i)));
    await writes.deleteGroup(
        live,
        live.members.map((m) => ({ id: m.value, label: emailOf(m.value) ?? `user id ${m.value}` })),
    );
}

