import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basisOf, observed } from "../../provider/plan/basis";
import { matchMembers, planGroup, planGroupDelete } from "../../provider/plan/group-plan";
import { checkedMembers, Directory, isEmail, memberList, membersInState, stableOrder, stateLists } from "../../provider/plan/members";
import { planUser, planUserDelete } from "../../provider/plan/user-plan";
import { notYetTrue } from "../../provider/plan/writes";
import type { GroupState } from "../../provider/resources/group-schema";
import type { UserInputs, UserState } from "../../provider/resources/user-schema";
import { UNKNOWN } from "../../provider/resources/validate";

const RUN = "run-now";
const nobody: Directory = { idOf: () => undefined, emailOf: () => undefined };
const texts = (p: { lines: { text: string }[] }) => p.lines.map((l) => l.text);

const alice: UserState = { userName: "alice@example.com", givenName: "Alice", active: true };
const declared = (over: Partial<UserInputs> = {}): Partial<UserInputs> => ({ userName: "alice@example.com", givenName: "Alice", active: true, ...over });

describe("planUser: state against the declaration", () => {
    it("no change when identical, and when only the email's case differs", () => {
        assert.equal(planUser(alice, declared(), RUN).action, "none");
        assert.equal(planUser(alice, declared({ userName: "Alice@EXAMPLE.com" }), RUN).action, "none");
    });
    it("a new email replaces the account, naming the old one's fate", () => {
        const p = planUser(alice, declared({ userName: "alice.ng@example.com" }), RUN);
        assert.equal(p.action, "replace");
        assert.deepEqual(texts(p), ["user alice@example.com will be replaced by alice.ng@example.com: the account alice@example.com will be deactivated"]);
        assert.match(texts(planUser({ ...alice, onDelete: "retain" }, declared({ userName: "a@example.com" }), RUN))[0], /left as it is/);
        assert.equal(planUser(alice, declared({ userName: UNKNOWN }), RUN).action, "replace");
    });
    it("names, active and externalId are writes in place, each named", () => {
        const p = planUser(alice, declared({ givenName: "Al", active: false, externalId: "00u1" }), RUN);
        assert.equal(p.action, "update");
        assert.deepEqual(p.write, { givenName: "Al", externalId: "00u1", active: false });
        assert.ok(texts(p).includes("user alice@example.com will be deactivated (active: false)"));
        assert.ok(texts(p).some((t) => /givenName will be set to 'Al' \(InVision has 'Alice'\)/.test(t)));
        assert.equal(p.lines.find((l) => /deactivated/.test(l.text))!.severity, "warning");
    });
    it("a field removed from the program is no longer managed", () => {
        const { givenName: _, ...without } = declared();
        assert.equal(planUser(alice, without, RUN).action, "none");
    });
    it("a deactivation recorded from InVision is undone only by a plan that names it", () => {
        const p = planUser({ ...alice, active: false }, declared(), RUN);
        assert.deepEqual(p.write, { active: true });
        assert.match(texts(p)[0], /user alice@example.com will be reactivated: InVision has the account deactivated/);
    });
    it("settings compare as they take effect: a stored default equals an absent one", () => {
        assert.equal(planUser({ ...alice, onExisting: "adopt", onDelete: "deactivate" }, declared(), RUN).action, "none");
        assert.deepEqual(planUser({ ...alice, onDelete: "delete" }, declared(), RUN).changed, ["onDelete"]);
        assert.deepEqual(planUser(alice, declared({ onDelete: "retain" }), RUN).write, {});
    });
    it("a hand rename of the email is changed back, in place, named with both emails; she keeps her groups", () => {
        const p = planUser({ ...alice, emailInInVision: "alice.smith@example.com" }, declared(), RUN);
        assert.equal(p.action, "update");
        assert.deepEqual(p.write, { userName: "alice@example.com" });
        assert.match(texts(p)[0], /user alice@example.com is alice.smith@example.com in InVision \(changed outside this program\): the email will be changed back to alice@example.com/);
    });
    it("declaring the email InVision already has after a hand rename sends nothing and is no replacement", () => {
        const p = planUser({ ...alice, emailInInVision: "alice.smith@example.com" }, declared({ userName: "alice.smith@example.com" }), RUN);
        assert.equal(p.action, "update");
        assert.deepEqual(p.write, {});
        assert.match(texts(p)[0], /nothing is sent/);
    });
    it("a user InVision no longer has is created again, said so", () => {
        const p = planUser({ ...alice, gone: true }, declared(), RUN);
        assert.equal(p.action, "replace");
        assert.match(texts(p)[0], /no longer exists in InVision \(deleted outside this program\): a new account will be created for alice@example.com/);
    });
});

