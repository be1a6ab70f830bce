import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { main } from "../../provider/cli/main";
import { UNKNOWN } from "../../provider/resources/validate";
import { buildReview } from "../../provider/review/build";
import { esc, renderMarkdown } from "../../provider/review/markdown";
import type { AccessReview, PersonRow } from "../../provider/review/model";
import { PreviewJsonError, readPreview } from "../../provider/review/preview-json";
import { stderrOf } from "../support/stderr";

/**
 * The access review, one row kind at a time, from preview JSON shaped as
 * `pulumi preview --json --show-sames` prints it (test/e2e/access-review.test.ts
 * reads the real thing). Each case is a step or two; the plans are the
 * provider's own.
 */

type Props = Record<string, unknown>;
const DYN = "pulumi-nodejs:dynamic/invision";
const PLUGIN = "invision:index";
interface StepSpec {
    op: string;
    kind: "User" | "Group";
    name: string;
    id?: string;
    olds?: Props;
    oldInputs?: Props;
    news?: Props;
    door?: string;
}
function step(s: StepSpec) {
    const type = `${s.door ?? DYN}:${s.kind}`;
    return {
        op: s.op,
        urn: `urn:pulumi:prod::access::invision:index:Team$${type}::${s.name}`,
        ...(s.olds ? { oldState: { type, id: s.id, inputs: s.oldInputs ?? s.olds, outputs: s.olds } } : {}),
        ...(s.news ? { newState: { type, inputs: s.news } } : {}),
    };
}
function review(steps: StepSpec[], extra: Props = {}): AccessReview {
    const stack = { op: "same", urn: "urn:pulumi:prod::access::pulumi:pulumi:Stack::access-prod" };
    const all = [stack, ...steps.map(step)];
    return buildReview(readPreview(JSON.stringify({ config: {}, steps: all, changeSummary: { same: all.filter((s) => s.op === "same").length }, ...extra })));
}
const row = (r: AccessReview, email: string): PersonRow => {
    const found = r.people.find((p) => p.email === email);
    assert.ok(found, `no row for ${email}: ${JSON.stringify(r.people)}`);
    return found;
};
const emails = (r: AccessReview) => r.people.map((p) => p.email);

const ALICE = { userName: "alice@example.com", active: true };
const user = (name: string, email: string, id: string, over: Props = {}) => ({ kind: "User" as const, name, id, olds: { userName: email, active: true, ...over } });
const set = (...emails: string[]) => Object.fromEntries(emails.map((e) => [e, "member"]));
const design = (members: string[], ids: string[], over: Props = {}) => ({ displayName: "Design", members, memberIds: ids, unmanagedMembers: [], ...over });

