import { z } from "zod";

// What InVision sends back, parsed at the edge so the rest of the code works on
// typed values. Schemas are lenient on purpose: a SCIM server may add attributes
// (enterprise extensions, meta fields) and we must not fail on what we ignore.

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/**
 * A SCIM id. RFC 7643 says string; some servers send numbers. Everything here
 * compares ids as strings, so a numeric id is turned into one at the edge.
 */
export const scimIdSchema = z.union([z.string().min(1), z.number().transform(String)]);

const meta = z
    .object({
        created: z.string().optional(),
        lastModified: z.string().optional(),
    })
    .loose()
    .optional();

export const scimUserSchema = z
    .object({
        id: scimIdSchema,
        userName: z.string(),
        name: z
            .object({
                givenName: z.string().nullish(),
                familyName: z.string().nullish(),
            })
            .loose()
            .nullish(),
        displayName: z.string().nullish(),
        // Some servers send "true"/"false" strings; the boolean is what matters.
        active: z
            .union([z.boolean(), z.enum(["true", "false", "True", "False"])])
            .transform((v) => (typeof v === "boolean" ? v : v.toLowerCase() === "true"))
            .optional(),
        externalId: z.string().nullish(),
        emails: z.array(z.object({ value: z.string() }).loose()).nullish(),
        meta,
    })
    .loose();
export type ScimUser = z.infer<typeof scimUserSchema>;

export const scimMemberSchema = z
    .object({
        value: scimIdSchema,
        display: z.string().nullish(),
    })
    .loose();

export const scimGroupSchema = z
    .object({
        id: scimIdSchema,
        displayName: z.string(),
        members: z.array(scimMemberSchema).nullish(),
        externalId: z.string().nullish(),
        meta,
    })
    .loose();
export type ScimGroup = z.infer<typeof scimGroupSchema>;

const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

export function listResponseSchema<T extends z.ZodTypeAny>(item: T) {
    return z
        .object({
            totalResults: count.optional(),
            startIndex: count.optional(),
            itemsPerPage: count.optional(),
            Resources: z.array(item).nullish(),
        })
        .loose();
}

// RFC 7644 §3.12: `status` is a string in the spec, a number on many servers.
export const scimErrorSchema = z
    .object({
        status: z.union([z.string(), z.number()]).optional(),
        scimType: z.string().optional(),
        detail: z.string().optional(),
    })
    .loose();
export type ScimErrorBody = z.infer<typeof scimErrorSchema>;

/** The profile we write for a user: what the resource declares, in SCIM terms. */
export const userProfileSchema = z.object({
    userName: z.string(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    displayName: z.string().optional(),
    active: z.boolean(),
    externalId: z.string().optional(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

/** What /ServiceProviderConfig says (RFC 7643 §5): a hint, never the truth. */
export const serviceProviderConfigSchema = z
    .object({
        patch: z.object({ supported: z.boolean().optional() }).loose().optional(),
        filter: z.object({ supported: z.boolean().optional(), maxResults: z.number().optional() }).loose().optional(),
    })
    .loose();
export type ServiceProviderConfig = z.infer<typeof serviceProviderConfigSchema>;

export const patchOperationSchema = z.object({
    // RFC 7644 spells ops in lower case; Entra ID sends Add/Remove/Replace, and
    // servers built for it may accept nothing else.
    op: z.enum(["add", "remove", "replace", "Add", "Remove", "Replace"]),
    path: z.string().optional(),
    value: z.unknown().optional(),
});
export type PatchOperation = z.infer<typeof patchOperationSchema>;