describe("a read in this run never widens this run's plan (plan/basis.ts)", () => {
    const differs = (a: Partial<UserState>, b: Partial<UserState>) => a.active !== b.active;
    it("a run plans against state as it was before its own read; later runs against the truth", () => {
        const truth: UserState = { ...alice, active: false };
        const after = observed(alice, truth, RUN, differs);
        assert.deepEqual(after.was, { run: RUN, state: alice });
        assert.equal(planUser(after, declared(), RUN).action, "none", "the same run does not reactivate");
        assert.deepEqual(planUser(after, declared(), "next-run").write, { active: true }, "the next run does, named");
    });
    it("a second read in the same run keeps the first basis; a read in a later run starts from the truth", () => {
        const once = observed(alice, { ...alice, active: false }, RUN, differs);
        const twice = observed(once, { ...alice, active: false, givenName: "Al" }, RUN, differs);
        assert.deepEqual(basisOf(twice, RUN), alice);
        const later = observed(once, { ...alice, active: false }, "next-run", differs);
        assert.equal(later.was, undefined, "no difference with what the later run plans against");
    });
    it("a read that finds nothing new records no basis", () => {
        assert.equal(observed(alice, { ...alice }, RUN, differs).was, undefined);
    });
});

describe("planUserDelete", () => {
    it("names what leaving the program does", () => {
        assert.deepEqual(planUserDelete(alice).action, "deactivate");
        assert.match(texts(planUserDelete(alice))[0], /alice@example.com will be deactivated/);
        assert.match(texts(planUserDelete({ ...alice, onDelete: "delete" }))[0], /will be deleted/);
        assert.match(texts(planUserDelete({ ...alice, active: false }))[0], /already deactivated/);
        assert.equal(planUserDelete({ ...alice, onDelete: "retain" }).action, "retain");
    });
});

describe("notYetTrue: an apply skips what InVision already has", () => {
    it("keeps only the planned fields that differ on the live user", () => {
        const live = { id: "1", userName: "alice@example.com", active: true, name: { givenName: "Al" } };
        assert.deepEqual(notYetTrue({ givenName: "Alice", active: true }, live), { givenName: "Alice" });
        assert.deepEqual(notYetTrue({ userName: "alice@example.com" }, live), {});
        assert.deepEqual(notYetTrue({ active: false }, { ...live, active: false }), {});
    });
});

const design = (over: Partial<GroupState> = {}): Partial<GroupState> => ({
    displayName: "Design",
    members: ["alice@example.com", "bob@example.com"],
    unmanagedMembers: [],
    memberIds: ["a", "b"],
    ...over,
});

