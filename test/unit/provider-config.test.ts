import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkConfig, lookupOfArgs, plainTokenRefusal, unsealed } from "../../provider/plugin/check-config";
import { diffConfig, movedWords } from "../../provider/plugin/diff-config";
import { UNKNOWN } from "../../provider/resources/validate";

const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const TOKENISH = "a8F3kd92Lm4Qz7Xw1Pv6Rt0Ys5Nb";

describe("the plugin's configuration: what the engine may store, and when the tenant changes", () => {
    it("CheckConfig refuses a base URL that looks like a token, for the provider as a whole (so the engine prints no value), never quoting it, and marks it secret", () => {
        const r = checkConfig({ scimBaseUrl: TOKENISH, version: "0.1.0" });
        assert.equal(r.failures.length, 1);
        assert.equal(r.failures[0].property, "", "a failure naming scimBaseUrl has the engine print the value beside it");
        assert.match(r.failures[0].reason, /invision:scimBaseUrl.*looks like a token/);
        assert.ok(!r.failures[0].reason.includes(TOKENISH));
        assert.deepEqual(r.inputs, { scimBaseUrl: secret(TOKENISH), version: "0.1.0" });
    });

    it("CheckConfig takes a usable or unknown base URL, and none, as given, and seals a known token: encrypted in state whatever happens next", () => {
        for (const news of [{ scimBaseUrl: "https://acme.invisionapp.com" }, { scimBaseUrl: UNKNOWN, scimToken: UNKNOWN }, {}]) {
            assert.deepEqual(checkConfig(news), { inputs: news, failures: [] });
        }
        assert.deepEqual(checkConfig({ scimBaseUrl: "acme", scimToken: TOKENISH }), { inputs: { scimBaseUrl: "acme", scimToken: { sealed: secret(TOKENISH) } }, failures: [] });
        assert.equal(checkConfig({ scimBaseUrl: "http://acme.example.com" }).failures.length, 1, "plain http off loopback");
    });

    it("Configure refuses a token given in plain text (the seal the engine did not mark secret), with how to set it as a secret, never quoting it", () => {
        // The engine marks CheckConfig's sealed object secret as a whole only when the token it was given was a secret.
        const plainly = checkConfig({ scimToken: TOKENISH }).inputs;
        const why = plainTokenRefusal(plainly);
        assert.ok(why);
        assert.match(why, /pulumi config set --secret invision:scimToken/);
        assert.match(why, /INVISION_SCIM_TOKEN/);
        assert.ok(!why.includes(TOKENISH));
        assert.ok(plainTokenRefusal({ scimToken: TOKENISH }), "an engine that calls no CheckConfig");
        assert.equal(plainTokenRefusal({ scimToken: secret(plainly.scimToken) }), undefined);
        assert.equal(plainTokenRefusal({ scimToken: secret(TOKENISH) }), undefined, "a state an earlier version wrote");
        assert.equal(plainTokenRefusal({ scimToken: UNKNOWN }), undefined);
        assert.equal(plainTokenRefusal({ scimBaseUrl: "https://acme.invisionapp.com" }), undefined, "the token from the environment");
    });

    it("the settings read from Configure's arguments or variables take the secrets and the seal off", () => {
        const lookup = lookupOfArgs({ scimBaseUrl: "https://acme.invisionapp.com", scimToken: secret({ sealed: secret(TOKENISH) }), maxConcurrency: 4, version: "0.1.0" });
        assert.equal(lookup("invision:scimBaseUrl"), "https://acme.invisionapp.com");
        assert.equal(lookup("invision:scimToken"), TOKENISH);
        assert.equal(lookup("invision:maxConcurrency"), "4");
        assert.equal(lookup("invision:maxDeactivations"), undefined);
        assert.equal(unsealed(JSON.stringify({ sealed: TOKENISH })), TOKENISH);
        assert.equal(unsealed(TOKENISH), TOKENISH);
    });

    it("DiffConfig replaces the provider when the normalised tenant changes, and only then", () => {
        const a = { scimBaseUrl: "https://acme.invisionapp.com", scimToken: "t1", version: "0.1.0" };
        const moved = diffConfig(a, { ...a, scimBaseUrl: "https://other.invisionapp.com/scim/v2" });
        assert.deepEqual(moved.replaces, ["scimBaseUrl"]);
        assert.deepEqual(moved.moved, { from: "https://acme.invisionapp.com/scim/v2", to: "https://other.invisionapp.com/scim/v2" });
        // The same tenant written another way: no move, though the text differs.
        const same = diffConfig(a, { ...a, scimBaseUrl: "acme" });
        assert.deepEqual(same.replaces, []);
        assert.deepEqual(same.diffs, ["scimBaseUrl"]);
        // A new token: the same provider, configured anew.
        const rotated = diffConfig(a, { ...a, scimToken: "t2" });
        assert.deepEqual([rotated.replaces, rotated.diffs], [[], ["scimToken"]]);
        assert.deepEqual(diffConfig(a, { ...a, version: "0.2.0" }), { diffs: [], replaces: [] });
        // The token sealed by CheckConfig, against a state an earlier version wrote: the same value.
        assert.deepEqual(diffConfig(a, { ...a, scimToken: { sealed: "t1" } }).diffs, []);
        // Not known yet: it may be another tenant.
        assert.deepEqual(diffConfig(a, { ...a, scimBaseUrl: UNKNOWN }).replaces, ["scimBaseUrl"]);
    });

    it("DiffConfig reads no move into another provider's configuration (a resource moving from the dynamic resources)", () => {
        const nodejs = { "invision:scimBaseUrl": "https://acme.invisionapp.com", "invision:scimToken": "t1" };
        assert.deepEqual(diffConfig(nodejs, { scimBaseUrl: "https://other.invisionapp.com" }).replaces, []);
        assert.deepEqual(diffConfig({}, { scimBaseUrl: "https://other.invisionapp.com" }).replaces, [], "the old URL came from the environment");
    });

    it("on InVision's shared V7 endpoint a new token may be another team: said, not decided", () => {
        const v7 = { scimBaseUrl: "https://scim.invisionapp.com/scim/v2", scimToken: "t1" };
        const d = diffConfig(v7, { ...v7, scimToken: "t2" });
        assert.deepEqual(d.replaces, []);
        assert.equal(d.tokenOnSharedEndpoint, "https://scim.invisionapp.com/scim/v2");
        assert.equal(diffConfig({ ...v7, scimBaseUrl: "https://acme.invisionapp.com" }, { ...v7, scimBaseUrl: "https://acme.invisionapp.com", scimToken: "t2" }).tokenOnSharedEndpoint, undefined);
    });

    it("the preview's words name both hosts and what happens to people", () => {
        const words = movedWords({ from: "https://acme.invisionapp.com/scim/v2", to: "http://127.0.0.1:9/scim/v2" });
        assert.match(words, /acme\.invisionapp\.com/);
        assert.match(words, /127\.0\.0\.1:9/);
        assert.match(words, /deactivated/);
    });
});
