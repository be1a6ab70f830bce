import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderContext } from "../context";
import { basisOf, observed, strip } from "../plan/basis";
import { liveEmail, NAME_FIELDS, planUser, planUserDelete } from "../plan/user-plan";
import type { Writes } from "../plan/writes";
import { ScimError } from "../scim/errors";
import type { ScimUser } from "../scim/schemas";
import type { Created } from "./created";
import { storedSettings } from "./settings";
import { sameTenant, tenantMoved } from "./tenant";
import { PROFILE_FIELDS, USER_DEFAULTS, UserInputs, userInputsSchema, UserState } from "./user-schema";
import { checkInputs } from "./validate";

/**
 * InVisionUser's provider operations. check and diff are local; create,
 * read, update and delete talk to InVision: reads through the client, writes
 * only through plan/writes.ts, and only what plan/user-plan.ts decided.
 */

export function check(_olds: unknown, news: Record<string, unknown>): dynamic.CheckResult {
    const result = checkInputs(userInputsSchema, news);
    // The one default kept in the inputs: a person's access hangs on
    // `active`, and the engine shows a change of it as a value
    // ("active: false => true") only when the inputs carry it.
    if (result.failures.length === 0 && result.inputs.active === undefined) result.inputs.active = true;
    return result;
}

/** `step`: the engine plans a step (false when it only draws a refresh: then nothing is said). */
export function diff(ctx: ProviderContext, id: string, olds: Partial<UserState>, news: Partial<UserInputs>, step = true): dynamic.DiffResult {
    tenantMoved(ctx, "user", olds.userName, olds.tenant);
    const plan = planUser(olds, news, ctx.run);
    // Who is who, for the groups' plans: the program's email and InVision's lead to the same person.
    ctx.recordPerson(id, olds.userName, olds.emailInInVision);
    if (step && plan.action !== "none") ctx.tell(plan.lines);
    return { changes: plan.action !== "none", replaces: plan.action === "replace" ? ["userName"] : [], deleteBeforeReplace: false };
}


/**
 * State from what InVision reports. `userName` is the email the program
 * names the person by (so outputs, and the groups that use them, do not move
 * when InVision's changes); InVision's own, when it differs, is
 * `emailInInVision`. The declared settings that are not defaults are kept.
 */
export function toState(live: ScimUser, name: string, settings: Partial<Pick<UserInputs, "onExisting" | "onDelete">>, tenant: string | undefined): UserState {
    const state: UserState = { userName: name, active: live.active ?? true, ...storedSettings<UserState, "onExisting" | "onDelete">(settings, USER_DEFAULTS) };
    if (live.userName.toLowerCase() !== name.toLowerCase()) state.emailInInVision = live.userName;
    const given = live.name?.givenName ?? undefined;
    const family = live.name?.familyName ?? undefined;
    if (given) state.givenName = given;
    if (family) state.familyName = family;
    if (live.displayName) state.displayName = live.displayName;
    if (live.externalId) state.externalId = live.externalId;
    if (live.meta?.created) state.created = live.meta.created;
    if (tenant) state.tenant = tenant;
    return state;
}

export async function create(ctx: ProviderContext, writes: Writes, inputs: UserInputs): Promise<Created> {
    const scim = ctx.scim();
    // Look up first: adopting an existing user then costs no write at all, and
    // a re-run after a crash finds what the crashed run created. (Served from
    // the shared listing when many users are created in one run.)
    let live = await scim.users.find(inputs.userName);
    if (!live) {
        try {
            live = await writes.createUser({ ...inputs });
        } catch (e) {
            // The user exists although the lookup missed it: created by
            // someone else meanwhile, a case-exact filter, or a deactivated
            // user the server hides from its lists.
            if (!(e instanceof ScimError && e.is(409))) throw e;
            live = await scim.users.findAfterConflict(inputs.userName);
            if (!live) throw hiddenUser(inputs.userName, e, inputs.active);
            return { ...(await adopt(ctx, writes, live, inputs)), adopted: true };
        }
        // Servers may ignore fields on create (V7); bring the rest into line.
        return { ...(await converge(ctx, writes, live, inputs)), adopted: false };
    }
    return { ...(await adopt(ctx, writes, live, inputs)), adopted: true };
}

