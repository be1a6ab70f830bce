import type { OpCase, ServerCapabilities } from "./capabilities";
import { ScimError } from "./errors";
import type { ScimRequest, ScimResponse } from "./http";
import { PATCH_SCHEMA, PatchOperation } from "./schemas";

/** A 400 that may mean "I do not speak this spelling" (rather than "this value is wrong"). */
export function isDialectRefusal(e: unknown): e is ScimError {
    return e instanceof ScimError && e.is(400) && e.scimType !== "noTarget" && e.scimType !== "uniqueness" && e.scimType !== "mutability";
}

/** A 400 about the path (how a member removal was spelled), not about the op name. */
function isPathRefusal(e: ScimError): boolean {
    return e.scimType === "invalidPath" || e.scimType === "invalidFilter";
}

/**
 * Sends a PATCH in the op spelling the server is known to take, and after a
 * 400 tries the other spelling once (RFC 7644's lower case, or Entra ID's
 * capitalised names); whichever works is remembered for the process.
 */
export async function sendPatch(
    send: (req: ScimRequest) => Promise<ScimResponse>,
    capabilities: ServerCapabilities,
    path: string,
    operations: (opCase: OpCase) => PatchOperation[],
): Promise<ScimResponse> {
    const first = capabilities.facts.opCase;
    const body = (opCase: OpCase) => ({ schemas: [PATCH_SCHEMA], Operations: operations(opCase) });
    try {
        return await send({ method: "PATCH", path, body: body(first) });
    } catch (e) {
        if (!isDialectRefusal(e) || isPathRefusal(e)) throw e;
        const other: OpCase = first === "lower" ? "capitalised" : "lower";
        try {
            const res = await send({ method: "PATCH", path, body: body(other) });
            capabilities.learn("opCase", other, `PATCH ${path} was refused with 400 in ${first} case and taken in ${other} case`);
            return res;
        } catch (e2) {
            // Both spellings refused: the first error says what was wrong with the request.
            if (isDialectRefusal(e2)) throw e;
            throw e2;
        }
    }
}