describe("planGroup: state against the declaration, by person", () => {
    it("no change when identical, reordered, or the same people spelled by id or in another case", () => {
        for (const members of [["alice@example.com", "bob@example.com"], ["bob@example.com", "alice@example.com"], ["a", "Bob@Example.com"]]) {
            assert.equal(planGroup(design(), { displayName: "Design", members }, RUN, nobody).action, "none", members.join());
        }
    });
    it("adds and removes the difference, naming who comes and who goes", () => {
        const p = planGroup(design(), { displayName: "Design", members: ["alice@example.com", "carol@example.com"] }, RUN, nobody);
        assert.deepEqual(p.add.map((a) => a.ref), ["carol@example.com"]);
        assert.deepEqual(p.remove, [{ email: "bob@example.com", id: "b" }]);
        assert.deepEqual(texts(p), ["group 'Design' will add 1 member(s): carol@example.com", "group 'Design' will remove 1 member(s): bob@example.com"]);
        assert.equal(p.lines[1].severity, "warning");
    });
    it("removes the members state recorded as not declared, saying so, in authoritative mode only", () => {
        const kept = design({ unmanagedMembers: ["zoe@example.com"], memberIds: ["a", "b", "z"] });
        const p = planGroup(kept, { displayName: "Design", members: ["alice@example.com", "bob@example.com"] }, RUN, nobody);
        assert.deepEqual(texts(p), ["group 'Design' will remove 1 member(s): zoe@example.com (not declared in the program)"]);
        assert.equal(planGroup(kept, { displayName: "Design", members: ["alice@example.com"], membershipMode: "additive" }, RUN, nobody).remove.length, 0);
    });
    it("re-adds a declared member recorded as removed from InVision, naming them", () => {
        const p = planGroup(design({ members: ["alice@example.com"], memberIds: ["a"] }), { displayName: "Design", members: ["alice@example.com", "bob@example.com"] }, RUN, nobody);
        assert.deepEqual(texts(p), ["group 'Design' will add 1 member(s): bob@example.com"]);
    });
    it("renames back a group renamed in InVision, naming both names", () => {
        const p = planGroup(design({ displayName: "Design Team" }), { displayName: "Design", members: ["alice@example.com", "bob@example.com"] }, RUN, nobody);
        assert.deepEqual(p.rename, { from: "Design Team", to: "Design" });
        assert.deepEqual(texts(p), ["group 'Design Team' (as InVision names it) will be renamed to 'Design'"]);
    });
    it("declaring someone recorded as not declared makes state follow, with nothing to add", () => {
        const p = planGroup(design({ unmanagedMembers: ["zoe@example.com"], memberIds: ["a", "b", "z"] }), { displayName: "Design", members: ["alice@example.com", "bob@example.com", "zoe@example.com"] }, RUN, nobody);
        assert.equal(p.action, "update");
        assert.deepEqual(p.add, []);
        assert.deepEqual(p.remove, []);
        assert.match(texts(p)[0], /zoe@example.com already in the group in InVision .*nothing is sent/);
    });
    it("a person renamed by hand is the same member by id: a program that follows the new email changes nothing", () => {
        const people: Directory = { idOf: (e) => (e === "alice.smith@example.com" ? "a" : undefined), emailOf: () => undefined };
        const p = planGroup(design(), { displayName: "Design", members: ["alice.smith@example.com", "bob@example.com"] }, RUN, people);
        assert.equal(p.action, "none");
    });
    it("the same email under another id is another account: the old one goes, the new one comes", () => {
        const people: Directory = { idOf: (e) => (e === "alice@example.com" ? "a2" : undefined), emailOf: () => undefined };
        const p = planGroup(design(), { displayName: "Design", members: ["alice@example.com", "bob@example.com"] }, RUN, people);
        assert.deepEqual(p.add.map((a) => a.member), [{ email: "alice@example.com", id: "a2" }]);
        assert.deepEqual(p.remove, [{ email: "alice@example.com", id: "a" }]);
    });
    it("members not known until apply: a change, and removals named with the caveat", () => {
        const p = planGroup(design(), { displayName: "Design", members: ["alice@example.com", UNKNOWN] }, RUN, nobody);
        assert.equal(p.action, "update");
        assert.match(texts(p).join("\n"), /will remove 1 member\(s\) \(unless one of the 1 member\(s\) known only at apply is one of them\): bob@example.com/);
        const all = planGroup(design(), { displayName: "Design", members: UNKNOWN }, RUN, nobody);
        assert.match(texts(all)[0], /not known until apply; any of its 2 current member\(s\) not in it will be removed: alice@example.com, bob@example.com/);
    });
    it("a group InVision no longer has is created again with its declared members", () => {
        const p = planGroup(design({ gone: true }), { displayName: "Design", members: ["alice@example.com"] }, RUN, nobody);
        assert.equal(p.action, "replace");
        assert.match(texts(p)[0], /no longer exists in InVision .* created again with 1 member\(s\): alice@example.com/);
    });
    it("this run's read does not widen this run's plan", () => {
        const before = design();
        const truth = design({ unmanagedMembers: ["zoe@example.com"], memberIds: ["a", "b", "z"] });
        const after = { ...truth, was: { run: RUN, state: before as Record<string, unknown> } };
        const decl = { displayName: "Design", members: ["alice@example.com", "bob@example.com"] };
        assert.equal(planGroup(after, decl, RUN, nobody).action, "none");
        assert.deepEqual(planGroup(after, decl, "next", nobody).remove, [{ email: "zoe@example.com", id: "z" }]);
    });
    it("settings: a stored default equals an absent one; leaving 'retain' is a change", () => {
        assert.equal(planGroup(design({ membershipMode: "authoritative", onExisting: "adopt", onDelete: "delete" }), { displayName: "Design", members: ["a", "b"] }, RUN, nobody).action, "none");
        assert.deepEqual(planGroup(design({ onDelete: "retain" }), { displayName: "Design", members: ["a", "b"] }, RUN, nobody).changed, ["onDelete"]);
    });
    it("a group of 5,000 plans in one pass", () => {
        const ids = Array.from({ length: 5000 }, (_, i) => `id${i}`);
        const emails = ids.map((id) => `${id}@example.com`);
        const state = { displayName: "Big", members: emails.slice(0, 4990), unmanagedMembers: emails.slice(4990), memberIds: ids };
        const p = planGroup(state, { displayName: "Big", members: emails }, RUN, nobody);
        assert.equal(p.action, "update", "the 10 recorded as not declared become declared");
        assert.deepEqual(p.add, []);
    });
});