function hiddenUser(userName: string, conflict: ScimError, declaredActive: boolean): Error {
    // The server's own words stay in the error: they may name a cause this advice does not cover.
    const said = conflict.detail ?? conflict.scimType;
    const what = `InVision says a user ${userName} already exists (409${said ? `: ${said}` : ""}), but no list, filter or known id shows it.`;
    if (conflict.afterLostAnswer && !declaredActive) {
        return new Error(
            `${what} The answer to this run's first attempt to create it was lost: that create most likely landed, and InVision hides the new user ` +
                `because it is deactivated (active: false, as declared), so nobody has gained access. Its SCIM id was in the lost answer, so it cannot be adopted yet: ` +
                `give the resource the option \`import: "<id>"\` with its SCIM id (InVision Support can tell it), or have the account activated briefly in InVision's admin console; ` +
                `the next \`pulumi up\` then adopts it and deactivates it again, as declared.`,
        );
    }
    const moved =
        `If this person is already managed by this stack under another resource name (a moved or renamed resource), its id is in that resource's state: ` +
        `add \`aliases\` naming the old resource to the new one so Pulumi moves it rather than creating it, or run \`pulumi up --refresh\` so the id is read from state before this create.`;
    if (!declaredActive) return new Error(`${what} Servers that hide deactivated users from their lists answer this way for a deactivated user. ${moved}`);
    return new Error(
        `${what} Servers that hide deactivated users from their lists answer this way for a former member whose SCIM id this stack no longer holds. ${moved} ` +
            `Otherwise, to bring them back: reactivate ${userName} in InVision's admin console (People), then run \`pulumi up\` again and they will be adopted as they are. ` +
            `(Keep leavers in the program with active: false rather than removing them, so their id stays in state and they can be reactivated from code.)`,
    );
}

function adopt(ctx: ProviderContext, writes: Writes, live: ScimUser, inputs: UserInputs): Promise<dynamic.CreateResult> {
    if (inputs.onExisting === "fail") {
        throw new Error(`InVision user ${inputs.userName} already exists (id ${live.id}) and onExisting is "fail". Set onExisting: "adopt" to manage the existing user.`);
    }
    return converge(ctx, writes, live, inputs);
}

/**
 * A create brings the account to the declaration in full: the preview showed
 * `+ create` with these inputs (and said that an existing account is adopted).
 * Adopting an active account as `active: false` takes someone's access, so
 * the guard is asked and the person named, like any other deactivation.
 */
async function converge(ctx: ProviderContext, writes: Writes, live: ScimUser, inputs: UserInputs): Promise<dynamic.CreateResult> {
    const want = declaredWrite(inputs);
    const why = live.active !== false && inputs.active === false ? "an existing active account adopted by a resource declared active: false" : "adopted as declared";
    const after = await writes.patchUser(live.id, inputs.userName, want, live, why);
    return { id: after.id, outs: verified(after, inputs, want, ctx.tenant()) };
}

/** Everything the declaration says, as a write (what a create makes true). */
function declaredWrite(inputs: UserInputs) {
    const want: Record<string, unknown> = { active: inputs.active };
    for (const k of NAME_FIELDS) if (inputs[k] !== undefined) want[k] = inputs[k];
    return want as ReturnType<typeof planUser>["write"];
}

/** The fields a plan compares: a read that finds any of them changed keeps the basis for the rest of the run. */
function differs(a: Partial<UserState>, b: Partial<UserState>): boolean {
    return (
        (a.active ?? true) !== (b.active ?? true) ||
        (liveEmail(a) ?? "").toLowerCase() !== (liveEmail(b) ?? "").toLowerCase() ||
        a.gone !== b.gone ||
        NAME_FIELDS.some((k) => a[k] !== b[k])
    );
}

