import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AccessReview } from "../../provider/review/model";
import { exactNames, reviewed, unfounded, unreviewed } from "../support/model/review-oracle";
import { Tenant, tenantChanges } from "../support/model/tenant";

/** The access review's oracle in the model-based test (test/support/model/review-oracle.ts), on hand-made tenants and reviews. */

const review = (over: Partial<AccessReview> = {}): AccessReview => ({
    summary: "",
    people: [],
    groups: [],
    handChanges: [],
    guard: {
        deactivations: { count: 0, more: false, limit: 10, setting: "", configured: false },
        membershipRemovals: { count: 0, more: false, limit: 50, setting: "", configured: false },
        refused: false,
    },
    notes: [],
    mayAdopt: { users: false, groups: false },
    ...over,
});

const before: Tenant = {
    users: [
        { id: "1", userName: "alice@example.com", active: true },
        { id: "2", userName: "bob@example.com", active: true },
        { id: "3", userName: "carol.moved@example.com", active: true },
    ],
    groups: [{ id: "g1", displayName: "Design", members: ["1", "2"] }],
};
const after: Tenant = {
    users: [
        { id: "1", userName: "alice@example.com", active: true },
        { id: "2", userName: "bob@example.com", active: false },
        { id: "3", userName: "carol@example.com", active: true },
        { id: "4", userName: "erin@example.com", active: true },
    ],
    groups: [{ id: "g1", displayName: "Design", members: ["1", "4"] }],
};
// State named carol by the program's email before up (her InVision email was changed by hand).
const names = exactNames(before, after, [new Map([["user:3", ["carol@example.com", "carol.moved@example.com"]]])]);

const demo = review({
    people: [
        { email: "bob@example.com", account: [{ kind: "deactivated", why: "left the roster" }], joins: [], leaves: [{ group: "Design" }] },
        { email: "carol@example.com", account: [{ kind: "emailChangedBack", from: "carol.moved@example.com" }], joins: [], leaves: [] },
        { email: "erin@example.com", account: [{ kind: "created", active: true }], joins: [{ group: "Design" }], leaves: [] },
    ],
});

describe("the access review's oracle", () => {
    it("a review that lists every change, each true after up, passes", () => {
        const changes = tenantChanges(before, after);
        assert.deepEqual(changes.map((c) => c.kind).sort(), ["deactivated", "emailChanged", "memberAdded", "memberRemoved", "userCreated"]);
        assert.deepEqual(unreviewed(changes, demo, names), []);
        assert.deepEqual(unfounded(demo, before, after, names), []);
    });
    it("a change the review left out is named", () => {
        const without = review({ people: demo.people.filter((p) => p.email !== "erin@example.com") });
        assert.deepEqual(unreviewed(tenantChanges(before, after), without, names), ["userCreated erin@example.com", "erin@example.com added to 'Design'"]);
    });
    it("a row up did not make true is named; one already true before up is not", () => {
        const wrong = review({
            people: [
                { email: "alice@example.com", account: [{ kind: "deactivated" }], joins: [{ group: "Ops" }], leaves: [{ group: "Design" }] },
                { email: "bob@example.com", account: [{ kind: "deactivated" }], joins: [], leaves: [{ group: "Ops" }] },
            ],
            groups: [{ kind: "created", group: "Ops", members: 1 }],
        });
        assert.deepEqual(unfounded(wrong, before, after, names), ["alice@example.com: deactivated", "alice@example.com joins Ops", "alice@example.com leaves Design", "group Ops: created"]);
    });
    it("a row about someone deleted by hand before up is not held against it", () => {
        const gone: Tenant = { users: before.users.filter((u) => u.id !== "2"), groups: before.groups };
        const bob = review({ people: [{ email: "bob@example.com", account: [{ kind: "reactivated" }], joins: [{ group: "Design" }], leaves: [] }] });
        assert.deepEqual(unfounded(bob, gone, { users: gone.users, groups: after.groups }, names), []);
        assert.deepEqual(unfounded(bob, before, after, names), ["bob@example.com: reactivated", "bob@example.com joins Design"]);
    });
    it("matches people by the names each id really had, not by a shared one", () => {
        const otherBob = review({ people: [{ email: "bob@example.com", account: [{ kind: "created", active: true }], joins: [], leaves: [] }] });
        assert.equal(reviewed({ kind: "userCreated", user: "4" }, otherBob, names), false, "erin's account is not bob's row");
        assert.equal(reviewed({ kind: "givenName", user: "1" }, review(), names), true, "a name edit is not asked of the review");
        assert.equal(reviewed({ kind: "reactivated", user: "4" }, review({ people: [{ email: "erin@example.com", account: [{ kind: "created", active: true }], joins: [], leaves: [] }] }), names), true, "an adoption reactivates");
    });
});
