import { z } from "zod";
import { wasSchema } from "../plan/basis";

/** What every resource's state records besides the object: where it lives, whether it is gone, and the basis a read of this run replaced. */
export const recordedSchema = z.object({
    /** The tenant (normalised SCIM root, never the token) the object lives in: resources/tenant.ts. */
    tenant: z.string().optional(),
    /** InVision no longer has the object (deleted outside this program): the next preview shows it created again. */
    gone: z.literal(true).optional(),
    /** State before a read of run `run` changed it: what that run still plans against (plan/basis.ts). */
    was: wasSchema.optional(),
});