describe("access review: a person's account", () => {
    it("a new account", () => {
        const r = review([{ op: "create", kind: "User", name: "erin", news: { userName: "erin@example.com", active: true } }]);
        assert.deepEqual(row(r, "erin@example.com").account, [{ kind: "created", active: true }]);
        assert.equal(r.summary, "+1 person");
        assert.ok(r.mayAdopt.users);
    });
    it("a new account declared deactivated", () => {
        const r = review([{ op: "create", kind: "User", name: "erin", news: { userName: "erin@example.com", active: false } }]);
        assert.deepEqual(row(r, "erin@example.com").account, [{ kind: "created", active: false }]);
    });
    it("deactivated: declared active: false", () => {
        const r = review([{ op: "update", ...user("alice", "alice@example.com", "u1"), news: { ...ALICE, active: false } }]);
        assert.deepEqual(row(r, "alice@example.com").account, [{ kind: "deactivated", why: "declared active: false" }]);
        assert.equal(r.summary, "-1 person");
    });
    it("deactivated: left the roster; deleted with onDelete: delete", () => {
        const r = review([
            { op: "delete", ...user("bob", "bob@example.com", "u2") },
            { op: "delete", ...user("carl", "carl@example.com", "u3", { onDelete: "delete" }) },
        ]);
        assert.deepEqual(row(r, "bob@example.com").account, [{ kind: "deactivated", why: "left the roster" }]);
        assert.deepEqual(row(r, "carl@example.com").account, [{ kind: "deleted", why: "left the roster (onDelete: delete)" }]);
        assert.equal(r.summary, "-2 people");
        assert.equal(r.guard.deactivations.count, 2);
    });
    it("leaves the roster with no change: already deactivated, kept (retain), already deleted", () => {
        const r = review([
            { op: "delete", ...user("bob", "bob@example.com", "u2", { active: false }) },
            { op: "delete", ...user("carl", "carl@example.com", "u3", { onDelete: "retain" }) },
            { op: "delete", ...user("dee", "dee@example.com", "u4", { gone: true }) },
        ]);
        assert.deepEqual(row(r, "bob@example.com").account, [{ kind: "leavesUnchanged", why: "left the roster; the account is already deactivated" }]);
        assert.match(row(r, "carl@example.com").account[0].why!, /InVision keeps the account \(onDelete: retain\)/);
        assert.match(row(r, "dee@example.com").account[0].why!, /already deleted outside the program/);
        assert.equal(r.summary, "no change in access");
        assert.equal(r.guard.deactivations.count, 0);
    });
    it("reactivated: deactivated outside the program, or declared active again", () => {
        const hand = review([{ op: "update", ...user("alice", "alice@example.com", "u1", { active: false }), oldInputs: ALICE, news: ALICE }]);
        assert.deepEqual(row(hand, "alice@example.com").account, [{ kind: "reactivated", why: "deactivated outside the program" }]);
        assert.deepEqual(hand.handChanges, [{ subject: "alice@example.com", what: "deactivated in InVision", next: "reactivated" }]);
        const declared = review([{ op: "update", ...user("alice", "alice@example.com", "u1", { active: false }), oldInputs: { ...ALICE, active: false }, news: ALICE }]);
        assert.deepEqual(row(declared, "alice@example.com").account, [{ kind: "reactivated", why: "declared active again" }]);
        assert.deepEqual(declared.handChanges, []);
    });
    it("an email changed outside the program is changed back; one the program now declares is kept", () => {
        const olds = { ...ALICE, emailInInVision: "alice.ng@example.com" };
        const back = review([{ op: "update", kind: "User", name: "alice", id: "u1", olds, oldInputs: ALICE, news: ALICE }]);
        assert.deepEqual(row(back, "alice@example.com").account, [{ kind: "emailChangedBack", from: "alice.ng@example.com", why: "changed outside the program" }]);
        assert.equal(back.summary, "1 email changed back");
        assert.deepEqual(back.handChanges, [{ subject: "alice@example.com", what: "email changed in InVision to alice.ng@example.com", next: "changed back to alice@example.com" }]);
        const kept = review([{ op: "update", kind: "User", name: "alice", id: "u1", olds, oldInputs: ALICE, news: { ...ALICE, userName: "alice.ng@example.com" } }]);
        assert.deepEqual(kept.people, []);
        assert.equal(kept.handChanges[0].next, "kept: the program now declares alice.ng@example.com");
    });
    it("a new email: the old account goes, a new one comes", () => {
        const r = review([{ op: "replace", ...user("alice", "alice@example.com", "u1"), news: { ...ALICE, userName: "alice.ng@example.com" } }]);
        assert.deepEqual(row(r, "alice@example.com").account, [{ kind: "deactivated", why: "replaced by alice.ng@example.com" }]);
        assert.deepEqual(row(r, "alice.ng@example.com").account, [{ kind: "created", active: true, why: "replaces alice@example.com" }]);
        assert.equal(r.summary, "+1 person, -1 person");
    });
    it("an account deleted outside the program: a new one", () => {
        const r = review([{ op: "replace", ...user("alice", "alice@example.com", "u1", { gone: true }), news: ALICE }]);
        assert.deepEqual(emails(r), ["alice@example.com"]);
        assert.deepEqual(row(r, "alice@example.com").account, [{ kind: "created", active: true, why: "the account was deleted outside the program" }]);
        assert.deepEqual(r.handChanges, [{ subject: "alice@example.com", what: "deleted in InVision", next: "a new account is created" }]);
    });
    it("a name edit is not an access change", () => {
        const r = review([{ op: "update", ...user("alice", "alice@example.com", "u1"), news: { ...ALICE, givenName: "Alice" } }]);
        assert.deepEqual(r.people, []);
        assert.equal(r.summary, "no change in access");
    });
});

