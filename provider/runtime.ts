import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";
import { ProviderContext } from "./context";
import { engineAddress } from "./diagnostics/engine-address";
import { EngineLog } from "./diagnostics/engine-log";
import { markDynamicRequests } from "./diagnostics/dynamic-urns";
import { EngineDiagnostics } from "./diagnostics/sink";
import { shownOnce } from "./dynamic/shown-errors";
import { Writes } from "./plan/writes";
import * as groups from "./resources/group-handlers";
import { groupInputsSchema } from "./resources/group-schema";
import * as users from "./resources/user-handlers";
import type { Created } from "./resources/created";
import { recordable } from "./resources/unverified";
import { userInputsSchema } from "./resources/user-schema";
import type { Kind } from "./safety/handover";
import { sharedClaims } from "./safety/shared-claims";

/**
 * The provider's operations, one implementation behind two doors: the
 * dynamic resources' provider objects (dynamic/forward.ts) and the `invision`
 * plugin (plugin/provider.ts) both hand every call here, with the context of
 * their process (context.ts). The doors differ only in the shapes they
 * translate.
 */

type Props = Record<string, unknown>;

export interface Operations {
    check(olds: Props, news: Props): Promise<dynamic.CheckResult>;
    diff(id: string, olds: Props, news: Props): Promise<dynamic.DiffResult>;
    create(inputs: Props): Promise<dynamic.CreateResult>;
    read(id: string, props?: Props): Promise<dynamic.ReadResult>;
    update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult>;
    delete(id: string, props: Props): Promise<void>;
}

/** A provider call: what it said delivered before its answer, and the process's garbage bounded after it. */
async function call<T>(ctx: ProviderContext, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } finally {
        await ctx.diagnostics.flush();
        ctx.afterCall();
    }
}

/** The engine hands the serialized provider back inside the inputs; it is not ours to validate. */
function strip(p: Props): Props {
    const { __provider: _, ...rest } = p;
    return rest;
}

/** The label an object's messages name it by. */
const labelOf = (kind: Kind, p: Props) => (kind === "user" ? p.userName : p.displayName);

/** The user and group operations of one provider process. */
export function operationsFor(ctx: ProviderContext): Record<Kind, Operations> {
    const writes = () =>
        new Writes(ctx.scim(), {
            reserve: (budget, count, what) => ctx.guard.reserve(budget, count, ctx.limits(), what),
            warn: (m) => ctx.warn(m),
        });

    /** Adoptions claim the object for the new resource (safety/handover.ts); a user's email names them from now on. */
    async function claimed(kind: Kind, created: Promise<Created>): Promise<dynamic.CreateResult> {
        const { adopted, ...result } = await created;
        const outs = (result.outs ?? {}) as Props;
        if (kind === "user") ctx.people.note(result.id, outs.userName as string | undefined);
        if (adopted) ctx.claims.claim(kind, result.id, labelOf(kind, outs));
        return result;
    }

    /** A user's email as the program names them, for the groups' plans and messages. */
    function remembered<R extends { id?: string; props?: Props; outs?: Props }>(kind: Kind, result: R, id?: string): R {
        const s = (result.props ?? result.outs ?? {}) as Props;
        if (kind === "user") ctx.recordPerson(result.id ?? id, s.userName as string | undefined, s.emailInInVision as string | undefined);
        return result;
    }

    /** Check is called for the resources the program declares, and only for them: from then on, the program runs. */
    const checkOf = (check: (olds: Props, news: Props) => dynamic.CheckResult) => (olds: Props, news: Props) =>
        call(ctx, async () => {
            ctx.programRunning = true;
            return check(olds, news);
        });

    /**
     * A step's diff; before the program runs, a diff only draws a refresh (see
     * ProviderContext.programRunning) and neither claims nor says anything.
     */
    const diffOf = (kind: Kind, diff: (id: string, olds: Props, news: Props, step: boolean) => dynamic.DiffResult) => (id: string, olds: Props, news: Props) =>
        call(ctx, async () => {
            const step = ctx.programRunning;
            const result = diff(id, strip(olds), strip(news), step);
            // Still declared and not replaced: this resource owns its object (hand-over protection).
            if (step && id && (result.replaces ?? []).length === 0) ctx.claims.claim(kind, id, labelOf(kind, olds));
            return result;
        });

    /** A create's inputs parsed, its adoption claimed; a create InVision took but could not verify is recorded (unverified.ts). */
    const createOf = (kind: Kind, create: (inputs: Props) => Promise<Created>) => (inputs: Props) =>
        call(ctx, () =>
            claimed(kind, create(strip(inputs))).catch((e: unknown) => {
                throw recordable(e, inputs);
            }),
        );

    const user: Operations = {
        check: checkOf(users.check),
        diff: diffOf("user", (id, olds, news, step) => users.diff(ctx, id, olds, news, step)),
        create: createOf("user", (inputs) => users.create(ctx, writes(), userInputsSchema.parse(inputs))),
        read: (id, props = {}) => call(ctx, async () => remembered("user", await users.read(ctx, id, strip(props)))),
        update: (id, olds, news) => call(ctx, async () => remembered("user", await users.update(ctx, writes(), id, strip(olds), userInputsSchema.parse(strip(news))), id)),
        delete: (id, props) =>
            call(ctx, async () => {
                ctx.recordPerson(id, props.userName as string | undefined);
                if (handedOver("user", id, props)) return;
                await users.remove(ctx, writes(), id, strip(props));
            }),
    };

    const parseGroup = (p: Props) => groupInputsSchema.parse(groups.fromInputs(strip(p))) as z.output<typeof groupInputsSchema>;
    const group: Operations = {
        check: checkOf(groups.check),
        diff: diffOf("group", (_id, olds, news, step) => groups.diff(ctx, olds, news, step)),
        create: createOf("group", (inputs) => groups.create(ctx, writes(), parseGroup(inputs))),
        read: (id, props = {}) => call(ctx, async () => groups.read(ctx, id, strip(props))),
        update: (id, olds, news) => call(ctx, async () => groups.update(ctx, writes(), id, strip(olds), parseGroup(news))),
        delete: (id, props) =>
            call(ctx, async () => {
                if (handedOver("group", id, props)) return;
                await groups.remove(ctx, writes(), id, strip(props));
            }),
    };

    /** A delete whose object a declared resource now owns (a rename, a move, the other door) sends nothing. */
    function handedOver(kind: Kind, id: string, props: Props): boolean {
        if (ctx.claims.claimedBy(kind, id) === undefined) return false;
        ctx.warn(`${kind} ${String(labelOf(kind, props) ?? id)} is now managed by another resource of this stack; handed over, nothing is removed from InVision`);
        return true;
    }

    return { user, group };
}