/** What a read found that differs from what state said, by person and field. */
function drift(before: Partial<UserState>, after: Partial<UserState>): string[] {
    if (after.gone && !before.gone) return ["the account no longer exists (deleted outside this program)"];
    const out: string[] = [];
    if ((before.active ?? true) !== (after.active ?? true)) out.push(after.active === false ? "deactivated" : "reactivated");
    const was = liveEmail(before);
    const now = liveEmail(after);
    if ((was ?? "").toLowerCase() !== (now ?? "").toLowerCase()) out.push(`email changed to ${now}`);
    for (const k of NAME_FIELDS) if (before[k] !== after[k] && before[k] !== undefined) out.push(`${k} '${after[k] ?? ""}'`);
    return out;
}

export async function read(ctx: ProviderContext, id: string, props: Partial<UserState>): Promise<dynamic.ReadResult> {
    const importing = props.userName === undefined;
    const live = await ctx.scim().users.read(id);
    if (importing) {
        if (!live) throw new Error(`There is no InVision user with id ${id}: nothing to import. Check the id (InVision's admin console, or \`pulumi-invision export\`).`);
        const state = toState(live, live.userName, {}, ctx.tenant());
        ctx.recordPerson(id, live.userName);
        return { id, props: state, inputs: importedInputs(state) };
    }
    sameTenant(ctx, "user", props.userName, props.tenant);
    const basis = basisOf(props, ctx.run);
    const truth: UserState = live ? toState(live, props.userName as string, props, props.tenant ?? ctx.tenant()) : { ...(strip(props) as UserState), gone: true };
    ctx.recordPerson(id, props.userName as string, truth.emailInInVision);
    const found = drift(basis, truth);
    if (found.length > 0) {
        ctx.warn(
            `user ${props.userName}: InVision differs from what the last run recorded (changed outside this program): ${found.join(", ")}. ` +
                `Nothing is changed in this run; the next preview shows what \`pulumi up\` will do about it.`,
        );
    }
    return { id, props: observed(props, truth, ctx.run, differs) };
}

/** The inputs of an imported user, as `pulumi import` writes them into the program. */
function importedInputs(state: UserState): Record<string, unknown> {
    const inputs: Record<string, unknown> = { userName: state.userName, active: state.active };
    for (const k of NAME_FIELDS) if (state[k] !== undefined) inputs[k] = state[k];
    return inputs;
}

export async function update(ctx: ProviderContext, writes: Writes, id: string, olds: Partial<UserState>, news: UserInputs): Promise<dynamic.UpdateResult> {
    sameTenant(ctx, "user", news.userName, olds.tenant);
    // What the preview showed: state (as it was before this run's reads) against the declaration.
    const plan = planUser(olds, news, ctx.run);
    const live = await ctx.scim().users.get(id);
    if (!live) {
        ctx.warn(
            `user ${news.userName} no longer exists in InVision (deleted outside this program since the last run): nothing was changed for them in this run. ` +
                `The next preview shows a new account being created for ${news.userName}.`,
        );
        return { outs: { ...(strip(olds) as UserState), gone: true } };
    }
    const after = await writes.patchUser(id, news.userName, plan.write, live, "as this run's preview showed");
    const state = verified(after, news, plan.write, olds.tenant ?? ctx.tenant());
    const left = leftAlone(state, news, plan.write);
    if (left.length > 0) {
        ctx.warn(
            `user ${news.userName}: InVision differs from the program in what this run's preview did not show (changed outside this program since the last run), ` +
                `so it was left as it is: ${left.join(", ")}. The next preview shows the change.`,
        );
    }
    return { outs: state };
}

