import * as fs from "node:fs";
import { InVisionGroup, InVisionTeam, InVisionUser } from "pulumi-invision";

// The access review's e2e program: plain users and groups from spec.json,
// and a team from team.yaml when there is one (rewritten between steps).
interface Spec {
    users: { name: string; userName: string; active?: boolean; onDelete?: "deactivate" | "delete" | "retain" }[];
    groups: { key: string; displayName: string; members: string[]; membershipMode?: "authoritative" | "additive" }[];
}
const spec: Spec = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8"));

const users = new Map(spec.users.map((u) => [u.name, new InVisionUser(u.name, { userName: u.userName, active: u.active, onDelete: u.onDelete })]));
for (const g of spec.groups) {
    // A member the spec does not declare as a user is an email of someone already in InVision.
    new InVisionGroup(g.key, { displayName: g.displayName, members: g.members.map((n) => users.get(n)?.userName ?? n), membershipMode: g.membershipMode });
}
if (fs.existsSync(`${__dirname}/team.yaml`)) new InVisionTeam("team", { roster: "team.yaml" });
