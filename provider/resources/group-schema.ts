import { z } from "zod";
import { onExistingSchema } from "./user-schema";
import { nonBlank } from "./validate";

export const membershipModeSchema = z.enum(["authoritative", "additive"], {
    error: 'membershipMode must be "authoritative" or "additive"',
});
export const onDeleteGroupSchema = z.enum(["delete", "retain"], { error: 'onDelete must be "delete" or "retain"' });

const memberId = z
    .string({ error: "each member must be a SCIM user id (a string, e.g. alice.id)" })
    .refine((s) => s.trim().length > 0, "a member id must not be empty");

export const groupInputsSchema = z
    .object({
        displayName: nonBlank("displayName"),
        members: z
            .array(memberId, { error: "members must be a list of SCIM user ids" })
            .default([])
            .superRefine((ids, ctx) => {
                const seen = new Set<string>();
                ids.forEach((id, i) => {
                    if (seen.has(id)) ctx.addIssue({ code: "custom", path: [i], message: `member '${id}' is listed twice` });
                    seen.add(id);
                });
            }),
        membershipMode: membershipModeSchema.default("authoritative"),
        onExisting: onExistingSchema.default("adopt"),
        onDelete: onDeleteGroupSchema.default("delete"),
    })
    .strict();

export type GroupInputs = z.output<typeof groupInputsSchema>;
export type GroupArgsPlain = z.input<typeof groupInputsSchema>;

export const groupStateSchema = groupInputsSchema.extend({
    /** Members present in InVision that this resource does not declare. */
    unmanagedMembers: z.array(z.string()).default([]),
    /**
     * Email by SCIM id of every live member, so the preview can name the
     * people a change removes, with no request, even once their user
     * resource is gone from the program.
     */
    memberNames: z.record(z.string(), z.string()).default({}),
});
export type GroupState = z.output<typeof groupStateSchema>;
