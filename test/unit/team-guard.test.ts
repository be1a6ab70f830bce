import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { InVisionGroup } from "../../provider/resources/group";
import { InVisionUser } from "../../provider/resources/user";
import { InVisionTeam } from "../../provider/roster/team";

// The component runs under Pulumi's mocks: no engine, no provider, no network.
pulumi.runtime.setMocks(
    {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: () => ({}),
    },
    "project",
    "stack",
    true,
);

describe("InVisionTeam moved from the dynamic resources", () => {
    it("movedFrom: \"dynamic\" aliases each child to the dynamic type it had", async () => {
        const registered: { type: string; name: string; aliases: unknown[] }[] = [];
        class Spy extends pulumi.CustomResource {
            constructor(type: string, name: string, opts?: pulumi.CustomResourceOptions) {
                super(type, name, {}, opts);
                registered.push({ type, name, aliases: opts?.aliases ?? [] });
            }
        }
        const classes = {
            User: class extends Spy {
                userName = pulumi.output("");
                constructor(name: string, _args: unknown, opts?: pulumi.CustomResourceOptions) {
                    super("invision:index:User", name, opts);
                }
            },
            Group: class extends Spy {
                members = pulumi.output([]);
                unmanagedMembers = pulumi.output([]);
                memberIds = pulumi.output([]);
                memberEmails = pulumi.output([]);
                constructor(name: string, _args: unknown, opts?: pulumi.CustomResourceOptions) {
                    super("invision:index:Group", name, opts);
                }
            },
        } as never;
        const roster = { users: [{ email: "a@example.com" }], groups: [{ name: "Design", members: ["a@example.com"] }] };
        new InVisionTeam("moved", { roster, movedFrom: "dynamic" }, {}, classes);
        new InVisionTeam("fresh", { roster }, {}, classes);
        assert.deepEqual(
            registered.map((r) => [r.type, r.aliases.length === 0 ? "none" : JSON.stringify(r.aliases)]),
            [
                ["invision:index:User", JSON.stringify([{ type: "pulumi-nodejs:dynamic/invision:User" }])],
                ["invision:index:Group", JSON.stringify([{ type: "pulumi-nodejs:dynamic/invision:Group" }])],
                ["invision:index:User", "none"],
                ["invision:index:Group", "none"],
            ],
        );
    });
});

describe("InVisionTeam and an empty roster", () => {
    it("refuses a roster with no users: it would deactivate everyone", () => {
        assert.throws(() => new InVisionTeam("t1", { roster: { users: [], groups: [] } }), /has no users.*deactivate everyone.*allowEmptyRoster: true/s);
    });
    it("gives the advice of the door the program came through: the plugin's Team is a property in YAML and the SDKs", () => {
        assert.throws(
            () => new InVisionTeam("t4", { roster: { users: [] } }, {}, { User: InVisionUser, Group: InVisionGroup, door: "plugin" }),
            (e: Error) => /allowEmptyRoster: true` under the Team's properties/.test(e.message) && /allow_empty_roster=True/.test(e.message) && !/pass allowEmptyRoster: true to InVisionTeam/.test(e.message),
        );
    });
    it("accepts it when told it is intended", () => {
        const team = new InVisionTeam("t2", { roster: { users: [] }, allowEmptyRoster: true });
        assert.equal(team.roster.users.length, 0);
    });
    it("accepts a roster with people", () => {
        const team = new InVisionTeam("t3", { roster: { users: [{ email: "a@example.com" }] } });
        assert.equal(team.roster.users.length, 1);
    });
});
