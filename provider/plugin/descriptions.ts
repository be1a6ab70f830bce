/**
 * What a user of the plugin reads in their IDE and in the generated SDKs, per
 * resource and property. The property lists themselves come from the zod
 * schemas (schema.ts); a unit test checks every property has its text here.
 */

export const userDescriptions = {
    resource:
        "An InVision user, managed over SCIM 2.0. Destroying it deactivates the user by default (InVision keeps their content); see `onDelete`.",
    properties: {
        userName: "The person's sign-in email, as the program names them. Changing it replaces the user.",
        givenName: "Given (first) name.",
        familyName: "Family (last) name.",
        displayName: "Name shown in InVision, when it should differ from given and family name.",
        active: "Whether the user can sign in. `false` deactivates them and keeps their content. Defaults to true.",
        externalId: "An identifier from your identity provider, stored by InVision as is.",
        onExisting: 'What creating does when a user with this email already exists: "adopt" (default) manages it as it is, "fail" stops.',
        onDelete: 'What destroying (or removing from the program) does: "deactivate" (default), "delete", or "retain" (leave the user as is).',
        created: "When InVision created the user (meta.created), if it says.",
        emailInInVision: "InVision's email for the person when it differs from `userName` (changed outside this program); the next preview shows changing it back.",
        tenant: "The InVision tenant (normalised SCIM base URL, never the token) the object lives in; a provider configured for another tenant refuses to act on it.",
        gone: "True when InVision no longer has the object (deleted outside this program); the next preview shows it created again.",
    },
} as const;

export const groupDescriptions = {
    resource: "An InVision group (an InVision team, as identity providers map them). Membership changes are sent as add/remove operations for the difference only.",
    properties: {
        displayName: "The group's name in InVision.",
        members: "The members: each person's email (their `userName`), or a SCIM user id (e.g. a User's `id`).",
        membershipMode:
            'How `members` is applied: "authoritative" (default) removes members the program does not declare, "additive" only adds and removes the declared ones.',
        onExisting: 'What creating does when a group of this name already exists: "adopt" (default) manages it, "fail" stops.',
        onDelete: 'What destroying does: "delete" (default) or "retain" (leave the group in InVision).',
        unmanagedMembers: "Members present in InVision that this resource does not declare, by email (an id where InVision has no email for one).",
        memberIds: "The SCIM ids of `members` then `unmanagedMembers`, in that order.",
        tenant: "The InVision tenant (normalised SCIM base URL, never the token) the object lives in; a provider configured for another tenant refuses to act on it.",
        gone: "True when InVision no longer has the object (deleted outside this program); the next preview shows it created again.",
    },
} as const;

export const teamDescriptions = {
    resource:
        "One InVision team from a roster file: a User per person (named by lowercased email) and a Group per group, so reordering the file changes nothing and removing a person deactivates them.",
    properties: {
        roster: "Path of the roster YAML file (users and groups), relative to the project root (where Pulumi.yaml is).",
        userDefaults: "Applied to every user of the roster.",
        groupDefaults: "Applied to every group of the roster.",
        allowEmptyRoster: "A roster with no users would deactivate everyone the stack manages; it is refused unless this is true (e.g. before a destroy).",
        movedFrom:
            'Set to "dynamic" when this team was a TypeScript InVisionTeam of the dynamic resources in this stack: its users and groups are aliased to their old types, so the move previews no change and writes nothing. Harmless once every stack has run an up since the move.',
        userIds: "SCIM user id by email (lowercased).",
        groupIds: "SCIM group id by group name.",
        access: 'Who has access and through which groups, by email: "Design, Research", "(no group)", or "deactivated". Known at preview.',
    },
    userDefaults: {
        onExisting: 'What creating a user does when the email exists: "adopt" or "fail".',
        onDelete: 'What removing a person does: "deactivate", "delete" or "retain".',
    },
    groupDefaults: {
        onExisting: 'What creating a group does when the name exists: "adopt" or "fail".',
        onDelete: 'What removing a group does: "delete" or "retain".',
    },
} as const;

/** The provider's configuration (stack config `invision:<name>`), each also read from its environment variable. */
export const configDescriptions = {
    scimBaseUrl: "The SCIM base URL, e.g. https://<team>.invisionapp.com (or env INVISION_SCIM_BASE_URL).",
    scimToken: "The SCIM bearer token; set it with `pulumi config set --secret invision:scimToken` (or env INVISION_SCIM_TOKEN).",
    maxConcurrency: "Requests in flight at most (env INVISION_MAX_CONCURRENCY).",
    requestTimeoutMs: "Timeout of one request in milliseconds (env INVISION_REQUEST_TIMEOUT_MS).",
    maxRequestsPerSecond: "Ceiling of the adaptive request rate (env INVISION_MAX_REQUESTS_PER_SECOND).",
    retryBudgetSeconds: "How long one request may keep retrying (env INVISION_RETRY_BUDGET_SECONDS).",
    maxDeactivations: "Deactivations or deletions of users one run may do at most (env INVISION_MAX_DEACTIVATIONS).",
    maxMembershipRemovals: "Removals of members from groups one run may do at most (env INVISION_MAX_MEMBERSHIP_REMOVALS).",
} as const;
