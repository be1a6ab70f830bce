import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffGroup, diffUser, planMembership, profileChange } from "../../provider/resources/diff";
import type { UserInputs } from "../../provider/resources/user-schema";
import { UNKNOWN } from "../../provider/resources/validate";

const base: UserInputs = { userName: "alice@example.com", givenName: "Alice", active: true, onExisting: "adopt", onDelete: "deactivate" };

describe("diffUser", () => {
    it("no change when identical, and when only the email's case differs", () => {
        assert.deepEqual(diffUser(base, { ...base }).changes, false);
        assert.deepEqual(diffUser(base, { ...base, userName: "Alice@EXAMPLE.com" }).changes, false);
    });
    it("a new email replaces the user", () => {
        const d = diffUser(base, { ...base, userName: "alice.ng@example.com" });
        assert.deepEqual(d.replaces, ["userName"]);
        assert.ok(d.changes);
    });
    it("an unknown email at preview is a possible replacement", () => {
        assert.deepEqual(diffUser(base, { ...base, userName: UNKNOWN }).replaces, ["userName"]);
    });
    it("names, active and externalId are in-place updates", () => {
        assert.deepEqual(diffUser(base, { ...base, givenName: "Al" }), { changes: true, replaces: [], changed: ["givenName"] });
        assert.deepEqual(diffUser(base, { ...base, active: false }).changed, ["active"]);
        assert.deepEqual(diffUser(base, { ...base, externalId: "00u1" }).changed, ["externalId"]);
    });
    it("a field removed from the program is no longer managed", () => {
        const { givenName: _, ...without } = base;
        assert.equal(diffUser(base, without).changes, false);
    });
    it("drift found by refresh (deactivated in InVision) shows as a change", () => {
        assert.deepEqual(diffUser({ ...base, active: false }, base).changed, ["active"]);
    });
    it("onDelete/onExisting changes are updates to state only", () => {
        assert.deepEqual(diffUser(base, { ...base, onDelete: "retain" }), { changes: true, replaces: [], changed: ["onDelete"] });
    });
    it("settings compare as they take effect: a stored or declared default equals an absent one", () => {
        const lean = { userName: "alice@example.com", givenName: "Alice", active: true };
        // 0.1.0 state stored the defaults; new inputs do not declare them.
        assert.deepEqual(diffUser(base, lean).changed, []);
        assert.deepEqual(diffUser(lean, base).changed, []);
        assert.deepEqual(diffUser({ ...lean, onExisting: "adopt" }, lean).changed, []);
    });
    it("dropping onDelete: 'delete' from the program goes back to deactivating, and is a change", () => {
        const lean = { userName: "alice@example.com", givenName: "Alice" };
        assert.deepEqual(diffUser({ ...lean, active: true, onDelete: "delete" }, lean).changed, ["onDelete"]);
        assert.deepEqual(diffUser({ ...lean, active: true, onExisting: "fail" }, lean).changed, ["onExisting"]);
    });
});

describe("diffGroup settings", () => {
    const g = { displayName: "Ops", members: ["a"], unmanagedMembers: [] };
    it("a default stored by 0.1.0 equals an absent one; leaving 'retain' is a change", () => {
        assert.deepEqual(diffGroup({ ...g, membershipMode: "authoritative", onExisting: "adopt", onDelete: "delete" }, { displayName: "Ops", members: ["a"] }).changed, []);
        assert.deepEqual(diffGroup({ ...g, onDelete: "retain" }, { displayName: "Ops", members: ["a"] }).changed, ["onDelete"]);
        assert.deepEqual(diffGroup({ ...g, membershipMode: "additive" }, { displayName: "Ops", members: ["a"] }).changed, ["membershipMode"]);
    });
});

describe("profileChange", () => {
    it("sends only what differs and what is declared", () => {
        assert.deepEqual(profileChange({ ...base, familyName: "Ng" }, { ...base, givenName: "Al" }), { givenName: "Al" });
        assert.deepEqual(profileChange({ ...base, active: false }, base), { active: true });
        assert.deepEqual(profileChange(base, base), {});
    });
});

describe("planMembership", () => {
    it("adds and removes the difference only", () => {
        assert.deepEqual(planMembership(["a", "b", "x"], ["a", "b", "c"], "authoritative"), { add: ["c"], remove: ["x"] });
    });
    it("additive never removes", () => {
        assert.deepEqual(planMembership(["a", "x"], ["a", "c"], "additive"), { add: ["c"], remove: [] });
    });
    it("nothing to do when equal in any order", () => {
        assert.deepEqual(planMembership(["b", "a"], ["a", "b"], "authoritative"), { add: [], remove: [] });
    });
});

describe("diffGroup", () => {
    const g = { displayName: "Design", members: ["a", "b"], unmanagedMembers: [] as string[], membershipMode: "authoritative" as const, onExisting: "adopt" as const, onDelete: "delete" as const };
    it("no change when identical or reordered", () => {
        assert.equal(diffGroup(g, { ...g, members: ["b", "a"] }).changes, false);
    });
    it("a rename is an update, not a replacement", () => {
        assert.deepEqual(diffGroup(g, { ...g, displayName: "Design Team" }), { changes: true, replaces: [], changed: ["displayName"] });
    });
    it("member added and removed", () => {
        assert.deepEqual(diffGroup(g, { ...g, members: ["a", "c"] }).changed, ["members"]);
    });
    it("an unmanaged member is removed in authoritative mode only", () => {
        const drifted = { ...g, unmanagedMembers: ["x"] };
        assert.deepEqual(diffGroup(drifted, g).changed, ["members"]);
        assert.equal(diffGroup({ ...drifted, membershipMode: "additive" }, { ...g, membershipMode: "additive" }).changes, false);
    });
    it("declaring a member who is already there unmanaged needs no request", () => {
        assert.equal(diffGroup({ ...g, unmanagedMembers: ["c"] }, { ...g, members: ["a", "b", "c"] }).changes, false);
    });
    it("unknown members at preview count as a change", () => {
        assert.deepEqual(diffGroup(g, { ...g, members: ["a", UNKNOWN] }).changed, ["members"]);
    });
});

describe("group members in the checked inputs", () => {
    it("are a set, so the engine shows who comes and who goes rather than shifted positions", async () => {
        const { check, memberList } = await import("../../provider/resources/group-handlers");
        const r = check({ displayName: "G", members: { "carol@example.com": "member", "dana@example.com": "member" } }, { displayName: "G", members: ["dana@example.com"] });
        assert.deepEqual(r.inputs!.members, { "dana@example.com": "member" });
        assert.deepEqual(memberList(r.inputs!.members), ["dana@example.com"]);
        assert.deepEqual(memberList(["a"]), ["a"]);
    });
    it("with members not known until apply, stay a list: previous positions kept, newcomers last", async () => {
        const { stableOrder, check } = await import("../../provider/resources/group-handlers");
        assert.deepEqual(stableOrder(["a", "b", "c"], ["c", "d", "a", "b"]), ["a", "b", "c", "d"]);
        assert.deepEqual(stableOrder(["a", "b", "c"], ["c", "a"]), ["a", "c"]);
        assert.deepEqual(stableOrder([], ["b", "a"]), ["b", "a"]);
        assert.deepEqual(stableOrder(["a"], ["a", UNKNOWN, UNKNOWN]), ["a", UNKNOWN, UNKNOWN]);
        const r = check({ displayName: "G", members: ["x", "y"] }, { displayName: "G", members: ["y", UNKNOWN, "x"] });
        assert.deepEqual(r.inputs!.members, ["x", "y", UNKNOWN]);
    });
});
