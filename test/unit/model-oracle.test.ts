import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leftovers, namesLeftover } from "../support/model/leftovers";
import { Names, unnamed } from "../support/model/oracle";
import { mentionsEmail, parsePreview } from "../support/model/preview-text";
import { Random } from "../support/model/random";
import { Tenant, tenantChanges } from "../support/model/tenant";
import { baseDeclaration, pullRequest } from "../support/model/declaration";

/** The model-based test's oracle (test/support/model), on preview text the CLI printed. */

const PREVIEW = `Previewing update (e2e):
  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:e2e::bounded::pulumi:pulumi:Stack::bounded-e2e]
    ~ pulumi-nodejs:dynamic/invision:User: (update)
        [id=23]
        [urn=urn:pulumi:e2e::bounded::pulumi-nodejs:dynamic/invision:User::mallory]
        active    : true
      ~ givenName : "Mal" => "Mallory"
        userName  : "mallory@example.com"
    ~ invision:index:Group: (update)
        [id=25]
        [urn=urn:pulumi:e2e::model::invision:index:Group::design]
        displayName: "Design"
        members    : {
            alice@example.com: "member"
          + bob@example.com  : "member"
          - carol@example.com: "member"
        }
    + invision:index:User: (create)
        [urn=urn:pulumi:e2e::model::invision:index:User::erin]
        userName  : "erin@example.com"
Resources:
    ~ 2 to update

warning: [invision] user mallory@example.com will be reactivated: InVision has the account deactivated, the program declares active: true
warning: [invision] group 'Design' will remove 1 member(s): zoe@example.com (not declared in the program)
`;

const tenant = (over: Partial<Tenant> = {}): Tenant => ({
    users: [
        { id: "1", userName: "alice@example.com", active: true },
        { id: "2", userName: "bob@example.com", active: true },
        { id: "3", userName: "carol@example.com", active: true },
        { id: "4", userName: "zoe@example.com", active: true },
        { id: "23", userName: "mallory@example.com", active: false, givenName: "Mal" },
    ],
    groups: [{ id: "25", displayName: "Design", members: ["1", "3", "4"] }],
    ...over,
});

const names = (before: Tenant, after: Tenant): Names => ({
    emails: (id) => [...new Set([...before.users, ...after.users].filter((u) => u.id === id).map((u) => u.userName))],
    groupNames: (id) => [...new Set([...before.groups, ...after.groups].filter((g) => g.id === id).map((g) => g.displayName))],
});

describe("the model-based oracle", () => {
    it("parses blocks of both doors and the provider's lines", () => {
        const p = parsePreview(PREVIEW);
        assert.deepEqual(
            p.blocks.filter((b) => b.kind !== "other").map((b) => [b.op, b.kind, b.name, b.id]),
            [
                ["update", "User", "mallory", "23"],
                ["update", "Group", "design", "25"],
                ["create", "User", "erin", undefined],
            ],
        );
        assert.equal(p.messages.length, 2);
    });

    it("tells an email from a longer one", () => {
        assert.equal(mentionsEmail("removes p1@example.com, x", "p1@example.com"), true);
        assert.equal(mentionsEmail("removes p11@example.com", "p1@example.com"), false);
        assert.equal(mentionsEmail("x.p1@example.com", "p1@example.com"), false);
        assert.equal(mentionsEmail("left out: p1@example.com. The next preview", "p1@example.com"), true, "at the end of a sentence");
        assert.equal(mentionsEmail("p1@example.com.au", "p1@example.com"), false);
    });

    it("accepts changes the preview named, by diff line or by the provider's words", () => {
        const before = tenant();
        const after = tenant({
            users: [...tenant().users.map((u) => (u.id === "23" ? { ...u, active: true, givenName: "Mallory" } : u)), { id: "9", userName: "erin@example.com", active: true }],
            groups: [{ id: "25", displayName: "Design", members: ["1", "2"] }],
        });
        const changes = tenantChanges(before, after);
        assert.deepEqual(changes.map((c) => c.kind).sort(), ["givenName", "memberAdded", "memberRemoved", "memberRemoved", "reactivated", "userCreated"]);
        assert.deepEqual(unnamed(changes, parsePreview(PREVIEW), names(before, after)), []);
    });

    it("fails a change nobody named: a member removed, a deactivation, a rename", () => {
        const before = tenant();
        const after = tenant({
            users: tenant().users.map((u) => (u.id === "1" ? { ...u, active: false } : u.id === "2" ? { ...u, userName: "robert@example.com" } : u)),
            groups: [{ id: "25", displayName: "Design Team", members: ["3", "4"] }],
        });
        const missed = unnamed(tenantChanges(before, after), parsePreview(PREVIEW), names(before, after));
        assert.deepEqual(missed.sort(), ["alice@example.com removed from 'Design'", "deactivated alice@example.com", "email of bob@example.com changed to robert@example.com", "group 'Design' renamed to 'Design Team'"].sort());
    });

    it("finds what up left different in the resources it checks, and whether a text names it", () => {
        const decl = { users: [{ name: "alice", userName: "alice@example.com" }], groups: [{ key: "design", displayName: "Design", members: ["alice"] }] };
        const t: Tenant = { users: [{ id: "1", userName: "alice@example.com", active: false }, { id: "4", userName: "zoe@example.com", active: true }], groups: [{ id: "25", displayName: "Design", members: ["4"] }] };
        const ids = { users: new Map([["alice", "1"]]), groups: new Map([["design", "25"]]) };
        const left = leftovers(decl, t, ids, { users: new Set(["alice"]), groups: new Set(["design"]) });
        assert.deepEqual(left.map((l) => l.what), ["alice@example.com is deactivated", "alice@example.com is not in 'Design'", "zoe@example.com is in 'Design' undeclared"]);
        const said = parsePreview("warning: [invision] group 'Design' will remove 1 member(s): zoe@example.com (not declared in the program)");
        assert.deepEqual(left.map((l) => namesLeftover(l, said)), [false, false, true]);
        assert.deepEqual(leftovers(decl, t, ids, { users: new Set(), groups: new Set() }), [], "unchecked resources are not judged");
    });

    it("pull requests are reproducible from their seed", () => {
        const a = pullRequest(baseDeclaration(), new Random(7));
        const b = pullRequest(baseDeclaration(), new Random(7));
        assert.deepEqual(a, b);
        assert.ok(a.edits.length >= 1);
    });
});
