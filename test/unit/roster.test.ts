import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accessOf, keptLine } from "../../provider/roster/team";
import { checkRoster, parseRoster, RosterError } from "../../provider/roster/load";
import { rosterFromTenant } from "../../provider/roster/export";

const problems = (text: string) => {
    try {
        parseRoster(text, "team.yaml");
    } catch (e) {
        assert.ok(e instanceof RosterError, String(e));
        return e.problems;
    }
    assert.fail("expected the roster to be rejected");
};

describe("roster validation names the file and the line", () => {
    it("a duplicate email, case-insensitively, at the second one's line", () => {
        const p = problems(["users:", "  - email: alice@example.com", "  - email: bob@example.com", "  - email: Alice@Example.com", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]), [[4, "users[2].email"]]);
        assert.match(p[0].message, /listed twice/);
    });
    it("a group member who is not in the roster", () => {
        const p = problems(["users:", "  - email: alice@example.com", "groups:", "  - name: Design", "    members:", "      - alice@example.com", "      - zed@example.com", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]), [[7, "groups[0].members[1]"]]);
        assert.match(p[0].message, /not a user in this roster/);
    });
    it("unknown keys, at the key's line", () => {
        const p = problems(["users:", "  - email: alice@example.com", "    role: admin", "groups:", "  - name: Design", "    owner: alice@example.com", "teams: []", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]).sort(), [[3, "users[0].role"], [6, "groups[0].owner"], [7, "teams"]].sort());
        assert.ok(p.every((x) => /unknown key/.test(x.message)));
    });
    it("a bad email", () => {
        const p = problems(["users:", "  - email: alice@example.com", "  - email: bob.example.com", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]), [[3, "users[1].email"]]);
        assert.match(p[0].message, /email/);
    });
    it("wrong types and empty names", () => {
        const p = problems(["users:", "  - email: a@example.com", "    active: maybe", "groups:", "  - name: ''", "    members: a@example.com", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]).sort(), [[3, "users[0].active"], [5, "groups[0].name"], [6, "groups[0].members"]].sort());
    });
    it("a duplicate group and a member listed twice", () => {
        const p = problems(["users:", "  - email: a@example.com", "groups:", "  - name: X", "    members: [a@example.com, A@example.com]", "  - name: X", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]).sort(), [[5, "groups[0].members[1]"], [6, "groups[1].name"]].sort());
    });
    it("two entries for one InVision group, even under different keys", () => {
        const p = problems(["groups:", "  - name: Design", "  - name: design", "    key: Old", ""].join("\n"));
        assert.deepEqual(p.map((x) => [x.line, x.path]), [[3, "groups[1].name"]]);
        assert.match(p[0].message, /already used by groups\[0\]/);
    });
    it("YAML syntax errors and duplicate keys", () => {
        assert.equal(problems("users: [\n")[0].line !== undefined, true);
        assert.match(problems("users: []\nusers: []\n")[0].message, /unique|duplicate/i);
    });
    it("the message names the file and line", () => {
        assert.throws(() => parseRoster("users:\n  - email: nope\n", "access/team.yaml"), /access\/team\.yaml:2: users\[0\]\.email:/);
    });
    it("object rosters are validated too", () => {
        assert.throws(() => checkRoster({ users: [{ email: "x" }] }), /roster: users\[0\]\.email/);
    });
});

describe("roster reading", () => {
    it("applies defaults and keeps order-independent facts", () => {
        const r = parseRoster("users:\n  - email: a@example.com\ngroups:\n  - name: G\n");
        assert.deepEqual(r, { users: [{ email: "a@example.com" }], groups: [{ name: "G", members: [] }] });
    });
    it("access says per person which groups, or deactivated", () => {
        const r = checkRoster({
            users: [{ email: "b@example.com" }, { email: "A@example.com" }, { email: "c@example.com", active: false }, { email: "d@example.com" }],
            groups: [{ name: "Research", members: ["a@example.com"] }, { name: "Design", members: ["A@example.com", "b@example.com"] }],
        });
        assert.deepEqual(accessOf(r), { "a@example.com": "Design, Research", "b@example.com": "Design", "c@example.com": "deactivated", "d@example.com": "(no group)" });
    });
});

describe("export", () => {
    it("writes a sorted roster that loads back and matches the tenant", () => {
        const users = [
            { id: "2", userName: "bob@example.com", name: { givenName: "Bob" }, active: true },
            { id: "1", userName: "alice@example.com", name: { givenName: "Alice", familyName: "Ng" }, active: false },
        ];
        const groups = [{ id: "g", displayName: "Design", members: [{ value: "2" }, { value: "1" }, { value: "ghost" }] }];
        const { yaml, warnings } = rosterFromTenant(users, groups);
        const back = parseRoster(yaml);
        assert.deepEqual(back.users, [{ email: "alice@example.com", givenName: "Alice", familyName: "Ng", active: false }, { email: "bob@example.com", givenName: "Bob" }]);
        assert.deepEqual(back.groups, [{ name: "Design", members: ["alice@example.com", "bob@example.com"] }]);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /ghost/);
    });
    it("the kept line names, by email, the people groups have that the roster does not declare", () => {
        assert.equal(keptLine([{ group: "Design", state: { members: ["a@example.com"], unmanagedMembers: [], memberIds: ["a"] } }]), "none");
        assert.equal(
            keptLine([
                { group: "Ops", state: { members: ["a@example.com"], unmanagedMembers: ["zoe@example.com", "y"], memberIds: ["a", "z", "y"] } },
                // State written before members were emails: ids, their emails beside them.
                { group: "Design", state: { members: [], unmanagedMembers: ["z"], memberEmails: ["zoe@example.com"] } },
            ]),
            "user id y (email not known yet: run `pulumi refresh`) (Ops), zoe@example.com (Design, Ops)",
        );
        // At preview, a group that changes hands the program its new inputs (members as a set): not known yet.
        assert.equal(
            keptLine([
                { group: "Ops", state: { members: ["a@example.com"], unmanagedMembers: ["zoe@example.com"], memberIds: ["a", "z"] } },
                { group: "Design", state: { members: { "a@example.com": "member" } as unknown as string[] } },
            ]),
            "zoe@example.com (Ops); known after this change is applied: Design",
        );
        // The plugin settles each group itself: a state this preview does not know is none at all.
        assert.equal(keptLine([{ group: "Ops", state: undefined }, { group: "Design", state: { members: [], unmanagedMembers: [] } }]), "none; known after this change is applied: Ops");
    });
});
