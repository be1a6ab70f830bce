import { z } from "zod";

/**
 * The parts of `pulumi stack export` this package reads. Everything else is
 * kept as it is (`loose`): a snapshot must carry the whole deployment, and a
 * field we do not know about is still compared.
 */
export const resourceSchema = z.looseObject({
    urn: z.string().min(1),
    type: z.string().min(1),
    inputs: z.record(z.string(), z.unknown()).optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
});
export type StateResource = z.infer<typeof resourceSchema>;

export const deploymentSchema = z.looseObject({
    manifest: z.unknown().optional(),
    secrets_providers: z.unknown().optional(),
    resources: z.array(resourceSchema).default([]),
    pending_operations: z.array(z.unknown()).optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** `pulumi stack export`'s output: an untyped deployment. */
export const exportSchema = z.looseObject({
    version: z.number().int().min(3, "a deployment of version 3 or later (pulumi stack export of a current CLI)"),
    deployment: deploymentSchema,
});
export type StackExport = z.infer<typeof exportSchema>;

export class StateFileError extends Error {}

/** Parses one export (or snapshot) file's text; `what` names it in errors. */
export function parseExport(text: string, what: string): StackExport {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new StateFileError(`${what} is not JSON (${(e as Error).message}); give the output of \`pulumi stack export\``);
    }
    const parsed = exportSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new StateFileError(`${what} is not a Pulumi stack export: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
    }
    return parsed.data;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`: the stack and project every URN of a stack carries. */
export function stackOfUrn(urn: string): { stack: string; project: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : undefined;
}
