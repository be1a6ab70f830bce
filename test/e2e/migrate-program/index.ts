import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { InVisionGroup, InVisionUser, plugin } from "pulumi-invision";

// The alias e2e's program: the same two users and a group, on the dynamic
// resources, or (once spec.json says so) on the invision plugin's, each
// aliased to the type it had before.
const { usePlugin } = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8")) as { usePlugin: boolean };
const people = [
    { userName: "alice@example.com", givenName: "Alice" },
    { userName: "bob@example.com", givenName: "Bob" },
];
const was = (kind: "User" | "Group"): pulumi.CustomResourceOptions => ({ aliases: [{ type: `pulumi-nodejs:dynamic/invision:${kind}` }] });

const users = people.map((u) => (usePlugin ? new plugin.User(u.userName, u, was("User")) : new InVisionUser(u.userName, u)));
const design = { displayName: "Design", members: users.map((u) => u.id) };
const group = usePlugin ? new plugin.Group("design", design, was("Group")) : new InVisionGroup("design", design);

export const groupId = group.id;
