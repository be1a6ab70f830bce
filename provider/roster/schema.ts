import { z } from "zod";
import { membershipModeSchema } from "../resources/group-schema";
import { nonBlank } from "../resources/validate";
import { userNameSchema } from "../resources/user-schema";

/**
 * The roster file: the people and groups of one InVision team, as a GitOps
 * repository keeps them. `pulumi-invision export` writes this format.
 */

const rosterUserSchema = z
    .object({
        email: userNameSchema,
        givenName: nonBlank("givenName").optional(),
        familyName: nonBlank("familyName").optional(),
        active: z.boolean({ error: "active must be true or false" }).optional(),
    })
    .strict();

const rosterGroupSchema = z
    .object({
        name: nonBlank("name"),
        /** Stable identity of the group in Pulumi; set it to the old name to rename a group in place. */
        key: nonBlank("key").optional(),
        members: z.array(z.string({ error: "each member must be an email of a roster user" }), { error: "members must be a list of emails" }).default([]),
        membershipMode: membershipModeSchema.optional(),
    })
    .strict();

export const rosterSchema = z
    .object({
        users: z.array(rosterUserSchema, { error: "users must be a list" }).default([]),
        groups: z.array(rosterGroupSchema, { error: "groups must be a list" }).default([]),
    })
    .strict()
    .superRefine((roster, ctx) => {
        const emails = new Map<string, number>();
        roster.users.forEach((u, i) => {
            const key = u.email.toLowerCase();
            const first = emails.get(key);
            if (first !== undefined) {
                ctx.addIssue({ code: "custom", path: ["users", i, "email"], message: `${u.email} is listed twice (also users[${first}]); emails are compared case-insensitively` });
            } else emails.set(key, i);
        });
        const keys = new Map<string, number>();
        const names = new Map<string, number>();
        roster.groups.forEach((g, i) => {
            const key = g.key ?? g.name;
            const first = keys.get(key);
            if (first !== undefined) ctx.addIssue({ code: "custom", path: ["groups", i, g.key ? "key" : "name"], message: `group '${key}' is listed twice (also groups[${first}])` });
            else keys.set(key, i);
            // Two entries for one InVision group would each adopt it and undo the other's members forever.
            const sameName = names.get(g.name.toLowerCase());
            if (sameName !== undefined && first === undefined) {
                ctx.addIssue({ code: "custom", path: ["groups", i, "name"], message: `group name '${g.name}' is already used by groups[${sameName}]; names are compared case-insensitively` });
            } else if (sameName === undefined) names.set(g.name.toLowerCase(), i);
            const seen = new Set<string>();
            g.members.forEach((m, j) => {
                const email = m.toLowerCase();
                if (!emails.has(email)) ctx.addIssue({ code: "custom", path: ["groups", i, "members", j], message: `${m} is not a user in this roster; add it under users first` });
                else if (seen.has(email)) ctx.addIssue({ code: "custom", path: ["groups", i, "members", j], message: `${m} is listed twice in group '${g.name}'` });
                seen.add(email);
            });
        });
    });

export type Roster = z.output<typeof rosterSchema>;
export type RosterInput = z.input<typeof rosterSchema>;
export type RosterUser = Roster["users"][number];
export type RosterGroup = Roster["groups"][number];
