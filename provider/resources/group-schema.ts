import { z } from "zod";
import { isEmail } from "../plan/members";
import { onExistingSchema, userNameSchema } from "./user-schema";
import { recordedSchema } from "./recorded";
import { nonBlank } from "./validate";

export const membershipModeSchema = z.enum(["authoritative", "additive"], {
    error: 'membershipMode must be "authoritative" or "additive"',
});
export const onDeleteGroupSchema = z.enum(["delete", "retain"], { error: 'onDelete must be "delete" or "retain"' });

/** A member: the person's email (their `userName`), or a SCIM user id (programs written before emails). */
const memberRef = z
    .string({ error: "each member must be a person's email (their userName) or a SCIM user id" })
    .refine((s) => s.trim().length > 0, "a member must not be empty")
    .refine((s) => s.trim().length === 0 || s === s.trim(), "a member must not have leading or trailing spaces")
    .refine((s) => !isEmail(s) || userNameSchema.safeParse(s).success, "a member with an @ must be an email address, e.g. alice@example.com");

export const groupInputsSchema = z
    .object({
        displayName: nonBlank("displayName"),
        members: z
            .array(memberRef, { error: "members must be a list of emails (or SCIM user ids)" })
            .default([])
            .superRefine((refs, ctx) => {
                const seen = new Set<string>();
                refs.forEach((ref, i) => {
                    const key = isEmail(ref) ? ref.toLowerCase() : ref;
                    if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i], message: `member '${ref}' is listed twice${isEmail(ref) ? " (emails are compared case-insensitively)" : ""}` });
                    seen.add(key);
                });
            }),
        membershipMode: membershipModeSchema.default("authoritative"),
        onExisting: onExistingSchema.default("adopt"),
        onDelete: onDeleteGroupSchema.default("delete"),
    })
    .strict();

export type GroupInputs = z.output<typeof groupInputsSchema>;
export type GroupArgsPlain = z.input<typeof groupInputsSchema>;

/** The settings' defaults, not stored in state (see USER_DEFAULTS). A default must never change. */
export const GROUP_DEFAULTS = { membershipMode: "authoritative", onExisting: "adopt", onDelete: "delete" } as const satisfies Partial<GroupInputs>;

export const groupStateSchema = groupInputsSchema.extend({
    membershipMode: membershipModeSchema.optional(),
    onExisting: onExistingSchema.optional(),
    onDelete: onDeleteGroupSchema.optional(),
    /** Members present in InVision that this resource does not declare: emails, or an id where InVision has no email for one. */
    unmanagedMembers: z.array(z.string()).default([]),
    /**
     * The SCIM ids of `members` then `unmanagedMembers`, in that order: what
     * a later run removes them by, with no lookup. Absent in state written
     * before members were emails (then `members` held the ids).
     */
    memberIds: z.array(z.string()).optional(),
    /** Written before members were emails: the emails of the ids in `members` then `unmanagedMembers`. Read, never written. */
    memberEmails: z.array(z.string()).optional(),
    /** Written by the format before that (a map by id); read, never written. */
    memberNames: z.record(z.string(), z.string()).optional(),
    ...recordedSchema.shape,
});
export type GroupState = z.output<typeof groupStateSchema>;