describe("access review: groups joined and left", () => {
    const users = [
        { op: "same", ...user("alice", "alice@example.com", "u1"), news: ALICE },
        { op: "same", ...user("bob", "bob@example.com", "u2"), news: { userName: "bob@example.com", active: true } },
    ];
    it("joins and leaves by the program's edit (no reason needed)", () => {
        const r = review([...users, { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"]), news: { displayName: "Design", members: set("bob@example.com") } }]);
        assert.deepEqual(row(r, "bob@example.com").joins, [{ group: "Design" }]);
        assert.deepEqual(row(r, "alice@example.com").leaves, [{ group: "Design" }]);
        assert.equal(r.summary, "2 group changes");
        assert.equal(r.guard.membershipRemovals.count, 1);
    });
    it("leaves: left the roster", () => {
        const r = review([
            { op: "delete", ...user("bob", "bob@example.com", "u2") },
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com", "bob@example.com"], ["u1", "u2"]), news: { displayName: "Design", members: set("alice@example.com") } },
        ]);
        assert.deepEqual(row(r, "bob@example.com"), { email: "bob@example.com", account: [{ kind: "deactivated", why: "left the roster" }], joins: [], leaves: [{ group: "Design", why: "left the roster" }] });
    });
    it("leaves: not declared (added outside the program, or kept at adoption)", () => {
        const olds = design(["alice@example.com"], ["u1", "u9"], { unmanagedMembers: ["zoe@example.com"] });
        const r = review([{ op: "update", kind: "Group", name: "Design", id: "g1", olds, oldInputs: { displayName: "Design", members: set("alice@example.com") }, news: { displayName: "Design", members: set("alice@example.com") } }]);
        assert.deepEqual(row(r, "zoe@example.com").leaves, [{ group: "Design", why: "not declared: added outside the program, or kept when the group was adopted" }]);
        assert.equal(r.handChanges[0].next, "removed");
        assert.match(r.handChanges[0].what, /^zoe@example.com: in the group in InVision, not declared/);
    });
    it("an undeclared member is kept by an additive group, and by a program that now declares her", () => {
        const olds = design(["alice@example.com"], ["u1", "u9"], { unmanagedMembers: ["zoe@example.com"], membershipMode: "additive" });
        const additive = review([{ op: "same", kind: "Group", name: "Design", id: "g1", olds, news: { displayName: "Design", members: set("alice@example.com"), membershipMode: "additive" } }]);
        assert.deepEqual(additive.people, []);
        assert.equal(additive.handChanges[0].next, "kept (membershipMode: additive)");
        const now = review([{ op: "update", kind: "Group", name: "Design", id: "g1", olds: { ...olds, membershipMode: undefined }, news: { displayName: "Design", members: set("alice@example.com", "zoe@example.com") } }]);
        assert.deepEqual(now.people, []);
        assert.equal(now.handChanges[0].next, "kept: the program now declares them");
    });
    it("joins: added back after a removal outside the program", () => {
        const r = review([
            ...users,
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"]), oldInputs: { displayName: "Design", members: set("alice@example.com", "bob@example.com") }, news: { displayName: "Design", members: set("alice@example.com", "bob@example.com") } },
        ]);
        assert.deepEqual(row(r, "bob@example.com").joins, [{ group: "Design", why: "added back: removed outside the program" }]);
        assert.deepEqual(r.handChanges, [{ subject: "Design", what: "bob@example.com: declared, but not in the group in InVision (removed outside the program)", next: "added back" }]);
    });
    it("a group deleted: everyone in it leaves, counted against the guard", () => {
        const r = review([{ op: "delete", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1", "u9"], { unmanagedMembers: ["zoe@example.com"] }) }]);
        assert.deepEqual(row(r, "alice@example.com").leaves, [{ group: "Design", why: "group deleted" }]);
        assert.deepEqual(row(r, "zoe@example.com").leaves, [{ group: "Design", why: "group deleted" }]);
        assert.deepEqual(r.groups, [{ kind: "deleted", group: "Design", members: 2 }]);
        assert.equal(r.summary, "2 group changes, 1 group deleted");
        assert.equal(r.guard.membershipRemovals.count, 2);
    });
    it("a group leaving with onDelete: retain, or already deleted, takes nobody's access", () => {
        const r = review([
            { op: "delete", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"], { onDelete: "retain" }) },
            { op: "delete", kind: "Group", name: "Ops", id: "g2", olds: { displayName: "Ops", members: ["bob@example.com"], memberIds: ["u2"], unmanagedMembers: [], gone: true } },
        ]);
        assert.deepEqual(r.people, []);
        assert.deepEqual(r.groups.map((g) => [g.group, g.kind]), [["Design", "leavesUnchanged"], ["Ops", "leavesUnchanged"]]);
    });
    it("a new group: its members join", () => {
        const r = review([...users, { op: "create", kind: "Group", name: "Research", news: { displayName: "Research", members: set("alice@example.com", "erin@example.com") } }]);
        assert.deepEqual(row(r, "alice@example.com").joins, [{ group: "Research", why: "new group" }]);
        assert.deepEqual(row(r, "erin@example.com").joins, [{ group: "Research", why: "new group" }]);
        assert.deepEqual(r.groups, [{ kind: "created", group: "Research", members: 2 }]);
        assert.equal(r.summary, "2 group changes, 1 new group");
    });
    it("a group deleted outside the program is created again", () => {
        const r = review([{ op: "replace", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"], { gone: true }), news: { displayName: "Design", members: set("alice@example.com") } }]);
        assert.deepEqual(row(r, "alice@example.com").joins, [{ group: "Design", why: "group created again: it was deleted outside the program" }]);
        assert.equal(r.groups[0].kind, "recreated");
        assert.deepEqual(r.handChanges, [{ subject: "Design", what: "deleted in InVision", next: "created again" }]);
    });
    it("a rename: by the program, or back after one outside it", () => {
        const ours = review([{ op: "update", kind: "Group", name: "Design", id: "g1", olds: design([], []), news: { displayName: "Product design", members: {} } }]);
        assert.deepEqual(ours.groups, [{ kind: "renamed", group: "Product design", from: "Design" }]);
        assert.equal(ours.summary, "1 group renamed");
        const back = review([{ op: "update", kind: "Group", name: "Design", id: "g1", olds: design([], [], { displayName: "Design (old)" }), oldInputs: { displayName: "Design", members: {} }, news: { displayName: "Design", members: {} } }]);
        assert.deepEqual(back.groups, [{ kind: "renamed", group: "Design", from: "Design (old)", why: "renamed outside the program" }]);
        assert.deepEqual(back.handChanges, [{ subject: "Design", what: "renamed in InVision to 'Design (old)'", next: "renamed back to 'Design'" }]);
    });
    it("members known only at apply: named as such, and the removals they may bring", () => {
        const r = review([{ op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"]), news: { displayName: "Design", members: UNKNOWN } }]);
        assert.deepEqual(r.people, []);
        assert.equal(r.groups[0].kind, "membersNotKnown");
        assert.match(r.groups[0].why!, /known only at apply; any of its 1 current member\(s\) not in it is removed: alice@example.com/);
        assert.equal(r.guard.membershipRemovals.more, true);
    });
    it("a person renamed by hand stays one row, under the program's email", () => {
        const r = review([
            { op: "update", ...user("bob", "bob@example.com", "u2", { emailInInVision: "bob.moved@example.com" }), oldInputs: { userName: "bob@example.com", active: true }, news: { userName: "bob@example.com", active: true } },
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["bob.moved@example.com"], ["u2"]), news: { displayName: "Design", members: {} } },
        ]);
        assert.deepEqual(emails(r), ["bob@example.com"]);
        assert.deepEqual(row(r, "bob@example.com").leaves, [{ group: "Design" }]);
    });
});

describe("access review: hand-overs, secrets, the preview itself", () => {
    it("a resource renamed (the same email under a new name) changes nobody's access", () => {
        const r = review([
            { op: "create", kind: "User", name: "alice-new", news: ALICE },
            { op: "delete", ...user("alice", "alice@example.com", "u1") },
            { op: "create", kind: "Group", name: "design-new", news: { displayName: "Design", members: set("alice@example.com") } },
            { op: "delete", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com"], ["u1"]) },
        ]);
        assert.deepEqual(r.people, []);
        assert.deepEqual(r.groups, []);
        assert.equal(r.summary, "no change in access");
    });
    it("a delete whose object another declared resource holds sends nothing", () => {
        const r = review([
            { op: "same", ...user("alice2", "alice@example.com", "u1"), news: ALICE },
            { op: "delete", ...user("alice", "alice@example.com", "u1") },
        ]);
        assert.deepEqual(r.people, []);
    });
    it("a member list that is [secret] is read as one not known yet; a secret new email shows as [secret]", () => {
        const r = review([
            { op: "replace", ...user("bob", "bob@example.com", "u2"), news: { userName: "[secret]", active: true } },
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["bob@example.com"], ["u2"]), news: { displayName: "Design", members: "[secret]" } },
        ]);
        assert.deepEqual(row(r, "bob@example.com").account, [{ kind: "deactivated", why: "replaced by [secret]" }]);
        assert.deepEqual(row(r, "[secret]").account, [{ kind: "created", active: true, why: "replaces bob@example.com" }]);
        assert.match(r.groups[0].why!, /its member list is \[secret\] in the preview/);
    });
    it("state the preview shows as [secret] is not reviewed, and says so", () => {
        const r = review([{ op: "update", ...user("bob", "[secret]", "u2"), news: { userName: "[secret]", active: false } }]);
        assert.deepEqual(r.people, []);
        assert.match(r.notes[0], /User resource 'bob': the preview shows its userName as \[secret\]/);
        assert.match(r.summary, /some steps are not shown/);
    });
    it("both doors' types; other resources are ignored", () => {
        const r = review([
            { op: "create", kind: "User", name: "erin", door: PLUGIN, news: { userName: "erin@example.com", active: true } },
            { op: "create", kind: "Group", name: "Ops", door: "aws:iam", news: { displayName: "Ops", members: set("erin@example.com") } },
        ]);
        assert.deepEqual(emails(r), ["erin@example.com"]);
        assert.deepEqual(r.groups, []);
    });
    it("a failed preview, and one without --show-sames, say so", () => {
        const r = review([], { diagnostics: [{ severity: "error", message: "boom" }], changeSummary: { same: 5 } });
        assert.match(r.summary, /^the preview failed/);
        assert.ok(r.notes.some((n) => /failed \(1 error/.test(n)));
        assert.ok(r.notes.some((n) => /without --show-sames/.test(n)));
    });
    it("text that is not a preview's JSON is refused", () => {
        assert.throws(() => readPreview("Previewing update (prod):"), PreviewJsonError);
        assert.throws(() => readPreview('{"steps": 3}'), PreviewJsonError);
    });
});

describe("access review: the deletion guard", () => {
    const leavers = Array.from({ length: 3 }, (_, i) => ({ op: "delete", ...user(`p${i}`, `p${i}@example.com`, `u${i}`) }));
    it("counts against the bounds of the preview's config", () => {
        const r = review(leavers, { config: { "invision:maxDeactivations": "2" } });
        assert.deepEqual(r.guard.deactivations, { count: 3, more: false, limit: 2, setting: "invision:maxDeactivations", configured: true });
        assert.equal(r.guard.refused, true);
        assert.equal(r.summary, "-3 people; up would be refused by the deletion guard");
        const md = renderMarkdown(r);
        assert.match(md, /\*\*`up` would be refused by the deletion guard\*\*: 3 where a run may make at most 2\. .*`pulumi config set invision:maxDeactivations 3`/);
    });
    it("else the documented defaults (10 and 50)", () => {
        const r = review(leavers);
        assert.equal(r.guard.deactivations.limit, 10);
        assert.equal(r.guard.membershipRemovals.limit, 50);
        assert.equal(r.guard.refused, false);
    });
    it("a bound that is not a number (or a secret) is named, never echoed", () => {
        const r = review(leavers, { config: { "invision:maxMembershipRemovals": "[secret]" } });
        assert.match(r.guard.problem!, /invision:maxMembershipRemovals/);
        assert.doesNotMatch(r.guard.problem!, /\[secret\]/);
    });
});

describe("access review: Markdown", () => {
    it("the demo's pull request", () => {
        const team = (name: string, id: string) => ({ op: "same", ...user(name, name, id), news: { userName: name, active: true } });
        const r = review([
            team("alice@example.com", "u1"),
            team("carol@example.com", "u3"),
            team("dana@example.com", "u4"),
            { op: "delete", ...user("bob@example.com", "bob@example.com", "u2") },
            { op: "create", kind: "User", name: "erin@example.com", news: { userName: "erin@example.com", active: true } },
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["alice@example.com", "bob@example.com"], ["u1", "u2"]), news: { displayName: "Design", members: set("alice@example.com", "carol@example.com", "erin@example.com") } },
            { op: "update", kind: "Group", name: "Research", id: "g2", olds: { displayName: "Research", members: ["carol@example.com", "dana@example.com"], memberIds: ["u3", "u4"], unmanagedMembers: [] }, news: { displayName: "Research", members: set("dana@example.com") } },
        ]);
        const md = renderMarkdown(r);
        assert.equal(md.split("\n")[0], "### InVision access review: +1 person, -1 person, 4 group changes");
        const table = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Person") && !l.startsWith("| ---"));
        assert.deepEqual(table, [
            "| bob@example.com | deactivated: left the roster |  | Design (left the roster) |",
            "| carol@example.com |  | Design | Research |",
            "| erin@example.com | new account | Design |  |",
        ]);
        assert.doesNotMatch(md, /u[1-4]\b|g[12]\b/, "no SCIM id");
    });
    it("no change in access", () => {
        const md = renderMarkdown(review([]));
        assert.match(md, /^### InVision access review: no change in access\n/);
        assert.match(md, /No change in access: nobody gains or loses an account or a group\./);
    });
    it("values cannot format, break a table, open HTML or mention anyone; emails stay readable", () => {
        assert.equal(esc("first_last@example.com"), "first_last@example.com");
        assert.equal(esc("a|b <script> *x* @acme/admins _y_ #12 [l](u) R&amp;D"), "a\\|b &lt;script&gt; \\*x\\* &#64;acme/admins \\_y\\_ \\#12 \\[l\\](u) R&amp;amp;D");
        assert.equal(esc("two\nlines"), "two lines");
    });
});

describe("pulumi-invision access-review (the command)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-review-cli-"));
    const previewFile = path.join(dir, "preview.json");
    fs.writeFileSync(
        previewFile,
        JSON.stringify({
            config: { "invision:scimToken": "[secret]" },
            steps: [step({ op: "delete", ...user("bob", "bob@example.com", "5f0c1d2e-scim-id") })],
            changeSummary: { delete: 1 },
        }),
    );
    const run = async (argv: string[]) => {
        const { result, err } = await stderrOf(() => main(argv, {}));
        return { code: result, stderr: err };
    };
    it("writes the Markdown report, or the same as JSON, with no SCIM id", async () => {
        const md = path.join(dir, "r.md");
        assert.equal((await run(["access-review", "--in", previewFile, "--out", md])).code, 0);
        assert.match(fs.readFileSync(md, "utf8"), /^### InVision access review: -1 person\n/);
        const js = path.join(dir, "r.json");
        assert.equal((await run(["access-review", "--in", previewFile, "--out", js, "--format", "json"])).code, 0);
        const text = fs.readFileSync(js, "utf8");
        assert.equal((JSON.parse(text) as AccessReview).people[0].account[0].kind, "deactivated");
        assert.doesNotMatch(text + fs.readFileSync(md, "utf8"), /5f0c1d2e/);
    });
    it("refuses what it cannot read, and a bad flag", async () => {
        fs.writeFileSync(path.join(dir, "text.txt"), "Previewing update (prod):");
        assert.equal((await run(["access-review", "--in", path.join(dir, "text.txt")])).code, 1);
        assert.equal((await run(["access-review", "--in", previewFile, "--format", "html"])).code, 2);
        assert.equal((await run(["access-review", "--in", previewFile, "extra"])).code, 2);
    });
});

describe("access review: one row per email", () => {
    it("an account made again after a deletion outside the program: the group's plan adds the new one and drops the old one; the person joins", () => {
        const r = review([
            // u2 is the new account of bob@ (made again after a deletion); Design's state still records the old id.
            { op: "same", kind: "User", name: "bob", id: "u2-new", olds: { userName: "bob@example.com", active: true }, news: { userName: "bob@example.com", active: true } },
            { op: "update", kind: "Group", name: "Design", id: "g1", olds: design(["bob@example.com"], ["u2-old"]), news: { displayName: "Design", members: set("bob@example.com") } },
        ]);
        assert.deepEqual(r.people, [{ email: "bob@example.com", account: [], joins: [{ group: "Design", why: "added back: removed outside the program" }], leaves: [] }]);
        assert.equal(r.summary, "1 group change");
    });
});

describe("access review: stand-ins are not merged", () => {
    it("two new accounts whose emails are secret are two rows", () => {
        const r = review([
            { op: "create", kind: "User", name: "a", news: { userName: "[secret]", active: true } },
            { op: "create", kind: "User", name: "b", news: { userName: "[secret]", active: true } },
        ]);
        assert.deepEqual(r.people.map((p) => [p.email, p.account.length]), [["[secret]", 1], ["[secret]", 1]]);
        assert.equal(r.summary, "+2 people");
    });
});
