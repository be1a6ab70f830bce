import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { InVisionUser } from "../../provider/resources/user";
import { providerModule } from "../../provider/resources/providers";
import { InVisionTeam } from "../../provider/roster/team";

// Under Pulumi's mocks: what each resource registers, and what the provider answers (more than the inputs).
const registered = new Map<string, Record<string, unknown>>();
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.set(args.name, args.inputs);
            return { id: `${args.name}-id`, state: { ...args.inputs, created: "2026-01-01T00:00:00Z", active: args.inputs.active ?? true } };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("InVisionUser's outputs", () => {
    it("registers the given inputs only, and carries id and userName", async () => {
        const u = new InVisionUser("a@example.com", { userName: "a@example.com", givenName: "Ann", familyName: undefined, onDelete: undefined });
        assert.equal(await value(u.id), "a@example.com-id");
        assert.equal(await value(u.userName), "a@example.com");
        assert.deepEqual(registered.get("a@example.com"), { userName: "a@example.com", givenName: "Ann", __provider: providerModule("user") });
        // The provider's other outputs (here `created`) are state's, not the object's: no Output built for them.
        const props = u as unknown as Record<string, unknown>;
        assert.equal(props.created, undefined);
        assert.equal(props.familyName, undefined);
        assert.equal(props.onDelete, undefined);
    });

    it("InVisionTeam's users register what they did before: the roster's fields and active", async () => {
        const team = new InVisionTeam("t", { roster: { users: [{ email: "B@example.com", familyName: "Bo" }, { email: "c@example.com", active: false }], groups: [{ name: "G", members: ["b@example.com"] }] } });
        assert.deepEqual(await value(team.userIds), { "b@example.com": "b@example.com-id", "c@example.com": "c@example.com-id" });
        assert.deepEqual(await value(team.groupIds), { G: "G-id" });
        assert.deepEqual(registered.get("b@example.com"), { userName: "B@example.com", familyName: "Bo", active: true, __provider: providerModule("user") });
        assert.deepEqual(registered.get("c@example.com"), { userName: "c@example.com", active: false, __provider: providerModule("user") });
        // Members by email: the user resource's userName output (issue 15), so the group still waits for the user.
        assert.deepEqual(registered.get("G")?.members, ["B@example.com"]);
    });
});
