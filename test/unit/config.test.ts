import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigurationError, normaliseBaseUrl, resolveSettings } from "../../provider/config";

describe("normaliseBaseUrl", () => {
    const cases: [string, string][] = [
        ["https://acme.invisionapp.com", "https://acme.invisionapp.com/scim/v2"],
        ["https://acme.invisionapp.com/", "https://acme.invisionapp.com/scim/v2"],
        ["https://acme.invisionapp.com/scim/v2", "https://acme.invisionapp.com/scim/v2"],
        ["https://acme.invisionapp.com/scim/v2/", "https://acme.invisionapp.com/scim/v2"],
        ["https://scim.invisionapp.com/scim/v2", "https://scim.invisionapp.com/scim/v2"],
        ["  https://scim.invisionapp.com/scim/v2/Users  ", "https://scim.invisionapp.com/scim/v2"],
        ["acme", "https://acme.invisionapp.com/scim/v2"],
        ["acme.invisionapp.com", "https://acme.invisionapp.com/scim/v2"],
        ["http://127.0.0.1:8080/scim/v2", "http://127.0.0.1:8080/scim/v2"],
        ["http://localhost:9000", "http://localhost:9000/scim/v2"],
    ];
    for (const [input, want] of cases) {
        it(`${JSON.stringify(input)} -> ${want}`, () => assert.equal(normaliseBaseUrl(input), want));
    }
    const bad: [string, RegExp][] = [
        ["", /empty/],
        ["http://acme.invisionapp.com", /unencrypted/],
        ["ftp://acme.invisionapp.com", /only https/],
        ["https://user:pw@acme.invisionapp.com", /credentials/],
        ["https://acme.invisionapp.com/api/v1", /not a SCIM 2.0 root/],
        ["https://acme.invisionapp.com/scim/v2?token=x", /query string/],
        ["https://exa mple.com", /not a URL/],
    ];
    for (const [input, re] of bad) {
        it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => normaliseBaseUrl(input), re));
    }
});

describe("resolveSettings", () => {
    const TOKEN = "tok-abcdef123456";
    it("prefers stack config over the environment", () => {
        const s = resolveSettings((k) => ({ "invision:scimBaseUrl": "https://a.invisionapp.com", "invision:scimToken": TOKEN })[k], {
            INVISION_SCIM_BASE_URL: "https://b.invisionapp.com",
            INVISION_SCIM_TOKEN: "other",
        });
        assert.equal(s.baseUrl, "https://a.invisionapp.com/scim/v2");
        assert.equal(s.token, TOKEN);
    });
    it("falls back to the environment, and defaults the limits", () => {
        const s = resolveSettings(() => undefined, { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN });
        assert.equal(s.baseUrl, "https://b.invisionapp.com/scim/v2");
        assert.equal(s.maxConcurrency, 8);
        assert.equal(s.requestTimeoutMs, 30000);
        assert.equal(s.maxRequestsPerSecond, 10);
        assert.equal(s.retryBudgetSeconds, 600);
    });
    it("treats an empty config value as unset", () => {
        const s = resolveSettings((k) => (k === "invision:scimToken" ? "" : undefined), { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN });
        assert.equal(s.token, TOKEN);
    });
    it("names the config key and the variable of everything missing, in one error", () => {
        assert.throws(
            () => resolveSettings(() => undefined, {}),
            (e: Error) => {
                assert.ok(e instanceof ConfigurationError);
                for (const s of ["invision:scimBaseUrl", "INVISION_SCIM_BASE_URL", "invision:scimToken", "INVISION_SCIM_TOKEN"]) assert.match(e.message, new RegExp(s));
                return true;
            },
        );
    });
    it("reports a malformed token without echoing it", () => {
        const secret = "abc def-SECRET";
        assert.throws(
            () => resolveSettings(() => undefined, { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: secret }),
            (e: Error) => /invision:scimToken/.test(e.message) && !e.message.includes("SECRET"),
        );
    });
    it("validates maxConcurrency and requestTimeoutMs", () => {
        assert.throws(() => resolveSettings(() => undefined, { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN, INVISION_MAX_CONCURRENCY: "0" }), /invision:maxConcurrency/);
        assert.throws(() => resolveSettings((k) => (k === "invision:requestTimeoutMs" ? "fast" : undefined), { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN }), /invision:requestTimeoutMs/);
        assert.equal(resolveSettings(() => undefined, { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN, INVISION_MAX_CONCURRENCY: "8" }).maxConcurrency, 8);
    });
    it("takes the rate ceiling and the retry budget from stack config, then the environment", () => {
        const env = { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN, INVISION_MAX_REQUESTS_PER_SECOND: "4", INVISION_RETRY_BUDGET_SECONDS: "120" };
        const fromEnv = resolveSettings(() => undefined, env);
        assert.equal(fromEnv.maxRequestsPerSecond, 4);
        assert.equal(fromEnv.retryBudgetSeconds, 120);
        const config: Record<string, string> = { "invision:maxRequestsPerSecond": "2.5", "invision:retryBudgetSeconds": "1800" };
        const fromConfig = resolveSettings((k) => config[k], env);
        assert.equal(fromConfig.maxRequestsPerSecond, 2.5, "a decimal pace is allowed");
        assert.equal(fromConfig.retryBudgetSeconds, 1800);
        const emptyConfig = resolveSettings((k) => (k.startsWith("invision:max") || k.startsWith("invision:retry") ? "" : undefined), env);
        assert.equal(emptyConfig.maxRequestsPerSecond, 4, "an empty config value falls through to the environment");
    });
    it("validates maxRequestsPerSecond and retryBudgetSeconds with both names and the range", () => {
        const env = { INVISION_SCIM_BASE_URL: "b", INVISION_SCIM_TOKEN: TOKEN };
        for (const bad of ["0", "-1", "fast", "1e9", " "]) {
            assert.throws(
                () => resolveSettings(() => undefined, { ...env, INVISION_MAX_REQUESTS_PER_SECOND: bad }),
                /invision:maxRequestsPerSecond' \/ environment variable INVISION_MAX_REQUESTS_PER_SECOND: expected a number from 0.1 to 1000/,
                bad,
            );
        }
        // A token pasted into a number setting is not echoed back.
        assert.throws(
            () => resolveSettings(() => undefined, { ...env, INVISION_MAX_REQUESTS_PER_SECOND: "s3cret-token-value" }),
            (e: Error) => /expected a number/.test(e.message) && !e.message.includes("s3cret"),
        );
        for (const bad of ["0", "1.5", "ten", "100000"]) {
            assert.throws(
                () => resolveSettings((k) => (k === "invision:retryBudgetSeconds" ? bad : undefined), env),
                /invision:retryBudgetSeconds' \/ environment variable INVISION_RETRY_BUDGET_SECONDS: expected a whole number from 1 to 86400/,
                bad,
            );
        }
    });
    it("reports a bad URL with both names", () => {
        assert.throws(() => resolveSettings(() => undefined, { INVISION_SCIM_BASE_URL: "http://evil.example.com", INVISION_SCIM_TOKEN: TOKEN }), /invision:scimBaseUrl.*INVISION_SCIM_BASE_URL.*unencrypted/);
    });
});
