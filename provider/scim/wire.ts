import type { z } from "zod";

/** Parses a server's answer at the edge; a shape we do not understand is an error that says where. */
export function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
    const r = schema.safeParse(data);
    if (!r.success) {
        const first = r.error.issues[0];
        throw new Error(`InVision returned a ${what} this provider does not understand: ${first?.path.join(".") || "(body)"}: ${first?.message}`);
    }
    return r.data;
}

/** An id as a path segment. */
export function enc(id: string): string {
    return encodeURIComponent(id);
}
