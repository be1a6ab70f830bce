import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redacting, Secrets } from "../../provider/diagnostics/secrets";
import { CollectedDiagnostics } from "../../provider/diagnostics/sink";

const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("secrets a provider process was handed stay out of what it says", () => {
    it("collects every string inside a secret mark, nested or in a list, and nothing outside one", () => {
        const s = new Secrets();
        s.collect({ userName: secret("gina@example.com"), givenName: "Gina", members: ["bob@example.com", secret("hal@example.com")], deep: secret({ a: ["x-Secret-y"] }) });
        assert.equal(
            s.redact("gina@example.com, GINA@Example.com, gina%40example.com, hal@example.com, x-secret-y; Gina and bob@example.com stay"),
            "[secret], [secret], [secret], [secret], [secret]; Gina and bob@example.com stay",
        );
    });

    it("leaves strings too short to redact without garbling every sentence", () => {
        const s = new Secrets();
        s.collect(secret("ab"));
        assert.equal(s.redact("a tab about ab"), "a tab about ab");
    });

    it("redacts what is said and the error a call fails with, keeping the error's kind", () => {
        const s = new Secrets();
        const collected = new CollectedDiagnostics();
        const said = redacting(collected, s);
        s.collect({ members: [secret("nobody@example.com")] });
        said.say("warning", "group 'Design' lists 1 member(s) that no InVision user has as email: nobody@example.com.");
        assert.deepEqual(collected.lines(), ["warning: [invision] group 'Design' lists 1 member(s) that no InVision user has as email: [secret]."]);
        class Refusal extends Error {}
        const e = s.redactError(new Refusal("no InVision user has as email: NOBODY@example.com"));
        assert.ok(e instanceof Refusal);
        assert.equal((e as Error).message, "no InVision user has as email: [secret]");
        assert.ok(!(e as Error).stack?.includes("NOBODY"));
    });
});
