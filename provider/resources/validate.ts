import { z } from "zod";

/**
 * Turns zod results into Pulumi check failures, one per property, and lets
 * values that are not known yet (preview of a value computed by another
 * resource) through: they are checked again at `up`, once known.
 */

/** The SDK's marker for a value not known during preview (runtime/rpc `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
    property: string;
    reason: string;
}

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

/**
 * Validates `news` with `schema`. Properties that are unknown, and array
 * elements that are unknown, skip validation and are passed through as they are.
 */
export function checkInputs<S extends z.ZodType<Record<string, unknown>>>(
    schema: S,
    news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const unknownKeys = new Set<string>();
    const probe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(news)) {
        if (k === "__provider") continue;
        if (isUnknown(v)) {
            unknownKeys.add(k);
        } else if (Array.isArray(v) && v.some(isUnknown)) {
            // Validate the known elements where they stand (so failures name
            // the right index); each unknown one becomes a distinct stand-in
            // string, and is checked at `up`.
            unknownKeys.add(`${k}[]`);
            probe[k] = v.map((x, i) => (isUnknown(x) ? `${UNKNOWN}#${i}` : x));
        } else {
            probe[k] = v;
        }
    }
    const result = schema.safeParse(probe);
    if (!result.success) {
        const failures = result.error.issues
            .filter((i) => !unknownKeys.has(String(i.path[0])))
            .map((i) => ({ property: propertyOf(i.path), reason: i.message }));
        if (failures.length > 0) return { inputs: news, failures };
    }
    // What the program declared, as validated: no defaults filled in. The
    // engine stores these inputs for every resource, and a default stored
    // 10,000 times is state (and checkpoint time) that says nothing.
    const inputs: Record<string, unknown> = {};
    const data = (result.success ? result.data : probe) as Record<string, unknown>;
    for (const k of Object.keys(probe)) if (data[k] !== undefined) inputs[k] = data[k];
    for (const k of unknownKeys) {
        if (k.endsWith("[]")) inputs[k.slice(0, -2)] = news[k.slice(0, -2)];
        else inputs[k] = news[k];
    }
    return { inputs, failures: [] };
}

function propertyOf(path: PropertyKey[]): string {
    if (path.length === 0) return "(inputs)";
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** A name field: present means non-blank. */
export const nonBlank = (what: string) =>
    z
        .string({ error: `${what} must be a string` })
        .refine((s) => s.trim().length > 0, `${what} must not be empty`)
        // A server trims it; the read-back would then never match what was declared.
        .refine((s) => s.trim().length === 0 || s === s.trim(), `${what} must not have leading or trailing spaces`)
        .refine((s) => s.length <= 256, `${what} must be at most 256 characters`);
