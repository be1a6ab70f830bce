import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { InVisionGroup, InVisionUser } from "pulumi-invision";

// The e2e tests' program: a roster in spec.json, rewritten between steps.
interface Spec {
    users: { userName: string; givenName?: string; familyName?: string; active?: boolean; onDelete?: "deactivate" | "delete" | "retain" }[];
    groups: { key: string; displayName: string; members: string[]; membershipMode?: "authoritative" | "additive" }[];
    /** How groups name their members: by email (now), or by SCIM id (programs written for 0.1 and 0.2, which only took ids). */
    memberBy?: "email" | "id";
}
const spec: Spec = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8"));

const users = new Map(spec.users.map((u) => [u.userName, new InVisionUser(u.userName, u)]));
const groups = spec.groups.map(
    (g) =>
        new InVisionGroup(g.key, {
            displayName: g.displayName,
            members: g.members.map((email) => (spec.memberBy === "id" ? users.get(email)!.id : users.get(email)!.userName)),
            membershipMode: g.membershipMode,
        }),
);

export const userIds = Object.fromEntries([...users].map(([email, u]) => [email, u.id]));
export const groupNames = pulumi.all(groups.map((g) => g.displayName));
