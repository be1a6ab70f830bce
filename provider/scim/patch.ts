import type { OpCase, RemovalForm } from "./capabilities";
import { PatchOperation, UserProfile } from "./schemas";

/**
 * Builders of SCIM PATCH operations (RFC 7644 §3.5.2). Pure, so what goes on
 * the wire for a given change is unit-tested.
 */

/** Values per `add` operation and operations per request, so a 5,000-member change is several small requests. */
export const MEMBER_CHUNK = 100;

/** A SCIM filter string literal: quotes and backslashes escaped (RFC 7644 §3.4.2.2). */
export function filterLiteral(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export interface PatchDialect {
    removalForm: RemovalForm;
    opCase: OpCase;
}

const RFC_DIALECT: PatchDialect = { removalForm: "filter-path", opCase: "lower" };

/** An op name as the server wants it spelled. */
export function opName(op: "add" | "remove" | "replace", opCase: OpCase): PatchOperation["op"] {
    return opCase === "lower" ? op : ((op[0].toUpperCase() + op.slice(1)) as PatchOperation["op"]);
}

/**
 * Member changes as add/remove operations for the difference only, never a
 * `replace` of the whole list: a replace would also wipe members someone added
 * between our read and our write. Returns one array of operations per request.
 *
 * Removal has two spellings in the wild: Okta's `members[value eq "id"]` path
 * (one operation per member) and Entra ID's `path: "members"` with a value
 * list. A server may accept only one; the caller picks the dialect it learned.
 */
export function memberPatches(add: readonly string[], remove: readonly string[], chunk: number = MEMBER_CHUNK, dialect: PatchDialect = RFC_DIALECT): PatchOperation[][] {
    const ops: PatchOperation[] = [];
    for (let i = 0; i < add.length; i += chunk) {
        ops.push({ op: opName("add", dialect.opCase), path: "members", value: add.slice(i, i + chunk).map((value) => ({ value })) });
    }
    if (dialect.removalForm === "filter-path") {
        for (const id of remove) ops.push({ op: opName("remove", dialect.opCase), path: `members[value eq ${filterLiteral(id)}]` });
    } else {
        for (let i = 0; i < remove.length; i += chunk) {
            ops.push({ op: opName("remove", dialect.opCase), path: "members", value: remove.slice(i, i + chunk).map((value) => ({ value })) });
        }
    }
    const requests: PatchOperation[][] = [];
    for (let i = 0; i < ops.length; i += chunk) requests.push(ops.slice(i, i + chunk));
    return requests;
}

/**
 * The profile fields a user PATCH may change. userName only to change an email
 * changed by hand back to the declared one (plan/user-plan.ts); a new email in
 * the program is a new account, not a PATCH.
 */
export type ProfileChange = Partial<UserProfile>;

const USER_PATHS: Record<keyof ProfileChange, string> = {
    userName: "userName",
    givenName: "name.givenName",
    familyName: "name.familyName",
    displayName: "displayName",
    active: "active",
    externalId: "externalId",
};

/** Renaming a group. */
export function renamePatch(displayName: string, opCase: OpCase = "lower"): PatchOperation[] {
    return [{ op: opName("replace", opCase), path: "displayName", value: displayName }];
}

export function userPatch(change: ProfileChange, opCase: OpCase = "lower"): PatchOperation[] {
    const ops: PatchOperation[] = [];
    for (const key of Object.keys(USER_PATHS) as (keyof ProfileChange)[]) {
        if (change[key] !== undefined) ops.push({ op: opName("replace", opCase), path: USER_PATHS[key], value: change[key] });
    }
    return ops;
}

/** The SCIM body of a new user. The sign-in email is also the primary work email. */
export function userBody(profile: UserProfile): Record<string, unknown> {
    const body: Record<string, unknown> = {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: profile.userName,
        emails: [{ value: profile.userName, primary: true, type: "work" }],
        active: profile.active,
    };
    if (profile.givenName !== undefined || profile.familyName !== undefined) {
        body.name = { givenName: profile.givenName, familyName: profile.familyName };
    }
    if (profile.displayName !== undefined) body.displayName = profile.displayName;
    if (profile.externalId !== undefined) body.externalId = profile.externalId;
    return body;
}