/** Declared fields InVision has otherwise, that the planned change did not cover. */
function leftAlone(state: UserState, declared: UserInputs, planned: Record<string, unknown>): string[] {
    const out: string[] = [];
    if (!("active" in planned) && state.active !== declared.active) out.push(state.active ? "active (declared active: false)" : "deactivated (declared active: true)");
    if (!("userName" in planned) && state.emailInInVision !== undefined) out.push(`email ${state.emailInInVision} (declared ${declared.userName})`);
    for (const k of NAME_FIELDS) {
        if (!(k in planned) && declared[k] !== undefined && state[k] !== declared[k]) out.push(`${k} '${state[k] ?? ""}' (declared '${declared[k]}')`);
    }
    return out;
}

/**
 * Every written field is read back. InVision V7 accepts name and email edits
 * over SCIM and does not apply them; saying so, with what to do, beats
 * recording a change that never happened and showing the same diff forever.
 */
function verified(live: ScimUser, declared: UserInputs, written: Record<string, unknown>, tenant: string | undefined): UserState {
    const state = toState(live, declared.userName, declared, tenant);
    const ignored = PROFILE_FIELDS.filter((k) => k in written && declared[k] !== state[k]);
    if (ignored.length > 0) {
        const what = ignored.map((k) => `${k} '${state[k] ?? ""}' (declared '${declared[k]}')`).join(", ");
        throw new Error(
            `InVision accepted but did not apply a profile change for ${declared.userName}: it still has ${what}. ` +
                `InVision V7 does not take name edits over SCIM. Change the name in InVision, or declare the value InVision shows, ` +
                `or remove ${ignored.join("/")} from the program to stop managing it.`,
        );
    }
    if ("userName" in written && state.emailInInVision !== undefined) {
        throw new Error(
            `InVision accepted but did not apply the change of ${state.emailInInVision}'s email back to ${declared.userName}: InVision V7 does not take email edits over SCIM. ` +
                `The person keeps their account and groups. Either change the email in InVision (or your identity provider), or declare ${state.emailInInVision} as their userName to accept it.`,
        );
    }
    if ("active" in written && state.active !== declared.active) {
        throw new Error(
            `InVision accepted but did not apply active=${declared.active} for ${declared.userName}; the user is still ${state.active ? "active" : "deactivated"}. ` +
                `This is how InVision behaves when SAML SSO is not active for the team. Nothing was recorded as done.`,
        );
    }
    if ("externalId" in written && declared.externalId !== state.externalId) {
        throw new Error(
            `InVision accepted but did not store externalId for ${declared.userName}: it has ${state.externalId === undefined ? "none" : `'${state.externalId}'`} (declared '${declared.externalId}'). ` +
                `Some SCIM servers ignore externalId. Remove externalId from the program to stop managing it, rather than show this change forever.`,
        );
    }
    return state;
}

export async function remove(ctx: ProviderContext, writes: Writes, id: string, props: Partial<UserState>): Promise<void> {
    const who = props.userName ?? `user id ${id}`;
    const plan = planUserDelete(props);
    if (plan.action === "retain") return;
    sameTenant(ctx, "user", who, props.tenant);
    if (plan.action === "delete") return writes.deleteUser(id, who, "its resource is gone from the program (onDelete: delete)");
    // Dropping someone inactive (a roster clean-up) removes no access and
    // costs no budget. Whether they are is decided on the live user: state may
    // say inactive (or gone) of someone reactivated (or restored) by hand.
    if (props.active === false || props.gone) {
        const live = await ctx.scim().users.get(id);
        if (!live || live.active === false) return;
        ctx.warn(`user ${who} is ${props.gone ? "recorded as deleted" : "inactive"} in state but active in InVision (changed outside this program)`);
    }
    const after = await writes.deactivateUser(id, who, "its resource is gone from the program (onDelete: deactivate)");
    if (after !== "gone" && after.active !== false) {
        throw new Error(
            `InVision accepted the deactivation of ${who} (id ${id}) but the user is still active: they keep their access. ` +
                `This is how InVision behaves when SAML SSO is not active for the team. The resource stays in state so the next run tries again.`,
        );
    }
}
