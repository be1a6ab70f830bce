import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { ConfigLookup, resolveSafetyLimits, resolveSettings } from "./config";
import * as groups from "./resources/group-handlers";
import { groupInputsSchema } from "./resources/group-schema";
import * as users from "./resources/user-handlers";
import type { Created } from "./resources/created";
import { recordable } from "./resources/unverified";
import { userInputsSchema } from "./resources/user-schema";
import { ScimClient } from "./scim/client";
import { DeletionGuard } from "./safety/guard";
import { claim as claimObject, claimedBy, forgetClaims, Kind } from "./safety/handover";
import type { SafetyHooks } from "./safety/hooks";
import { forgetNames, namesFor, processPeople, rememberUser } from "./safety/names";
import { groupLossWarning, userLossWarning } from "./safety/preview";
import { shownOnce } from "./dynamic/shown-errors";
import { fullCollection, GarbageBound } from "./garbage-bound";

/**
 * The provider implementation, loaded by module name inside the provider
 * process (see resources/providers.ts for why). Module-level state here is
 * shared by every InVision resource of a `pulumi` run: one SCIM client, one
 * request scheduler (scim/scheduler.ts), one set of learned server quirks.
 */

let configLookup: ConfigLookup = () => undefined;

let client: { settings: string; scim: ScimClient } | undefined;

/** Collects when thousands of calls in a row leave garbage behind (garbage-bound.ts); made on the first call. */
let garbage: GarbageBound | undefined;

/** A provider call, as the engine sees it: a refusal shown once, and the process's garbage bounded after it. */
function call<T>(run: () => Promise<T>): Promise<T> {
    return shownOnce(run).finally(() => (garbage ??= new GarbageBound(fullCollection())).check());
}

/** The deletion guard of this run: one provider process serves one `pulumi` run. */
let guard = new DeletionGuard();

/** Adoptions claim the object for the new resource (safety/handover.ts). */
async function claim(kind: Kind, created: Promise<Created>): Promise<dynamic.CreateResult> {
    const { adopted, ...result } = await created;
    const outs = (result.outs ?? {}) as Props;
    if (kind === "user") rememberUser(result.id, outs.userName);
    if (adopted) claimObject(kind, result.id, outs.userName ?? outs.displayName);
    return result;
}

async function unlessClaimed(kind: Kind, id: string, props: Props, remove: () => Promise<void>): Promise<void> {
    if (claimedBy(kind, id) !== undefined) {
        warn(`${kind} ${String(props.userName ?? props.displayName ?? id)} (${id}) is now managed by another resource of this program; not removing it from InVision`);
        return;
    }
    await remove();
}

/** What the handlers ask before a destructive write, and how they name people. */
const safety: SafetyHooks = {
    beforeRemovingMembers: (group, ids) => guard.reserve("membershipRemovals", ids.length, limits(), `removing ${ids.length} member(s) from group '${group}'`),
    beforeDeactivating: (userName, how) => guard.reserve("deactivations", 1, limits(), `${how === "delete" ? "deleting" : "deactivating"} user ${userName}`),
    memberNames: (scim, ids, fromState, undeclared) => namesFor(ids, fromState, (missing) => lookUpNames(scim, missing), undeclared),
    warn: (message) => warn(message),
};

function limits() {
    return resolveSafetyLimits(configLookup, process.env);
}

/**
 * Emails of users no resource of this run reported (members kept at
 * adoption, or added in InVision by hand): a read each, or one listing when
 * there are many.
 */
async function lookUpNames(scim: ScimClient, ids: readonly string[]): Promise<Map<string, string>> {
    // Reads by id, which the shared listing serves once there are enough of them (scim/listing.ts).
    const out = new Map<string, string>();
    await Promise.all(
        ids.map(async (id) => {
            const u = await scim.users.read(id);
            if (u) out.set(id, u.userName);
        }),
    );
    return out;
}

/**
 * Called by the engine (through `configure`) with the stack's config, once
 * for each provider object: the user and the group provider both call it.
 */
export function configure(req: dynamic.ConfigureRequest): void {
    configLookup = (key) => req.config.get(key);
}

function log(line: string): void {
    if (process.env.PULUMI_INVISION_LOG) process.stderr.write(`[invision] ${line}\n`);
}

/** Progress a person follows (pauses for InVision's limit, a run's figures): always shown, a line at a time, never per request. */
function say(line: string): void {
    process.stderr.write(`[invision] ${line}\n`);
}

/** The engine shows a provider's stderr lines under the stack's Diagnostics, in preview and up alike. */
function warn(message: string): void {
    process.stderr.write(`warning: [invision] ${message}\n`);
}

