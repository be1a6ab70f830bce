import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { ConfigLookup, resolveSettings } from "./config";
import * as groups from "./resources/group-handlers";
import { groupInputsSchema } from "./resources/group-schema";
import * as users from "./resources/user-handlers";
import type { Created } from "./resources/created";
import { userInputsSchema } from "./resources/user-schema";
import { ScimClient } from "./scim/client";
import { PeopleBook } from "./scim/people";

/**
 * The provider implementation, loaded by module name inside the provider
 * process (see resources/providers.ts for why). Module-level state here is
 * shared by every InVision resource of a `pulumi` run: one SCIM client, one
 * request scheduler (scim/scheduler.ts), one set of learned server quirks.
 */

let configLookup: ConfigLookup = () => undefined;

/**
 * Who is who (SCIM id and email), learned from every state the engine hands
 * us (diff, delete) as well as from the server: errors name people by email,
 * and a user a server hides from its lists can still be found by id.
 */
let people = new PeopleBook();
let client: { settings: string; scim: ScimClient } | undefined;

/**
 * Ids that a create of this run now owns. When a resource is renamed or moved
 * (new parent, new key), the engine creates the new resource, which adopts the
 * same InVision object, and then deletes the old one: without this, that
 * delete would deactivate the person (or drop the group) the new resource
 * just took over. The hand-over happens within one run, so process memory is
 * the right scope. Only adoptions are recorded: an object a create made new
 * cannot belong to an older resource.
 */
const claimed = new Set<string>();

async function claim(kind: string, created: Promise<Created>): Promise<dynamic.CreateResult> {
    const { adopted, ...result } = await created;
    if (adopted) claimed.add(`${kind}:${result.id}`);
    return result;
}

async function unlessClaimed(kind: string, id: string, props: Props, remove: () => Promise<void>): Promise<void> {
    if (claimed.has(`${kind}:${id}`)) {
        warn(`${kind} ${String(props.userName ?? props.displayName ?? id)} (${id}) is now managed by another resource of this program; not removing it from InVision`);
        return;
    }
    await remove();
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
    if (client?.settings !== key) client = { settings: key, scim: new ScimClient({ ...settings, log, warn, say, people }) };
    return client.scim;
}

/**
 * Forgets the client and what it learned, as a new provider process would
 * start. The engine starts one per `pulumi` operation; tests that play
 * several operations in one process call this between them.
 */
export function newRun(): void {
    client = undefined;
    people = new PeopleBook();
}

type Props = Record<string, unknown>;

/** What each resource kind implements (resources/*-handlers.ts). */
interface Handlers<Inputs> {
    check(olds: Props, news: Props): dynamic.CheckResult;
    diff(olds: Props, news: Props): dynamic.DiffResult;
    create(client: ScimClient, inputs: Inputs): Promise<Created>;
    read(client: ScimClient, id: string, props: Props): Promise<dynamic.ReadResult>;
    update(client: ScimClient, id: string, news: Inputs): Promise<dynamic.UpdateResult>;
    remove(client: ScimClient, id: string, props: Props): Promise<void>;
}

/** A resource kind's provider operations, as the serialized provider calls them. */
function operations<Inputs>(kind: string, h: Handlers<Inputs>, schema: z.ZodType<Inputs>) {
    return {
        check: async (olds: Props, news: Props) => h.check(olds, news),
        diff: async (id: string, olds: Props, news: Props) => {
            if (kind === "user" && typeof olds.userName === "string") people.note(id, olds.userName);
            return h.diff(olds, news);
        },
        create: async (inputs: Props) => claim(kind, h.create(connection(), schema.parse(strip(inputs)))),
        read: async (id: string, props: Props = {}) => h.read(connection(), id, props),
        update: async (id: string, _olds: Props, news: Props) => h.update(connection(), id, schema.parse(strip(news))),
        delete: async (id: string, props: Props) => {
            if (kind === "user" && typeof props.userName === "string") people.note(id, props.userName);
            return unlessClaimed(kind, id, props, () => h.remove(connection(), id, props));
        },
    };
}

export const user = operations("user", users, userInputsSchema);
export const group = operations("group", groups, groupInputsSchema);

/** The engine hands the serialized provider back inside the inputs; it is not ours to validate. */
function strip(p: Props): Props {
    const { __provider: _, ...rest } = p;
    return rest;
}
