import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emailsFor, namesInState } from "../../provider/resources/group-schema";

describe("a group's member emails in state", () => {
    it("are a list beside the ids (members, then unmanaged), read back into email by id", () => {
        const names = { a: "a@example.com", x: "x@example.com" };
        const memberEmails = emailsFor(["a", "b"], ["x"], names);
        assert.deepEqual(memberEmails, ["a@example.com", "", "x@example.com"]);
        assert.deepEqual(namesInState({ members: ["a", "b"], unmanagedMembers: ["x"], memberEmails }), names);
    });
    it("store no trailing unknowns, and nothing when no email is known", () => {
        assert.deepEqual(emailsFor(["a", "b"], [], { a: "a@example.com" }), ["a@example.com"]);
        assert.deepEqual(emailsFor(["a", "b"], ["x"], {}), []);
    });
    it("read the previous format (memberNames, a map by id) and 0.1.0's (none)", () => {
        assert.deepEqual(namesInState({ members: ["a"], unmanagedMembers: [], memberNames: { a: "a@example.com" } }), { a: "a@example.com" });
        assert.deepEqual(namesInState({ members: ["a"], unmanagedMembers: [] }), {});
    });
    it("hold every name of a group of 5,000, unmanaged members included", () => {
        const ids = Array.from({ length: 5000 }, (_, i) => `id${i}`);
        const names = Object.fromEntries(ids.map((id) => [id, `${id}@example.com`]));
        const memberEmails = emailsFor(ids.slice(0, 4990), ids.slice(4990), names);
        assert.equal(memberEmails.length, 5000);
        assert.equal(Object.keys(namesInState({ members: ids.slice(0, 4990), unmanagedMembers: ids.slice(4990), memberEmails })).length, 5000);
    });
});
