/**
 * How a request and an answer look on the wire for the dialect being played:
 * which filters and PATCH spellings are accepted, which schemas are required,
 * which attributes an answer carries and how ids are typed. The store keeps one
 * canonical form (string ids, lower-case ops); this file translates.
 */
import { Filter, parse as parseFilter } from "scim2-parse-filter";
import type { ResolvedOptions } from "./options";
import { ScimProblem } from "./store";

export const SCHEMA = {
    user: "urn:ietf:params:scim:schemas:core:2.0:User",
    group: "urn:ietf:params:scim:schemas:core:2.0:Group",
    patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
    list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
    error: "urn:ietf:params:scim:api:messages:2.0:Error",
    spc: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
};

/** The attributes an Okta or Entra connector looks users and groups up by. */
const EQ_ONLY_ATTRIBUTES = new Set(["username", "displayname", "externalid"]);

/** Throws 400 invalidFilter for a filter the dialect does not take. */
export function checkFilter(filter: string, opts: ResolvedOptions): void {
    if (opts.filterOps !== "eq-only") return;
    let ast: Filter;
    try {
        ast = parseFilter(filter);
    } catch (e) {
        throw new ScimProblem(400, "invalidFilter", `invalid filter: ${(e as Error).message}`);
    }
    const node = ast as unknown as { op?: string; attrPath?: unknown; compValue?: unknown };
    const simple = node.op === "eq" && typeof node.attrPath === "string" && EQ_ONLY_ATTRIBUTES.has(node.attrPath.toLowerCase()) && typeof node.compValue === "string";
    if (!simple) throw new ScimProblem(400, "invalidFilter", 'Only filters of the form <userName|displayName|externalId> eq "<value>" are supported');
}

/** Throws 400 invalidSyntax when a write lacks the schema the dialect insists on; otherwise fills it in. */
export function checkSchemas(body: unknown, expected: string, opts: ResolvedOptions): unknown {
    const b = body as { schemas?: unknown } | undefined;
    const has = !!b && typeof b === "object" && Array.isArray(b.schemas) && b.schemas.includes(expected);
    if (has) return body;
    if (opts.requireSchemas) throw new ScimProblem(400, "invalidSyntax", `The request body must carry schemas ["${expected}"]`);
    // scim-patch refuses a PatchOp without schemas; a lenient server does not care, so fill it in.
    return b && typeof b === "object" && !Array.isArray(b) ? { ...b, schemas: [expected] } : body;
}

const OPS = ["add", "remove", "replace"];

/** Checks each PATCH op's spelling against the dialect and returns the body with lower-case ops. */
export function normaliseOps(body: unknown, opts: ResolvedOptions): unknown {
    const ops = (body as { Operations?: unknown })?.Operations;
    if (!Array.isArray(ops)) throw new ScimProblem(400, "invalidSyntax", "PATCH needs an Operations array");
    const out = ops.map((o: unknown) => {
        const op = (o as { op?: unknown })?.op;
        if (typeof op !== "string" || !OPS.includes(op.toLowerCase())) throw new ScimProblem(400, "invalidSyntax", `Unknown PATCH op ${JSON.stringify(op)}`);
        const lower = op.toLowerCase();
        const capitalised = lower[0].toUpperCase() + lower.slice(1);
        if (opts.opCase === "lower" && op !== lower) throw new ScimProblem(400, "invalidSyntax", `PATCH op must be "${lower}", got "${op}"`);
        if (opts.opCase === "capitalised" && op !== capitalised) throw new ScimProblem(400, "invalidSyntax", `PATCH op must be "${capitalised}", got "${op}"`);
        return { ...(o as object), op: lower };
    });
    return { ...(body as object), Operations: out };
}

/**
 * RFC 7644 §3.4.2.5: `attributes` keeps only the named ones (id and schemas always),
 * `excludedAttributes` drops the named ones. Names are case-insensitive; "a.b" names a sub-attribute.
 */
export function project(resource: Record<string, unknown>, query: Record<string, string>): Record<string, unknown> {
    const names = (s: string | undefined) => (s ?? "").split(",").map((x) => x.trim().toLowerCase()).filter(Boolean);
    const keep = names(query.attributes);
    const drop = names(query.excludedAttributes);
    let out: Record<string, unknown> = resource;
    if (keep.length > 0) {
        out = {};
        for (const [k, v] of Object.entries(resource)) {
            const key = k.toLowerCase();
            if (key === "id" || key === "schemas" || keep.includes(key)) out[k] = v;
            else {
                const subs = keep.filter((n) => n.startsWith(`${key}.`)).map((n) => n.slice(key.length + 1));
                if (subs.length > 0 && v && typeof v === "object" && !Array.isArray(v)) {
                    out[k] = Object.fromEntries(Object.entries(v).filter(([sk]) => subs.includes(sk.toLowerCase())));
                }
            }
        }
    }
    if (drop.length > 0) {
        out = { ...out };
        for (const k of Object.keys(out)) {
            const key = k.toLowerCase();
            if (key === "id" || key === "schemas") continue;
            if (drop.includes(key)) delete out[k];
            const subs = drop.filter((n) => n.startsWith(`${key}.`)).map((n) => n.slice(key.length + 1));
            const v = out[k];
            if (subs.length > 0 && v && typeof v === "object" && !Array.isArray(v)) {
                out[k] = Object.fromEntries(Object.entries(v).filter(([sk]) => !subs.includes(sk.toLowerCase())));
            }
        }
    }
    return out;
}

/** With numeric ids, every id and member value is a JSON number on the wire. */
export function renderIds(resource: Record<string, unknown>, opts: ResolvedOptions): Record<string, unknown> {
    if (opts.ids !== "numeric") return resource;
    const out: Record<string, unknown> = { ...resource };
    if (typeof out.id === "string") out.id = Number(out.id);
    if (Array.isArray(out.members)) out.members = out.members.map((m: { value: string }) => ({ ...m, value: Number(m.value) }));
    return out;
}
