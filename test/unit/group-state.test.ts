import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffGroup } from "../../provider/resources/diff";
import { declaredKeys, emailsById, isEmail, memberKey, membersInState } from "../../provider/resources/group-members";
import { groupInputsSchema } from "../../provider/resources/group-schema";

const inputs = (members: string[]) => groupInputsSchema.parse({ displayName: "Design", members });

describe("a group's members: emails or ids, in every state format", () => {
    it("tells an email from a SCIM id by its @", () => {
        assert.equal(isEmail("alice@example.com"), true);
        for (const id of ["05e2d75f-113b-4e37-9267-8ffdc1ee3aff", "42", "00u1abcd2EFGH3ijk4x7"]) assert.equal(isEmail(id), false);
    });
    it("reads the current format: emails with their ids beside them", () => {
        const s = membersInState({ members: ["alice@example.com", "b-id"], unmanagedMembers: ["zoe@example.com", "q-id"], memberIds: ["a-id", "b-id", "z-id", "q-id"] });
        assert.deepEqual(s.declared, [{ email: "alice@example.com", id: "a-id" }, { id: "b-id", email: undefined }]);
        assert.deepEqual(s.unmanaged, [{ email: "zoe@example.com", id: "z-id" }, { id: "q-id", email: undefined }]);
    });
    it("reads the id formats: memberEmails beside ids, memberNames by id, and 0.1.0's bare ids", () => {
        assert.deepEqual(membersInState({ members: ["a", "b"], unmanagedMembers: ["x"], memberEmails: ["a@example.com", "", "x@example.com"] }), {
            declared: [{ id: "a", email: "a@example.com" }, { id: "b", email: undefined }],
            unmanaged: [{ id: "x", email: "x@example.com" }],
        });
        assert.deepEqual(membersInState({ members: ["a"], unmanagedMembers: [], memberNames: { a: "a@example.com" } }).declared, [{ id: "a", email: "a@example.com" }]);
        assert.deepEqual(membersInState({ members: ["a"], unmanagedMembers: [] }, (id) => (id === "a" ? "a@example.com" : undefined)).declared, [{ id: "a", email: "a@example.com" }]);
    });
    it("keys one person the same whether spelled by email, in any case, or by the id state knows", () => {
        const known = emailsById([{ id: "a-id", email: "Alice@Example.com" }]);
        assert.deepEqual(declaredKeys(["alice@example.com", "ALICE@example.com", "a-id", "other-id"], known), ["alice@example.com", "alice@example.com", "alice@example.com", "id:other-id"]);
        assert.equal(memberKey({ id: "x" }), "id:x");
    });
    it("a stack whose state holds ids diffs as no change once the program names the same people by email", () => {
        const olds = { displayName: "Design", members: ["a-id", "b-id"], unmanagedMembers: [], memberEmails: ["alice@example.com", "bob@example.com"] };
        assert.equal(diffGroup(olds, inputs(["alice@example.com", "Bob@example.com"])).changes, false);
        assert.deepEqual(diffGroup(olds, inputs(["alice@example.com", "erin@example.com"])).changed, ["members"]);
        // The same program still written with ids: no change either.
        assert.equal(diffGroup(olds, inputs(["a-id", "b-id"])).changes, false);
    });
    it("a group of 5,000 in the current format reads back every member", () => {
        const ids = Array.from({ length: 5000 }, (_, i) => `id${i}`);
        const emails = ids.map((id) => `${id}@example.com`);
        const s = membersInState({ members: emails.slice(0, 4990), unmanagedMembers: emails.slice(4990), memberIds: ids });
        assert.equal(s.declared.length + s.unmanaged.length, 5000);
        assert.equal(diffGroup({ displayName: "Design", members: emails.slice(0, 4990), unmanagedMembers: emails.slice(4990), memberIds: ids }, { ...inputs(emails), membershipMode: "authoritative" }).changes, false);
    });
});
