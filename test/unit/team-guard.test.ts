import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
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

describe("InVisionTeam and an empty roster", () => {
    it("refuses a roster with no users: it would deactivate everyone", () => {
        assert.throws(() => new InVisionTeam("t1", { roster: { users: [], groups: [] } }), /has no users.*deactivate everyone.*allowEmptyRoster: true/s);
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
