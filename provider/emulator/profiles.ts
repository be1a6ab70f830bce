/**
 * The named profiles: which SCIM server the emulator plays. Each choice cites
 * why, from what the project knows about InVision (/work/shared/invision-scim.md,
 * summarised in the README). A profile is only a default: options passed
 * explicitly win. Anything a profile leaves out keeps the "standard" value.
 */
import type { EmulatorOptions, ProfileName } from "./options";

export type Profile = Omit<EmulatorOptions, "profile" | "port" | "token" | "verbose" | "rateLimit" | "chaos">;

export const PROFILES: Record<ProfileName, Profile> = {
    // What the emulator always did: a lenient RFC 7644 server. Existing tests rely on it.
    standard: {},

    "invision-documented": {
        // The vendor's guide: "Pagination method: none, default page size 0, max page size 0".
        pagination: "none",
        // GET/PUT/DELETE /Groups/{id} are not in any InVision document; an undocumented
        // operation is modelled as absent. 405 because the path exists (PATCH works on it).
        groupGet: 405,
        groupDelete: 405,
        // DELETE /Users/{id} is listed by the vendor's guide, so it is supported here; the V6
        // article's "deletion needs InVision Support" is played by `userDelete: 405` on its own.
        userDelete: "supported",
        // No document mentions /ServiceProviderConfig, so a client must not need it.
        serviceProviderConfig: "absent",
        // Filtering is unknown. InVision documents Okta and Entra connectors, and both look a user
        // up with `userName eq "..."` before creating one, so eq must work; nothing suggests more,
        // so nothing more. userName is caseExact=false in RFC 7643: case-insensitive.
        filter: "supported",
        filterOps: "eq-only",
        filterCase: "insensitive",
        // Okta removes members by filter path, Entra by value list; a server with documented
        // connectors for both accepts both.
        memberRemoval: "any",
        // Rate limits: "not documented, no rate-limit headers, no Retry-After". There is no rate
        // limit here by default; when one is set, Retry-After defaults to "none" anyway.
    },

    "okta-like": {
        // Okta's connector looks users up with `userName eq` only, and compares case-insensitively.
        filterOps: "eq-only",
        filterCase: "insensitive",
        // Okta removes by `members[value eq "id"]` and spells ops in lower case.
        memberRemoval: "filter-path",
        opCase: "lower",
        // Okta reads the PATCH answer, so such servers return the resource, and it deactivates
        // (never hides) unassigned users, re-reading them later by filter.
        patchResponse: "resource",
        inactiveUsers: "listed",
    },

    "entra-like": {
        // Entra ID looks users up with `userName eq` only.
        filterOps: "eq-only",
        // Entra sends Add/Replace/Remove; RFC 7644 does not make op names case-sensitive, and servers
        // built for Entra usually take both spellings ("strict" plays the narrow reading).
        opCase: "any",
        // Entra removes members as `path: members, value: [{value}]`.
        memberRemoval: "value-list",
        // Entra reads groups with excludedAttributes=members and never re-reads membership, so its
        // servers leave members out of lists and answer PATCH with 204.
        groupListMembers: "omitted",
        patchResponse: "no-content",
        // Entra finds a deactivated user again by id it stored, so its servers may hide them from lists.
        inactiveUsers: "hidden",
    },

    strict: {
        // The narrowest server Entra's connector (the least demanding of the three) still works with:
        // every behaviour below is one a real server built for it is known to have.
        filterOps: "eq-only",
        filterCase: "exact",
        inactiveUsers: "hidden",
        groupListMembers: "omitted",
        memberRemoval: "value-list",
        removeMissingMember: "noTarget",
        // RFC 7643: a member's display is a human-readable name, never to be taken for an email.
        memberDisplay: "name",
        opCase: "capitalised",
        patchResponse: "no-content",
        totalResults: "page-size",
        // Page sizes are capped; 50 so a tenant of a few hundred needs several pages.
        pageSize: 50,
        pagination: "standard",
        serviceProviderConfig: "absent",
        requireSchemas: true,
        ids: "numeric",
        // Entra takes the new id from the POST answer, so even the strictest server returns it.
        postResponse: "resource",
    },
};