/**
 * The dynamic door: one context per provider process, made on first use.
 * The SDK's dynamic-provider host loads this module (through the provider
 * objects in dynamic/) in the provider process; its engine address is the
 * host's first argument.
 */
let dynamicContext: ProviderContext | undefined;
let dynamicOps: Record<Kind, Operations> | undefined;

function dynamicDoor(): { ctx: ProviderContext; ops: Record<Kind, Operations> } {
    if (!dynamicContext || !dynamicOps) {
        markDynamicRequests();
        const address = engineAddress(process.argv.slice(2));
        dynamicContext = new ProviderContext({
            door: "dynamic",
            diagnostics: new EngineDiagnostics(address ? new EngineLog(address) : undefined),
            sharedClaims: address ? sharedClaims(address) : undefined,
        });
        dynamicOps = operationsFor(dynamicContext);
    }
    return { ctx: dynamicContext, ops: dynamicOps };
}

/**
 * Called by the engine (through `configure`) with the stack's config, once
 * for each provider object: the user and the group provider both call it.
 */
export function configure(req: dynamic.ConfigureRequest): void {
    dynamicDoor().ctx.configure((key) => req.config.get(key));
}

/** The dynamic door's context, for tests and tools that act as the provider process. */
export function dynamicProcess(): ProviderContext {
    return dynamicDoor().ctx;
}

/**
 * Forgets the dynamic door's context (client, budget, claims, names, run), as
 * a new provider process would start. The engine starts one per `pulumi`
 * operation; tests that play several operations in one process call this
 * between them. The configuration is kept, as the engine would hand it again.
 */
export function newRun(): void {
    const previous = dynamicContext;
    dynamicContext = undefined;
    dynamicOps = undefined;
    if (previous) dynamicDoor().ctx.configure(previous.configLookup());
}

/** A refusal is shown once by the dynamic-provider host (dynamic/shown-errors.ts). */
function door(kind: Kind): Operations {
    const of = () => dynamicDoor().ops[kind];
    return {
        check: (o, n) => shownOnce(() => of().check(o, n)),
        diff: (id, o, n) => shownOnce(() => of().diff(id, o, n)),
        create: (i) => shownOnce(() => of().create(i)),
        read: (id, p) => shownOnce(() => of().read(id, p)),
        update: (id, o, n) => shownOnce(() => of().update(id, o, n)),
        delete: (id, p) => shownOnce(() => of().delete(id, p)),
    };
}

/** What the serialized providers call (0.1.0's closures call `require("pulumi-invision/runtime").user.<op>` too). */
export const user = door("user");
export const group = door("group");
