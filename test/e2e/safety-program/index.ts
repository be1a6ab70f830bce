import * as fs from "node:fs";
import { InVisionGroup, InVisionUser } from "pulumi-invision";

// The safety e2e tests' program: resources named freely (to play refactors),
// from spec.json, rewritten between steps.
interface Spec {
    users: { name: string; userName: string; active?: boolean; givenName?: string }[];
    groups: { key: string; displayName: string; members: string[]; membershipMode?: "authoritative" | "additive" }[];
}
const spec: Spec = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8"));

const users = new Map(spec.users.map((u) => [u.name, new InVisionUser(u.name, { userName: u.userName, active: u.active, givenName: u.givenName })]));
for (const g of spec.groups) {
    new InVisionGroup(g.key, {
        displayName: g.displayName,
        // A member the spec does not declare as a user is an email of someone already in InVision.
        members: g.members.map((n) => users.get(n)?.userName ?? n),
        membershipMode: g.membershipMode,
    });
}
