import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigurationError, DEFAULT_MAX_DEACTIVATIONS, DEFAULT_MAX_MEMBERSHIP_REMOVALS, normaliseBaseUrl, resolveSafetyLimits, resolveSettings } from "../../provider/config";
import { DeletionGuard, GuardError } from "../../provider/safety/guard";
import { Claims } from "../../provider/safety/handover";

const limits = { maxDeactivations: 2, maxMembershipRemovals: 3 };

describe("deletion guard", () => {
    it("allows up to the bound, then refuses whole operations, naming the setting and the count refused", () => {
        const g = new DeletionGuard();
        g.reserve("deactivations", 1, limits, "deactivating user a@example.com");
        g.reserve("deactivations", 1, limits, "deactivating user b@example.com");
        assert.throws(
            () => g.reserve("deactivations", 1, limits, "deactivating user c@example.com"),
            (e: Error) => {
                assert.ok(e instanceof GuardError);
                assert.match(e.message, /nothing was sent/);
                assert.match(e.message, /deactivating user c@example\.com/);
                assert.match(e.message, /invision:maxDeactivations/);
                assert.match(e.message, /INVISION_MAX_DEACTIVATIONS/);
                assert.match(e.message, /at most 2 .*2 already made, 1 refused so far/);
                return true;
            },
        );
        assert.throws(() => g.reserve("deactivations", 1, limits, "deactivating user d@example.com"), /2 refused so far/);
        assert.deepEqual(g.counts().used.deactivations, 2, "a refusal takes nothing from the budget");
    });
    it("an operation that does not fit is refused in full, and a smaller later one may still fit", () => {
        const g = new DeletionGuard();
        g.reserve("membershipRemovals", 2, limits, "removing 2 member(s) from group 'A'");
        assert.throws(() => g.reserve("membershipRemovals", 2, limits, "removing 2 member(s) from group 'B'"), /invision:maxMembershipRemovals.*2 refused so far/s);
        g.reserve("membershipRemovals", 1, limits, "removing 1 member(s) from group 'C'");
        assert.deepEqual(g.counts(), { used: { deactivations: 0, membershipRemovals: 3 }, refused: { deactivations: 0, membershipRemovals: 2 } });
    });
    it("budgets are separate, and zero-sized operations are free", () => {
        const g = new DeletionGuard();
        g.reserve("membershipRemovals", 0, { maxDeactivations: 0, maxMembershipRemovals: 0 }, "nothing");
        assert.throws(() => g.reserve("deactivations", 1, { maxDeactivations: 0, maxMembershipRemovals: 9 }, "x"), GuardError);
    });
    it("has documented defaults, read from stack config first, then the environment, without the token", () => {
        assert.deepEqual(resolveSafetyLimits(() => undefined, {}), { maxDeactivations: DEFAULT_MAX_DEACTIVATIONS, maxMembershipRemovals: DEFAULT_MAX_MEMBERSHIP_REMOVALS });
        assert.equal(DEFAULT_MAX_DEACTIVATIONS, 10);
        assert.equal(DEFAULT_MAX_MEMBERSHIP_REMOVALS, 50);
        const env = { INVISION_MAX_DEACTIVATIONS: "200", INVISION_MAX_MEMBERSHIP_REMOVALS: "0" };
        assert.deepEqual(resolveSafetyLimits(() => undefined, env), { maxDeactivations: 200, maxMembershipRemovals: 0 });
        assert.equal(resolveSafetyLimits((k) => (k === "invision:maxDeactivations" ? "3" : undefined), env).maxDeactivations, 3);
        assert.throws(() => resolveSafetyLimits(() => undefined, { INVISION_MAX_DEACTIVATIONS: "-1" }), (e: Error) => e instanceof ConfigurationError && /invision:maxDeactivations/.test(e.message));
    });
});

describe("hand-over claims", () => {
    it("a claim names the object; claims are per kind and per process", () => {
        const claims = new Claims();
        claims.claim("user", "u1", "a@example.com");
        assert.equal(claims.claimedBy("user", "u1"), "a@example.com");
        assert.equal(claims.claimedBy("group", "u1"), undefined);
        assert.equal(new Claims().claimedBy("user", "u1"), undefined);
    });
    it("a shared store lets another process of the same run see them (a move between doors)", () => {
        const store = new Map<string, string>();
        const shared = { put: (k: string, v: string) => void store.set(k, v), get: (k: string) => store.get(k) };
        new Claims(shared).claim("group", "g1", "Design");
        assert.equal(new Claims(shared).claimedBy("group", "g1"), "Design");
    });
    it("a claim holds in its tenant only: a stack moving between tenants creates in one while it deletes in the other, and ids may repeat", () => {
        const store = new Map<string, string>();
        const shared = { put: (k: string, v: string) => void store.set(k, v), get: (k: string) => store.get(k) };
        new Claims(shared, () => "https://b.invisionapp.com/scim/v2").claim("user", "42", "a@example.com");
        assert.equal(new Claims(shared, () => "https://a.invisionapp.com/scim/v2").claimedBy("user", "42"), undefined);
        assert.equal(new Claims(shared, () => "https://b.invisionapp.com/scim/v2").claimedBy("user", "42"), "a@example.com");
    });
});

describe("the base URL never repeats what it refuses", () => {
    const TOKENS = ["9f3c2b1a8d7e6f5a4b3c2d1e0f9a8b7c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY", "scim_tok_Q2x9Zk3LmP0aR7tY"];
    for (const token of TOKENS) {
        it(`refuses a token-like value without echoing it (${token.length} chars)`, () => {
            assert.throws(
                () => normaliseBaseUrl(token),
                (e: Error) => {
                    assert.ok(!e.message.includes(token), e.message);
                    for (const piece of token.split(/[._]/).filter((p) => p.length >= 6)) assert.ok(!e.message.includes(piece), `${piece} in ${e.message}`);
                    assert.match(e.message, /not shown/);
                    return true;
                },
            );
            assert.throws(
                () => resolveSettings((k) => ({ "invision:scimBaseUrl": token, "invision:scimToken": "t-123" })[k], {}),
                (e: Error) => e instanceof ConfigurationError && !e.message.includes(token) && /invision:scimBaseUrl/.test(e.message),
            );
        });
    }
    it("does not echo any part of a URL it refuses", () => {
        const secret = "Zq8Xw2Vr6Ts4Pn0Lm";
        for (const v of [`https://acme.invisionapp.com/${secret}`, `ftp${secret}://acme.invisionapp.com`, `https://${secret}_x.invisionapp.com`, `http://${secret}.example.com`, `https://acme.invisionapp.com/scim/v2?t=${secret}`]) {
            assert.throws(() => normaliseBaseUrl(v), (e: Error) => !e.message.includes(secret));
        }
    });
    it("still accepts plausible subdomains and hosts", () => {
        for (const [v, want] of [
            ["acme-design", "https://acme-design.invisionapp.com/scim/v2"],
            ["studio42", "https://studio42.invisionapp.com/scim/v2"],
            ["Acme", "https://acme.invisionapp.com/scim/v2"],
            ["https://scim.invisionapp.com/scim/v2", "https://scim.invisionapp.com/scim/v2"],
            ["http://127.0.0.1:4000/scim/v2", "http://127.0.0.1:4000/scim/v2"],
        ]) {
            assert.equal(normaliseBaseUrl(v), want);
        }
    });
});
