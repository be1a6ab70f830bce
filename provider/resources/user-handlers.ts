import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ScimClient } from "../scim/client";
import { ScimError } from "../scim/errors";
import type { ScimUser } from "../scim/schemas";
import type { Created } from "./created";
import { diffUser, profileChange } from "./diff";
import { PROFILE_FIELDS, USER_DEFAULTS, UserInputs, userInputsSchema, UserState } from "./user-schema";
import { storedSettings } from "./settings";
import { checkInputs } from "./validate";
import { noSafety, SafetyHooks } from "../safety/hooks";

/**
 * InVisionUser's provider operations. Only create, read, update and delete
 * talk to InVision; check and diff are local.
 */

export function check(_olds: unknown, news: Record<string, unknown>): dynamic.CheckResult {
    const result = checkInputs(userInputsSchema, news);
    // The one default kept in the inputs: a person's access hangs on
    // `active`, and the engine shows a change of it as a value
    // ("active: false => true") only when the inputs carry it.
    if (result.failures.length === 0 && result.inputs.active === undefined) result.inputs.active = true;
    return result;
}

export function diff(olds: Partial<UserState>, news: Partial<UserInputs>): dynamic.DiffResult {
    const d = diffUser(olds, news);
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

/** State from what InVision reports, keeping the declared settings that are not defaults. */
export function toState(live: ScimUser, declared: Partial<Pick<UserInputs, "onExisting" | "onDelete">>): UserState {
    const state: UserState = { userName: live.userName, active: live.active ?? true, ...storedSettings<UserState, "onExisting" | "onDelete">(declared, USER_DEFAULTS) };
    const given = live.name?.givenName ?? undefined;
    const family = live.name?.familyName ?? undefined;
    if (given) state.givenName = given;
    if (family) state.familyName = family;
    if (live.displayName) state.displayName = live.displayName;
    if (live.externalId) state.externalId = live.externalId;
    if (live.meta?.created) state.created = live.meta.created;
    return state;
}

export async function create(client: ScimClient, inputs: UserInputs, safety: SafetyHooks = noSafety): Promise<Created> {
    // Look up first: adopting an existing user then costs no write at all, and
    // a re-run after a crash finds what the crashed run created. (Served from
    // the shared listing when many users are created in one run.)
    let live = await client.users.find(inputs.userName);
    if (!live) {
        try {
            live = await client.users.create({ ...inputs });
        } catch (e) {
            // The user exists although the lookup missed it: created by
            // someone else meanwhile, a case-exact filter, or a deactivated
            // user the server hides from its lists.
            if (!(e instanceof ScimError && e.is(409))) throw e;
            live = await client.users.findAfterConflict(inputs.userName);
            if (!live) throw hiddenUser(inputs.userName, e, inputs.active);
            return { ...(await adopt(client, live, inputs, safety)), adopted: true };
        }
        // Servers may ignore fields on create (V7); bring the rest into line.
        return { ...(await converge(client, live, inputs, safety)), adopted: false };
    }
    return { ...(await adopt(client, live, inputs, safety)), adopted: true };
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

function adopt(client: ScimClient, live: ScimUser, inputs: UserInputs, safety: SafetyHooks): Promise<dynamic.CreateResult> {
    if (inputs.onExisting === "fail") {
        throw new Error(
            `InVision user ${inputs.userName} already exists (id ${live.id}) and onExisting is "fail". ` +
                `Set onExisting: "adopt" to manage the existing user.`,
        );
    }
    return converge(client, live, inputs, safety);
}

/**
 * A create brings the account to the declaration in full: the preview showed
 * `+ create` with these inputs. Adopting an active account as `active: false`
 * takes someone's access, so it asks the guard and names them like any other
 * deactivation.
 */
async function converge(client: ScimClient, live: ScimUser, inputs: UserInputs, safety: SafetyHooks): Promise<dynamic.CreateResult> {
    const change = profileChange(toState(live, inputs), inputs);
    if (change.active === false) {
        safety.beforeDeactivating(inputs.userName, "deactivate");
        safety.warn(`deactivating user ${inputs.userName}: an existing active account adopted by a resource declared active: false`);
    }
    const after = Object.keys(change).length > 0 ? await client.users.patch(live.id, change) : live;
    return { id: after.id, outs: verified(after, inputs, change) };
}

export async function read(client: ScimClient, id: string, props: Partial<UserState>): Promise<dynamic.ReadResult> {
    const live = await client.users.read(id);
    if (!live) return {};
    const state = toState(live, props);
    return { id, props: state, inputs: refreshedInputs(state, props) };
}

/**
 * After a refresh, the inputs used for the next diff say what InVision has,
 * for the fields the program manages, so the next preview shows the drift
 * as a property change (e.g. `active: false => true`).
 */
function refreshedInputs(state: UserState, olds: Partial<UserState>): Record<string, unknown> {
    const inputs: Record<string, unknown> = { userName: olds.userName ?? state.userName, active: state.active };
    for (const k of ["givenName", "familyName", "displayName", "externalId"] as const) {
        if (olds[k] !== undefined) inputs[k] = state[k];
    }
    return { ...inputs, ...storedSettings<UserState, "onExisting" | "onDelete">(state, USER_DEFAULTS) };
}

export async function update(client: ScimClient, id: string, news: UserInputs, safety: SafetyHooks = noSafety, olds: Partial<UserState> = {}): Promise<dynamic.UpdateResult> {
    // The change is what the preview showed: state against the declaration.
    // The live user is read to skip what is already true and to record what
    // InVision has; a difference the preview did not cover (a deactivation
    // made in the console) is left as it is and recorded, so the next preview shows it.
    const planned = profileChange(olds, news);
    const live = await client.users.get(id);
    if (!live) {
        throw new Error(`InVision user ${news.userName} (id ${id}) no longer exists. Run \`pulumi refresh\` so Pulumi recreates it.`);
    }
    const now = toState(live, news);
    const change = Object.fromEntries(Object.entries(planned).filter(([k, v]) => now[k as keyof UserState] !== v)) as typeof planned;
    // Decided on the live user: only a deactivation that really happens counts.
    if (change.active === false) safety.beforeDeactivating(news.userName, "deactivate");
    const after = Object.keys(change).length > 0 ? await client.users.patch(id, change) : live;
    const state = verified(after, news, planned);
    const drift = leftAlone(state, news, planned);
    if (drift.length > 0) {
        safety.warn(
            `user ${news.userName}: InVision differs from the program in what this run's preview did not show (changed outside this program since the last run), ` +
                `so it was left as it is: ${drift.join(", ")}. The next preview shows the change.`,
        );
    }
    return { outs: state };
}

/** Declared fields InVision has otherwise, that the planned change did not cover. */
function leftAlone(state: UserState, declared: UserInputs, planned: ReturnType<typeof profileChange>): string[] {
    const out: string[] = [];
    if (!("active" in planned) && state.active !== declared.active) out.push(state.active ? "active (declared active: false)" : "deactivated (declared active: true)");
    for (const k of [...PROFILE_FIELDS, "externalId"] as const) {
        if (!(k in planned) && declared[k] !== undefined && state[k] !== declared[k]) out.push(`${k} '${state[k] ?? ""}' (declared '${declared[k]}')`);
    }
    return out;
}

/**
 * InVision V7 accepts name edits over SCIM and does not apply them. Saying so
 * here, with what to do, beats recording a change that never happened and
 * showing the same diff forever.
 */
function verified(live: ScimUser, declared: UserInputs, written: ReturnType<typeof profileChange>): UserState {
    const state = toState(live, declared);
    const ignored = PROFILE_FIELDS.filter((k) => k in written && declared[k] !== state[k]);
    if (ignored.length > 0) {
        const what = ignored.map((k) => `${k} '${state[k] ?? ""}' (declared '${declared[k]}')`).join(", ");
        throw new Error(
            `InVision accepted but did not apply a profile change for ${declared.userName}: it still has ${what}. ` +
                `InVision V7 does not take name edits over SCIM. Change the name in InVision, or declare the value InVision shows, ` +
                `or remove ${ignored.join("/")} from the program to stop managing it.`,
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

export async function remove(client: ScimClient, id: string, props: Partial<UserState>, safety: SafetyHooks = noSafety): Promise<void> {
    const who = props.userName ?? `user id ${id}`;
    switch (props.onDelete ?? USER_DEFAULTS.onDelete) {
        case "retain":
            return;
        case "delete":
            safety.beforeDeactivating(who, "delete");
            safety.warn(`deleting user ${who}: its resource is gone from the program (onDelete: delete)`);
            return client.users.delete(id);
        case "deactivate": {
            // Dropping someone inactive (a roster clean-up) removes no access
            // and costs no budget. Whether they are is decided on the live
            // user: state may say inactive of someone reactivated by hand.
            if (props.active === false) {
                const live = await client.users.get(id);
                if (!live) return;
                // Already inactive: nothing to send.
                if (live.active === false) return;
                safety.warn(`user ${who} is inactive in state but active in InVision (reactivated outside this program)`);
            }
            safety.beforeDeactivating(who, "deactivate");
            safety.warn(`deactivating user ${who}: its resource is gone from the program (onDelete: deactivate)`);
            let after: ScimUser;
            try {
                after = await client.users.patch(id, { active: false });
            } catch (e) {
                if (e instanceof ScimError && e.is(404)) return;
                throw e;
            }
            if (after.active !== false) {
                throw new Error(
                    `InVision accepted the deactivation of ${props.userName ?? after.userName} (id ${id}) but the user is still active: they keep their access. ` +
                        `This is how InVision behaves when SAML SSO is not active for the team. The resource stays in state so the next run tries again.`,
                );
            }
        }
    }
}

