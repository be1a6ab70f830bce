import { stringify } from "yaml";
import type { ScimClient } from "../scim/client";
import type { ScimGroup, ScimUser } from "../scim/schemas";
import { rosterSchema, RosterInput } from "./schema";

export interface ExportResult {
    roster: RosterInput;
    yaml: string;
    /** Things in the tenant the roster cannot say, e.g. a group member who is not a user. */
    warnings: string[];
}

/**
 * A roster that matches the tenant exactly, so that the first `pulumi up` on
 * it adopts everything and sends no write. Sorted, so re-exports diff cleanly.
 */
export async function exportTenant(client: ScimClient): Promise<ExportResult> {
    const [users, groups] = await Promise.all([client.users.listAll(), client.groups.listAll()]);
    return rosterFromTenant(users, groups);
}

export function rosterFromTenant(users: ScimUser[], groups: ScimGroup[]): ExportResult {
    const warnings: string[] = [];
    const byId = new Map(users.map((u) => [u.id, u]));
    const sortedUsers = [...users].sort((a, b) => a.userName.toLowerCase().localeCompare(b.userName.toLowerCase()));
    const roster: RosterInput = {
        users: sortedUsers.map((u) => {
            const entry: { email: string; givenName?: string; familyName?: string; active?: boolean } = { email: u.userName };
            if (u.name?.givenName) entry.givenName = u.name.givenName;
            if (u.name?.familyName) entry.familyName = u.name.familyName;
            if (u.active === false) entry.active = false;
            return entry;
        }),
        groups: [...groups]
            .sort((a, b) => a.displayName.localeCompare(b.displayName))
            .map((g) => {
                const members: string[] = [];
                for (const m of g.members ?? []) {
                    const u = byId.get(m.value);
                    if (u) members.push(u.userName);
                    else warnings.push(`group '${g.displayName}': member ${m.value} is not a user of this tenant; left out`);
                }
                return { name: g.displayName, members: members.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())) };
            }),
    };
    // What we write must load back: an export that fails validation is a bug here, not the user's.
    const check = rosterSchema.safeParse(roster);
    if (!check.success) {
        for (const issue of check.error.issues) warnings.push(`not representable in a roster: ${issue.path.join(".")}: ${issue.message}`);
    }
    const header =
        "# InVision team roster, exported from the SCIM API by `pulumi-invision export`.\n" +
        "# Commit it, then `pulumi up` adopts every user and group as they are (no change is sent).\n";
    return { roster, yaml: header + stringify(roster, { lineWidth: 0 }), warnings };
}
