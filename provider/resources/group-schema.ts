import { z } from "zod";
import { onExistingSchema } from "./user-schema";
import { nonBlank } from "./validate";

export const membershipModeSchema = z.enum(["authoritative", "additive"], {
    error: 'membershipMode must be "authoritative" or "additive"',
});
export const onDeleteGroupSchema = z.enum(["delete", "retain"], { error: 'onDelete must be "delete" or "retain"' });

const memberId = z
    .string({ error: "each member must be a SCIM user id (a string, e.g. alice.id)" })
    .refine((s) => s.trim().length > 0, "a member id must not be empty")
    .refine((s) => s.trim().length === 0 || s === s.trim(), "a member must not have leading or trailing spaces");

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

/** The settings' defaults, not stored in state (see USER_DEFAULTS). A default must never change. */
export const GROUP_DEFAULTS = { membershipMode: "authoritative", onExisting: "adopt", onDelete: "delete" } as const satisfies Partial<GroupInputs>;

export const groupStateSchema = groupInputsSchema.extend({
    membershipMode: membershipModeSchema.optional(),
    onExisting: onExistingSchema.optional(),
    onDelete: onDeleteGroupSchema.optional(),
    /** Members present in InVision that this resource does not declare. */
    unmanagedMembers: z.array(z.string()).default([]),
    /**
     * The emails of `members` then `unmanagedMembers`, in that order, ""
     * where not known: so the preview can name the people a change removes,
     * with no request, even once their user resource is gone from the
     * program. A list beside the ids, not a map by id: a group of 5,000
     * stores its ids once in the outputs.
     */
    memberEmails: z.array(z.string()).default([]),
    /** Written by the previous format (a map by id); read, never written. */
    memberNames: z.record(z.string(), z.string()).optional(),
});
export type GroupState = z.output<typeof groupStateSchema>;

/**
 * Email by SCIM id of the live members, from a group's state in any format
 * this package has written: `memberEmails` (now), `memberNames` (before),
 * nothing (0.1.0).
 */
export function namesInState(state: Partial<GroupState>): Record<string, string> {
    const out: Record<string, string> = { ...(state.memberNames ?? {}) };
    const emails = state.memberEmails ?? [];
    [...(state.members ?? []), ...(state.unmanagedMembers ?? [])].forEach((id, i) => {
        if (emails[i]) out[id] = emails[i];
    });
    return out;
}

/** `memberEmails` for a state's members, from email by id. */
export function emailsFor(members: readonly string[], unmanaged: readonly string[], names: Readonly<Record<string, string>>): string[] {
    const emails = [...members, ...unmanaged].map((id) => names[id] ?? "");
    // Trailing unknowns say nothing a shorter list does not.
    while (emails.length > 0 && emails[emails.length - 1] === "") emails.pop();
    return emails;
}
