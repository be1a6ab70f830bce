import { z } from "zod";
import { recordedSchema } from "./recorded";
import { nonBlank } from "./validate";

/**
 * The inputs of InVisionUser, as `check` validates them. The TypeScript types
 * of the resource's arguments and outputs derive from these schemas.
 */

// RFC 5322 in full is not what InVision accepts either; this is the practical
// shape of a sign-in email: one @, a dotted domain, no spaces.
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const userNameSchema = z
    .string({ error: "userName must be a string: the person's sign-in email" })
    .refine((s) => s === s.trim(), "userName must not have leading or trailing spaces")
    .refine((s) => EMAIL.test(s), "userName must be an email address, e.g. alice@example.com")
    .refine((s) => s.length <= 254, "userName must be at most 254 characters");

export const onDeleteUserSchema = z.enum(["deactivate", "delete", "retain"], {
    error: 'onDelete must be "deactivate", "delete" or "retain"',
});
export const onExistingSchema = z.enum(["adopt", "fail"], { error: 'onExisting must be "adopt" or "fail"' });

export const userInputsSchema = z
    .object({
        userName: userNameSchema,
        givenName: nonBlank("givenName").optional(),
        familyName: nonBlank("familyName").optional(),
        displayName: nonBlank("displayName").optional(),
        active: z.boolean({ error: "active must be true or false" }).default(true),
        externalId: nonBlank("externalId").optional(),
        onExisting: onExistingSchema.default("adopt"),
        onDelete: onDeleteUserSchema.default("deactivate"),
    })
    .strict();

/** Validated inputs, defaults applied. */
export type UserInputs = z.output<typeof userInputsSchema>;
/** What a program may pass (before defaults). */
export type UserArgsPlain = z.input<typeof userInputsSchema>;

/**
 * The settings' defaults. State stores a setting only when it differs from its
 * default (and inputs only what the program declares): a tenant's state has a
 * user resource per person, so every byte of one is paid 10,000 times, in
 * every checkpoint the engine writes. A default must therefore never change.
 */
export const USER_DEFAULTS = { onExisting: "adopt", onDelete: "deactivate" } as const satisfies Partial<UserInputs>;

/**
 * The state kept for a user: the declared settings that are not defaults,
 * plus what InVision reports. Not `meta.lastModified`: it changes whenever
 * anything touches the user in InVision, so storing it made every refresh
 * show a change nobody declared.
 */
export const userStateSchema = userInputsSchema.extend({
    onExisting: onExistingSchema.optional(),
    onDelete: onDeleteUserSchema.optional(),
    created: z.string().optional(),
    ...recordedSchema.shape,
    /**
     * InVision's email for this person when it differs from `userName` (changed
     * outside this program). `userName` stays the email the program names her
     * by, so the groups that list her do not change under a run.
     */
    emailInInVision: z.string().optional(),
});
export type UserState = z.output<typeof userStateSchema>;

/** Profile fields InVision V7 accepts over SCIM but does not apply. */
export const PROFILE_FIELDS = ["givenName", "familyName", "displayName"] as const;
