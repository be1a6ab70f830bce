import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { checkRoster, parseRoster, RosterError } from "../../provider/roster/load";
import { accessOf } from "../../provider/roster/team";

/**
 * A tenant of 20,000 people in 200 groups of 500 (issue 17): person p is in
 * the five groups floor(p / 100) - 4 .. floor(p / 100), modulo 200, and every
 * 1,000th person is deactivated. The expectations below come from that rule,
 * not from running the code under test a second time. This used to take a
 * minute per preview (users x groups x members); it must now finish as part
 * of the unit suite.
 */
const PEOPLE = 20_000;
const GROUPS = 200;
const SIZE = 500;
const email = (p: number) => `person${String(p).padStart(5, "0")}@example.com`;
const groupName = (g: number) => `Team ${String(g).padStart(3, "0")}`;

function bigRoster() {
    return {
        users: Array.from({ length: PEOPLE }, (_, p) => ({ email: email(p), givenName: "Person", familyName: `N${p}`, ...(p % 1000 === 7 ? { active: false } : {}) })),
        groups: Array.from({ length: GROUPS }, (_, g) => ({
            name: groupName(g),
            // Members as people write them: some in another case than their user entry.
            members: Array.from({ length: SIZE }, (_, j) => {
                const m = email((g * 100 + j) % PEOPLE);
                return j % 50 === 0 ? m.toUpperCase() : m;
            }),
        })),
    };
}

function expectedAccess(p: number): string {
    if (p % 1000 === 7) return "deactivated";
    const first = Math.floor(p / 100);
    return Array.from({ length: 5 }, (_, k) => groupName((first - k + GROUPS) % GROUPS))
        .sort()
        .join(", ");
}

describe("a roster of 20,000 people in 200 groups of 500", () => {
    const input = bigRoster();

    it("is validated from YAML, and access lists each person's groups", () => {
        const roster = parseRoster(stringify(input), "team.yaml");
        assert.equal(roster.users.length, PEOPLE);
        assert.equal(roster.groups.length, GROUPS);
        const access = accessOf(roster);
        const emails = Object.keys(access);
        assert.equal(emails.length, PEOPLE);
        assert.deepEqual(emails, [...emails].sort(), "sorted by email");
        for (let p = 0; p < PEOPLE; p++) assert.equal(access[email(p)], expectedAccess(p), email(p));
        assert.equal(access[email(250)], "Team 198, Team 199, Team 000, Team 001, Team 002".split(", ").sort().join(", "));
    });

    it("an object roster is validated the same way, and a bad member and a duplicate among 100,000 are each named", () => {
        assert.equal(checkRoster(input).users.length, PEOPLE);
        const bad = structuredClone(input);
        bad.groups[199].members[499] = "zed@example.com";
        bad.users[19_999].email = bad.users[3].email.toUpperCase();
        assert.throws(
            () => checkRoster(bad),
            (e: unknown) => {
                assert.ok(e instanceof RosterError);
                // person19999 is no longer a user, so each of their five memberships is named too.
                const gone = [195, 196, 197, 198, 199].map((g) => `groups[${g}].members[${19_999 - g * 100}]`);
                assert.deepEqual(e.problems.map((p) => p.path).sort(), ["groups[199].members[499]", "users[19999].email", ...gone].sort());
                return true;
            },
        );
    });
});
