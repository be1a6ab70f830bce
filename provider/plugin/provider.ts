import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type { ProviderContext } from "../context";
import { withUrn } from "../diagnostics/call-scope";
import { Operations, operationsFor } from "../runtime";
import { projectRootFrom } from "../roster/project-root";
import { InVisionTeam, KEPT_KEY, keptLine } from "../roster/team";
import { valueIfKnown } from "./known";
import { teamChildren } from "./team-children";
import { teamArgsSchema } from "./team-schema";
import { SECRET_SIG, SECRET_VALUE, TYPES } from "./types";

/**
 * The `invision` plugin's provider: each type token routed to the very
 * operations the dynamic resources call (runtime.ts), with this process's
 * context, so validation, safety rails, scheduler and client are one
 * implementation behind two doors. Only the shapes are translated here, and
 * each call runs under its resource's URN, so what it says reaches the person
 * under that resource.
 */

type Props = Record<string, unknown>;

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function operationsOf(customs: Readonly<Record<string, Operations>>, urn: string): Operations {
    const type = typeOfUrn(urn);
    const ops = customs[type];
    if (!ops) throw new Error(`the invision provider has no resource type ${type}`);
    return ops;
}

/**
 * Property values as the handlers take them. The engine sends secrets
 * wrapped (the SDK's server says the plugin accepts them); the handlers see
 * the value, and `keepSecret` wraps the outputs again.
 */
export function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        const o = value as Props;
        if (o[SECRET_SIG] === SECRET_VALUE) return plain(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

const props = (v: unknown): Props => plain(v ?? {}) as Props;

function isSecret(v: unknown): boolean {
    if (Array.isArray(v)) return v.some(isSecret);
    if (v === null || typeof v !== "object") return false;
    return (v as Props)[SECRET_SIG] === SECRET_VALUE || Object.values(v as Props).some(isSecret);
}

/**
 * Checked inputs or outputs with each property whose input was (or held) a
 * secret wrapped as one: a provider that accepts secrets gets no help from
 * the engine here, and a secret input must not reach the state in clear.
 */
export function keepSecret(outs: Props | undefined, inputs: unknown): Props {
    const out: Props = { ...(outs ?? {}) };
    for (const [k, v] of Object.entries((inputs ?? {}) as Props)) {
        if (isSecret(v) && out[k] !== undefined) out[k] = { [SECRET_SIG]: SECRET_VALUE, value: out[k] };
    }
    return out;
}

export function invisionProvider(ctx: ProviderContext, version: string, schema: string): provider.Provider {
    const ops = operationsFor(ctx);
    const customs: Readonly<Record<string, Operations>> = { [TYPES.user]: ops.user, [TYPES.group]: ops.group };
    const operations = (urn: string) => operationsOf(customs, urn);
    /** A call about `urn`: its secrets learned first, so neither what it says nor the error it fails with names them. */
    const call = <T>(urn: string, given: unknown[], run: () => Promise<T>): Promise<T> => {
        for (const g of given) ctx.secrets.collect(g);
        return withUrn(urn, async () => {
            try {
                return await run();
            } catch (e) {
                throw ctx.secrets.redactError(e);
            }
        });
    };
    return {
        version,
        schema,
        check: (urn, olds, news) =>
            call(urn, [olds, news], async () => {
                const r = await operations(urn).check(props(olds), props(news));
                return { inputs: keepSecret(r.inputs, news), failures: r.failures };
            }),
        diff: (id, urn, olds, news) =>
            call(urn, [olds, news], async () => {
                const r = await operations(urn).diff(id, props(olds), props(news));
                // Not a replacement: the same object stays with this resource.
                if (ctx.programRunning && handedOverFromDynamic(olds) && (r.replaces ?? []).length === 0) {
                    ctx.diagnostics.say("info", handOverWords(typeOfUrn(urn), id, props(olds)));
                    await ctx.diagnostics.flush();
                }
                return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace };
            }),
        create: (urn, inputs) =>
            call(urn, [inputs], async () => {
                const r = await operations(urn).create(props(inputs));
                return { id: r.id, outs: keepSecret(r.outs, inputs) };
            }),
        // With no prior properties (`pulumi import`) the handlers read the object as InVision has it, and return its inputs.
        read: (id, urn, state) =>
            call(urn, [state], async () => {
                const r = await operations(urn).read(id, props(state));
                return { id: r.id, props: r.props && keepSecret(r.props, state), inputs: r.inputs && keepSecret(r.inputs, state) };
            }),
        update: (id, urn, olds, news) =>
            call(urn, [olds, news], async () => {
                const r = await operations(urn).update(id, props(olds), props(news));
                return { outs: keepSecret(r.outs, news) };
            }),
        delete: (id, urn, state) => call(urn, [state], () => operations(urn).delete(id, props(state))),
        construct: async (name, type, inputs, options) => {
            if (type !== TYPES.team) throw new Error(`the invision provider has no component type ${type}`);
            const team = new InVisionTeam(name, teamArgs(inputs), options, { ...teamChildren, door: ctx.door });
            return { urn: team.urn, state: { userIds: team.userIds, groupIds: team.groupIds, access: await settledAccess(team) } };
        },
    };
}