describe("planGroupDelete", () => {
    it("names everyone state records as losing the access", () => {
        const p = planGroupDelete(design({ unmanagedMembers: ["zoe@example.com"], memberIds: ["a", "b", "z"] }), nobody);
        assert.deepEqual(texts(p), ["group 'Design' will be deleted: 3 member(s) lose the access it gave them: alice@example.com, bob@example.com, zoe@example.com"]);
        assert.equal(planGroupDelete(design({ onDelete: "retain" }), nobody).action, "retain");
    });
});

describe("members between their forms (plan/members.ts)", () => {
    it("tells an email from a SCIM id by its @", () => {
        assert.equal(isEmail("alice@example.com"), true);
        for (const id of ["05e2d75f-113b-4e37-9267-8ffdc1ee3aff", "42", "00u1abcd2EFGH3ijk4x7"]) assert.equal(isEmail(id), false);
    });
    it("reads every state format", () => {
        const now = membersInState({ members: ["alice@example.com", "b-id"], unmanagedMembers: ["zoe@example.com", "q-id"], memberIds: ["a-id", "b-id", "z-id", "q-id"] });
        assert.deepEqual(now.declared, [{ email: "alice@example.com", id: "a-id" }, { id: "b-id", email: undefined }]);
        assert.deepEqual(now.unmanaged, [{ email: "zoe@example.com", id: "z-id" }, { id: "q-id", email: undefined }]);
        assert.deepEqual(membersInState({ members: ["a", "b"], unmanagedMembers: ["x"], memberEmails: ["a@example.com", "", "x@example.com"] }), {
            declared: [{ id: "a", email: "a@example.com" }, { id: "b", email: undefined }],
            unmanaged: [{ id: "x", email: "x@example.com" }],
        });
        assert.deepEqual(membersInState({ members: ["a"], unmanagedMembers: [], memberNames: { a: "a@example.com" } }).declared, [{ id: "a", email: "a@example.com" }]);
    });
    it("a stack whose state holds ids plans no change once the program names the same people by email", () => {
        const olds = { displayName: "Design", members: ["a-id", "b-id"], unmanagedMembers: [], memberEmails: ["alice@example.com", "bob@example.com"] };
        assert.equal(planGroup(olds, { displayName: "Design", members: ["alice@example.com", "Bob@example.com"] }, RUN, nobody).action, "none");
        assert.equal(planGroup(olds, { displayName: "Design", members: ["a-id", "b-id"] }, RUN, nobody).action, "none");
        assert.deepEqual(planGroup(olds, { displayName: "Design", members: ["alice@example.com", "erin@example.com"] }, RUN, nobody).changed, ["members"]);
    });
    it("matches by id first, then by email", () => {
        const r = matchMembers(["a2", "bob@example.com"], [{ id: "a1", email: "alice@example.com" }, { email: "bob@example.com" }], nobody);
        assert.deepEqual(r.matched, [undefined, { email: "bob@example.com" }]);
        assert.deepEqual(r.unmatched, [{ id: "a1", email: "alice@example.com" }]);
    });
    it("checked inputs hold a set (who comes and goes, not positions), or a stable list while some are unknown", () => {
        assert.deepEqual(checkedMembers(undefined, ["dana@example.com"]), { "dana@example.com": "member" });
        assert.deepEqual(memberList({ "dana@example.com": "member" }), ["dana@example.com"]);
        assert.deepEqual(stableOrder(["a", "b", "c"], ["c", "d", "a", "b"]), ["a", "b", "c", "d"]);
        assert.deepEqual(checkedMembers(["x", "y"], ["y", UNKNOWN, "x"]), ["x", "y", UNKNOWN]);
    });
    it("state's lists keep the program's spelling for declared members and emails for the rest", () => {
        const lists = stateLists(["1", "2", "3"], [{ ref: "alice@example.com", id: "1" }, { ref: "2", id: "2" }], (id) => ({ "2": "bob@example.com", "3": "zoe@example.com" })[id]);
        assert.deepEqual(lists, { members: ["alice@example.com", "bob@example.com"], unmanagedMembers: ["zoe@example.com"], memberIds: ["1", "2", "3"] });
    });
});
