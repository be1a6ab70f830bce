import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";

// The engine's floor for bench:scale: the same people and groups, with the
// same inputs, as trivial dynamic resources whose provider does nothing but
// create (id = the name; outputs = the inputs). Diff and read are the
// dynamic-provider host's defaults: the engine compares inputs itself, and a
// refresh gives back what state holds.
interface Spec {
    users: { userName: string; givenName?: string; familyName?: string; active?: boolean }[];
    groups: { key: string; displayName: string; members: string[] }[];
}
const spec: Spec = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8"));

const provider = "exports.handler = () => ({ create: async (inputs) => ({ id: inputs.userName ?? inputs.displayName, outs: inputs }) });\n";
class Floor extends pulumi.CustomResource {
    declare readonly id: pulumi.Output<string>;
    constructor(kind: "User" | "Group", name: string, props: Record<string, unknown>) {
        super(`pulumi-nodejs:dynamic/floor:${kind}`, name, { ...props, __provider: provider });
    }
}

const users = new Map(spec.users.map((u) => [u.userName, new Floor("User", u.userName, u)]));
for (const g of spec.groups) new Floor("Group", g.key, { displayName: g.displayName, members: g.members.map((email) => users.get(email)!.id) });

export const userIds = Object.fromEntries([...users].map(([email, u]) => [email, u.id]));