/**
 * The Team's `access` as one known object at every preview. A YAML or SDK
 * program receives the component's outputs whole, and one value not known
 * yet (the kept line, while a group is being created or changed) made all of
 * `access` unknown, the roster's own lines included, which are plain
 * strings. So the kept line is settled here: a group whose state this
 * preview does not know is named as such in the line (keptLine's words).
 */
async function settledAccess(team: InVisionTeam): Promise<Record<string, string>> {
    const lines: Record<string, string> = {};
    for (const [k, v] of Object.entries(team.access)) if (typeof v === "string") lines[k] = v;
    const states = await Promise.all(team.groupStates.map(async (g) => ({ group: g.group, state: await valueIfKnown(g.state) })));
    return { ...lines, [KEPT_KEY]: keptLine(states) };
}

/** State the dynamic resources wrote carries the provider object they run (`__provider`); the plugin's never does. */
function handedOverFromDynamic(olds: unknown): boolean {
    return olds !== null && typeof olds === "object" && "__provider" in olds;
}

/** What the preview says of a resource aliased from the dynamic resources to the plugin's type. */
function handOverWords(type: string, id: string, olds: Props): string {
    const what =
        type === TYPES.user
            ? `user ${String(olds.userName)} moves from the dynamic resources (InVisionUser) to the invision plugin (${type}): the same InVision account (id ${id}) is handed over`
            : `group '${String(olds.displayName)}' moves from the dynamic resources (InVisionGroup) to the invision plugin (${type}): the same InVision group (id ${id}) and its members are handed over`;
    return `${what}; the move itself sends nothing to InVision.`;
}

/**
 * The Team's inputs, checked before anything is declared. The roster decides
 * which resources exist, so it must be known when the component is built:
 * a value computed by another resource cannot be a roster path.
 */
function teamArgs(inputs: pulumi.Inputs) {
    const values: Props = {};
    for (const [k, v] of Object.entries(inputs)) {
        if (pulumi.Output.isInstance(v)) throw new Error(`invision:index:Team: ${k} must be a plain value, not the output of another resource or a secret`);
        values[k] = plain(v);
    }
    const parsed = teamArgsSchema.safeParse(values);
    if (!parsed.success) {
        throw new Error(`invision:index:Team: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(inputs)"}: ${i.message}`).join("; ")}`);
    }
    // Relative to the project root, as in TypeScript: the engine starts the plugin in the program's directory (project-root.ts).
    return { ...parsed.data, roster: path.resolve(projectRootFrom(process.cwd()), parsed.data.roster) };
}