/**
 * The client, created on first use (check and diff never need it, so preview
 * works without network) and kept while the settings stay the same, so what
 * it learned about the server serves every resource of the run.
 */
export function connection(): ScimClient {
    const settings = resolveSettings(configLookup, process.env);
    const key = JSON.stringify(settings);
    if (client?.settings !== key) client = { settings: key, scim: new ScimClient({ ...settings, log, warn, say, people: processPeople() }) };
    return client.scim;
}

/**
 * Forgets the client and what it learned, the run's deletion budget, claims
 * and names, as a new provider process would start. The engine starts one per `pulumi` operation; tests that play
 * several operations in one process call this between them.
 */
export function newRun(): void {
    client = undefined;
    guard = new DeletionGuard();
    forgetClaims();
    forgetNames();
}

type Props = Record<string, unknown>;

/** What each resource kind implements (resources/*-handlers.ts). */
interface Handlers<Inputs> {
    check(olds: Props, news: Props): dynamic.CheckResult;
    diff(olds: Props, news: Props): dynamic.DiffResult;
    create(client: ScimClient, inputs: Inputs, safety: SafetyHooks): Promise<Created>;
    read(client: ScimClient, id: string, props: Props, safety: SafetyHooks): Promise<dynamic.ReadResult>;
    update(client: ScimClient, id: string, news: Inputs, safety: SafetyHooks, olds: Props): Promise<dynamic.UpdateResult>;
    remove(client: ScimClient, id: string, props: Props, safety: SafetyHooks): Promise<void>;
    /** Checked inputs, as the engine hands them back, in the shape the schema validates (a group's members set, as a list). */
    fromInputs?(props: Props): Props;
}

/**
 * Diff, plus what the safety rails learn from it (no request is sent):
 *  - a resource still declared, and not being replaced, owns its object
 *    (hand-over protection that survives a failed run, safety/handover.ts);
 *  - the user's email, so a group's diff can name its members;
 *  - a warning naming everyone this change takes access from.
 */
function diffWithRails(kind: Kind, diff: (olds: Props, news: Props) => dynamic.DiffResult, id: string, olds: Props, news: Props, declared: Props = news): dynamic.DiffResult {
    const result = diff(olds, news);
    const replaces = result.replaces ?? [];
    if (id && replaces.length === 0) claimObject(kind, id, olds.userName ?? olds.displayName);
    if (kind === "user") rememberUser(id, olds.userName);
    const loss = kind === "user" ? userLossWarning(olds, news, replaces) : groupLossWarning(olds, declared);
    if (loss && result.changes !== false) warn(loss);
    return result;
}

/** A resource kind's provider operations, as the serialized provider calls them. */
function operations<Inputs>(kind: Kind, h: Handlers<Inputs>, schema: z.ZodType<Inputs>) {
    const declared = (p: Props): Props => (h.fromInputs ? h.fromInputs(strip(p)) : strip(p));
    const parse = (p: Props): Inputs => schema.parse(declared(p));
    return {
        check: (olds: Props, news: Props) => call(async () => h.check(olds, news)),
        diff: (id: string, olds: Props, news: Props) => call(async () => diffWithRails(kind, (o, n) => h.diff(o, n), id, olds, news, declared(news))),
        create: (inputs: Props) =>
            call(() =>
                claim(kind, h.create(connection(), parse(inputs), safety)).catch((e: unknown) => {
                    throw recordable(e, inputs);
                }),
            ),
        read: (id: string, props: Props = {}) => call(async () => remembered(kind, await h.read(connection(), id, props, safety))),
        update: (id: string, olds: Props, news: Props) => call(async () => remembered(kind, await h.update(connection(), id, parse(news), safety, olds), id)),
        delete: (id: string, props: Props) =>
            call(async () => {
                // Who this was, for messages, and so a user some servers then hide can be found by id if declared again.
                if (kind === "user") rememberUser(id, props.userName);
                return unlessClaimed(kind, id, props, () => h.remove(connection(), id, props, safety));
            }),
    };
}

/** A user's email as InVision reports it, for the names of group members. */
function remembered<R extends { id?: string; props?: Props; outs?: Props }>(kind: Kind, result: R, id?: string): R {
    if (kind === "user") rememberUser(result.id ?? id, (result.props ?? result.outs ?? {}).userName);
    return result;
}

export const user = operations("user", users, userInputsSchema);
export const group = operations("group", groups, groupInputsSchema);

/** The engine hands the serialized provider back inside the inputs; it is not ours to validate. */
function strip(p: Props): Props {
    const { __provider: _, ...rest } = p;
    return rest;
}
