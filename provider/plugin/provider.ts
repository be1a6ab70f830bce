import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import * as runtime from "../runtime";
import { InVisionTeam } from "../roster/team";
import { teamChildren } from "./team-children";
import { teamArgsSchema } from "./team-schema";
import { SECRET_SIG, SECRET_VALUE, TYPES } from "./types";

/**
 * The `invision` plugin's provider: each type token routed to the very
 * operations the dynamic resources call (runtime.ts), so validation, safety
 * rails, scheduler and client are one implementation behind two doors. Only
 * the shapes are translated here.
 */

type Props = Record<string, unknown>;
type Operations = typeof runtime.user;

const customs: Readonly<Record<string, Operations>> = { [TYPES.user]: runtime.user, [TYPES.group]: runtime.group };

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function operations(urn: string): Operations {
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

/** Per type token, its input properties the schema declares as lists. */
function listInputs(schema: string): Map<string, Set<string>> {
    const spec = JSON.parse(schema) as { resources: Record<string, { inputProperties?: Record<string, { type?: string }> }> };
    return new Map(Object.entries(spec.resources).map(([type, r]) => [type, new Set(Object.entries(r.inputProperties ?? {}).filter(([, p]) => p.type === "array").map(([k]) => k))]));
}

/**
 * Inputs read back from InVision in the schema's shape. The handlers may keep
 * a list as a set (`{ "<item>": … }`, so the engine shows who comes and goes
 * rather than shifted positions); the engine keeps that as it is in state, but
 * `pulumi import` writes a program and checks the inputs it read, so there a
 * list must be a list.
 */
export function asDeclared(inputs: Props, lists: ReadonlySet<string>): Props {
    const out: Props = { ...inputs };
    for (const k of lists) {
        const v = out[k];
        if (v !== null && typeof v === "object" && !Array.isArray(v) && (v as Props)[SECRET_SIG] === undefined) out[k] = Object.keys(v);
    }
    return out;
}

export function invisionProvider(version: string, schema: string): provider.Provider {
    const lists = listInputs(schema);
    return {
        version,
        schema,
        check: async (urn, olds, news) => {
            const r = await operations(urn).check(props(olds), props(news));
            return { inputs: keepSecret(r.inputs, news), failures: r.failures };
        },
        diff: async (id, urn, olds, news) => {
            const r = await operations(urn).diff(id, props(olds), props(news));
            return { changes: r.changes, replaces: r.replaces, deleteBeforeReplace: r.deleteBeforeReplace };
        },
        create: async (urn, inputs) => {
            const r = await operations(urn).create(props(inputs));
            return { id: r.id, outs: keepSecret(r.outs, inputs) };
        },
        // With no prior properties (`pulumi import`) the handlers read the object as InVision has it.
        read: async (id, urn, state) => {
            const r = await operations(urn).read(id, props(state));
            const inputs = r.inputs && asDeclared(r.inputs, lists.get(typeOfUrn(urn)) ?? new Set());
            return { id: r.id, props: r.props && keepSecret(r.props, state), inputs: inputs && keepSecret(inputs, state) };
        },
        update: async (id, urn, olds, news) => {
            const r = await operations(urn).update(id, props(olds), props(news));
            return { outs: keepSecret(r.outs, news) };
        },
        delete: async (id, urn, state) => operations(urn).delete(id, props(state)),
        construct: async (name, type, inputs, options) => {
            if (type !== TYPES.team) throw new Error(`the invision provider has no component type ${type}`);
            const team = new InVisionTeam(name, teamArgs(inputs), options, teamChildren);
            return { urn: team.urn, state: { userIds: team.userIds, groupIds: team.groupIds, access: team.access } };
        },
    };
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
    // The engine starts the plugin in the project's directory, and the SDK's
    // getRootDirectory() is a placeholder in a provider process (it reads
    // an environment variable only the Node.js language host sets).
    return { ...parsed.data, roster: path.resolve(process.cwd(), parsed.data.roster) };
}
