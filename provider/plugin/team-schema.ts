import { z } from "zod";
import { onDeleteGroupSchema } from "../resources/group-schema";
import { onDeleteUserSchema, onExistingSchema } from "../resources/user-schema";

/**
 * The inputs of the `invision:index:Team` component as the plugin serves it
 * (the TypeScript InVisionTeam's arguments, with the roster as a file path:
 * every language can name a file, and the roster format stays the one
 * `pulumi-invision export` writes).
 */
export const teamArgsSchema = z
    .object({
        roster: z.string({ error: "roster must be the path of a roster YAML file" }).min(1, "roster must not be empty"),
        userDefaults: z.object({ onExisting: onExistingSchema.optional(), onDelete: onDeleteUserSchema.optional() }).strict().optional(),
        groupDefaults: z.object({ onExisting: onExistingSchema.optional(), onDelete: onDeleteGroupSchema.optional() }).strict().optional(),
        allowEmptyRoster: z.boolean({ error: "allowEmptyRoster must be true or false" }).optional(),
        movedFrom: z.enum(["dynamic"], { error: 'movedFrom must be "dynamic" (the team\'s users and groups were the TypeScript dynamic resources)' }).optional(),
    })
    .strict();
export type TeamArgs = z.output<typeof teamArgsSchema>;

/** The component's outputs. */
export const teamOutputsSchema = z.object({
    userIds: z.record(z.string(), z.string()),
    groupIds: z.record(z.string(), z.string()),
    access: z.record(z.string(), z.string()),
});
