import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { derivedConfig } from "../../provider/cli/snapshot-config";

describe("the stack config a preview from a snapshot uses", () => {
    it("keeps plain values, turns every secure value into the placeholder (a secret still), and drops the real stack's keys", () => {
        const d = derivedConfig(
            [
                "encryptionsalt: v1:realsalt",
                "secretsprovider: awskms://alias/x",
                "encryptedkey: abc",
                "config:",
                "  invision:scimBaseUrl: https://acme.invisionapp.com",
                "  invision:scimToken:",
                "    secure: v1:ciphertext-of-the-token",
                "  app:db:",
                "    host: db.internal",
                "    passwords:",
                "      - secure: v1:one",
                "      - plain-two",
                "    nested:",
                "      pass.word:",
                "        secure: v1:three",
                "",
            ].join("\n"),
        );
        assert.deepEqual(d.plain, {
            "invision:scimBaseUrl": "https://acme.invisionapp.com",
            "invision:scimToken": "[secret]",
            "app:db": { host: "db.internal", passwords: ["[secret]", "plain-two"], nested: { "pass.word": "[secret]" } },
        });
        assert.deepEqual(d.secretPaths, [
            { key: "invision:scimToken", path: false },
            { key: 'app:db["passwords"][0]', path: true },
            { key: 'app:db["nested"]["pass.word"]', path: true },
        ]);
        assert.deepEqual(d.dropped, []);
        assert.ok(!JSON.stringify(d).includes("v1:"), "no ciphertext and no salt is carried over");
    });

    it("says that an ESC environment is not opened, and copes with no file at all", () => {
        assert.match(derivedConfig("environment:\n  - acme/prod\nconfig:\n  a:b: c\n").dropped[0], /environment: \(Pulumi ESC\) is not opened/);
        assert.deepEqual(derivedConfig(""), { plain: {}, secretPaths: [], dropped: [] });
    });
});
