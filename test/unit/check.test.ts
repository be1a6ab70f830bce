import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as groups from "../../provider/resources/group-handlers";
import * as users from "../../provider/resources/user-handlers";
import { UNKNOWN } from "../../provider/resources/validate";

const user = (over: Record<string, unknown>) => ({ userName: "alice@example.com", ...over });
const group = (over: Record<string, unknown>) => ({ displayName: "Design", ...over });

// Each: inputs, the property the failure must name, and a word the reason must contain.
const invalidUsers: [Record<string, unknown>, string, RegExp][] = [
    [{}, "userName", /string|email/],
    [user({ userName: "" }), "userName", /email/],
    [user({ userName: "alice" }), "userName", /email/],
    [user({ userName: "alice@" }), "userName", /email/],
    [user({ userName: "@example.com" }), "userName", /email/],
    [user({ userName: "alice@example" }), "userName", /email/],
    [user({ userName: "alice smith@example.com" }), "userName", /email/],
    [user({ userName: " alice@example.com" }), "userName", /spaces/],
    [user({ userName: "alice@@example.com" }), "userName", /email/],
    [user({ userName: 42 }), "userName", /string/],
    [user({ userName: `${"a".repeat(250)}@example.com` }), "userName", /254/],
    [user({ givenName: "" }), "givenName", /empty/],
    [user({ givenName: "   " }), "givenName", /empty/],
    [user({ givenName: 7 }), "givenName", /string/],
    // A server trims names; the read-back would then fail every run with the object created.
    [user({ givenName: " Bob " }), "givenName", /leading or trailing spaces/],
    [user({ familyName: "Ng\t" }), "familyName", /leading or trailing spaces/],
    [user({ displayName: " Bob Ng" }), "displayName", /leading or trailing spaces/],
    [user({ externalId: "00u1 " }), "externalId", /leading or trailing spaces/],
    [user({ familyName: "" }), "familyName", /empty/],
    [user({ familyName: "x".repeat(300) }), "familyName", /256/],
    [user({ displayName: "" }), "displayName", /empty/],
    [user({ displayName: ["A"] }), "displayName", /string/],
    [user({ active: "yes" }), "active", /true or false/],
    [user({ active: 1 }), "active", /true or false/],
    [user({ externalId: "" }), "externalId", /empty/],
    [user({ onExisting: "overwrite" }), "onExisting", /adopt/],
    [user({ onDelete: "destroy" }), "onDelete", /deactivate/],
    [user({ onDelete: true }), "onDelete", /deactivate/],
    [user({ email: "alice@example.com" }), "(inputs)", /email|Unrecognized/i],
];
const invalidGroups: [Record<string, unknown>, string, RegExp][] = [
    [{}, "displayName", /string/],
    [group({ displayName: "" }), "displayName", /empty/],
    [group({ displayName: "Ops " }), "displayName", /leading or trailing spaces/],
    [group({ members: ["u1", " u2"] }), "members[1]", /leading or trailing spaces/],
    [group({ displayName: "  " }), "displayName", /empty/],
    [group({ displayName: 3 }), "displayName", /string/],
    [group({ members: "alice" }), "members", /list/],
    [group({ members: ["a", "a"] }), "members[1]", /twice/],
    [group({ members: ["a", ""] }), "members[1]", /empty/],
    [group({ members: ["a", 5] }), "members[1]", /SCIM user id/],
    [group({ membershipMode: "replace" }), "membershipMode", /authoritative/],
    [group({ onDelete: "deactivate" }), "onDelete", /delete/],
    [group({ onExisting: "merge" }), "onExisting", /adopt/],
    [group({ owners: [] }), "(inputs)", /owners|Unrecognized/i],
];

describe("InVisionUser check: invalid inputs", () => {
    for (const [inputs, property, reason] of invalidUsers) {
        it(`${JSON.stringify(inputs).slice(0, 70)} -> ${property}`, () => {
            const r = users.check({}, inputs);
            assert.ok(r.failures && r.failures.length > 0, "expected a failure");
            const f = r.failures!.find((x) => x.property === property);
            assert.ok(f, `no failure names ${property}: ${JSON.stringify(r.failures)}`);
            assert.match(f!.reason, reason);
        });
    }
});

describe("InVisionGroup check: invalid inputs", () => {
    for (const [inputs, property, reason] of invalidGroups) {
        it(`${JSON.stringify(inputs).slice(0, 70)} -> ${property}`, () => {
            const r = groups.check({}, inputs);
            const f = r.failures?.find((x) => x.property === property);
            assert.ok(f, `no failure names ${property}: ${JSON.stringify(r.failures)}`);
            assert.match(f!.reason, reason);
        });
    }
});

describe("check: valid inputs", () => {
    it("keeps what the program declared and adds no defaults but `active` (the engine stores these inputs for every person)", () => {
        const r = users.check({}, { userName: "Alice@Example.com", __provider: "p" });
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs, { userName: "Alice@Example.com", active: true });
        const declared = { userName: "a@example.com", active: true, onExisting: "adopt", onDelete: "retain" };
        assert.deepEqual(users.check({}, declared).inputs, declared);
        const g = groups.check({}, { displayName: "Design" });
        assert.deepEqual(g.inputs, { displayName: "Design" });
        // Members as a set (see group-handlers.ts memberSet): the engine then shows who comes and goes.
        assert.deepEqual(groups.check({}, { displayName: "D", members: ["b", "a"], membershipMode: "additive" }).inputs, { displayName: "D", members: { b: "member", a: "member" }, membershipMode: "additive" });
    });
    it("lets unknown values through at preview", () => {
        const r = users.check({}, { userName: UNKNOWN, givenName: "A" });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs!.userName, UNKNOWN);
        const g = groups.check({}, { displayName: "Design", members: ["u1", UNKNOWN, UNKNOWN] });
        assert.deepEqual(g.failures, []);
        assert.deepEqual(g.inputs!.members, ["u1", UNKNOWN, UNKNOWN]);
        const whole = groups.check({}, { displayName: "Design", members: UNKNOWN });
        assert.deepEqual(whole.failures, []);
    });
    it("names the right index next to unknown members", () => {
        const g = groups.check({}, { displayName: "D", members: [UNKNOWN, "a", "a"] });
        assert.deepEqual(g.failures!.map((f) => f.property), ["members[2]"]);
    });
    it("still rejects the known parts next to unknown ones", () => {
        const g = groups.check({}, { displayName: "", members: [UNKNOWN, "u1", "u1"] });
        assert.ok(g.failures!.some((f) => f.property === "displayName"));
        assert.ok(g.failures!.some((f) => f.property.startsWith("members")));
    });
});

it("covers at least 30 invalid inputs", () => assert.ok(invalidUsers.length + invalidGroups.length >= 30));
