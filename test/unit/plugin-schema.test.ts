import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import { settingKeys } from "../../provider/config";
import { lookupOf } from "../../provider/plugin/server-hooks";
import { keepSecret, plain, typeOfUrn } from "../../provider/plugin/provider";
import { RELEASES_URL } from "../../provider/plugin/download";
import { packageSchema, PropertySpec } from "../../provider/plugin/schema";
import { teamArgsSchema } from "../../provider/plugin/team-schema";
import { groupInputsSchema } from "../../provider/resources/group-schema";
import * as groups from "../../provider/resources/group-handlers";
import { userInputsSchema } from "../../provider/resources/user-schema";
import * as users from "../../provider/resources/user-handlers";

const version = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
const schema = packageSchema(version, RELEASES_URL);

/** The value of each Pulumi schema type a handler must accept. */
function sample(p: PropertySpec, key: string): unknown {
    if (p.$ref) return {};
    switch (p.type) {
        case "string":
            return key === "userName" ? "alice@example.com" : key === "onExisting" ? "fail" : key === "onDelete" ? "retain" : key === "membershipMode" ? "additive" : "A name";
        case "boolean":
            return false;
        case "array":
            return [sample(p.items!, `${key}[]`)];
        default:
            return 1;
    }
}

describe("the plugin's package schema", () => {
    it("is the invision package at package.json's version, with a description everywhere", () => {
        assert.equal(schema.name, "invision");
        assert.equal(schema.version, version);
        for (const [type, r] of Object.entries(schema.resources)) {
            assert.ok(r.description.length > 20, type);
            for (const [k, p] of Object.entries({ ...r.inputProperties, ...r.properties })) assert.ok((p as PropertySpec).description, `${type}.${k} has no description`);
        }
        for (const t of Object.values(schema.types)) for (const [k, p] of Object.entries(t.properties)) assert.ok(p.description, `type property ${k}`);
    });

    for (const [type, inputs, handlers] of [
        ["invision:index:User", userInputsSchema, users],
        ["invision:index:Group", groupInputsSchema, groups],
    ] as const) {
        it(`${type}: the inputs are exactly the handlers' input schema, and a value of each declared type passes check`, () => {
            const resource = schema.resources[type];
            assert.deepEqual(Object.keys(resource.inputProperties).sort(), Object.keys(inputs.shape).sort());
            // Required means: the zod schema refuses the inputs without it.
            const required = Object.keys(inputs.shape).filter((k) => !inputs.shape[k as keyof typeof inputs.shape].safeParse(undefined).success);
            assert.deepEqual([...resource.requiredInputs].sort(), required.sort());
            const news = Object.fromEntries(Object.entries(resource.inputProperties).map(([k, p]) => [k, sample(p as PropertySpec, k)]));
            assert.deepEqual(handlers.check({}, news).failures, []);
            // Every input is an output too: the engine shows the declared value in state.
            for (const k of Object.keys(resource.inputProperties)) assert.ok(k in resource.properties, `${type} output ${k}`);
        });
    }

    it("Team: the inputs are the component's zod schema, userDefaults and groupDefaults as named types", () => {
        const team = schema.resources["invision:index:Team"];
        assert.equal(team.isComponent, true);
        assert.deepEqual(Object.keys(team.inputProperties).sort(), Object.keys(teamArgsSchema.shape).sort());
        assert.deepEqual(team.requiredInputs, ["roster"]);
        const ref = (team.inputProperties.userDefaults as PropertySpec).$ref!;
        assert.deepEqual(Object.keys(schema.types[ref.replace("#/types/", "")].properties).sort(), ["onDelete", "onExisting"]);
        assert.deepEqual(Object.keys(team.properties).sort(), ["access", "groupIds", "userIds"]);
    });

    it("config: every setting under its stack-config name, the token secret", () => {
        const names = Object.values(settingKeys).map((k) => k.config.replace("invision:", ""));
        assert.deepEqual(Object.keys(schema.config.variables).sort(), names.sort());
        assert.equal(schema.config.variables.scimToken.secret, true);
        assert.deepEqual(schema.provider.inputProperties, schema.config.variables);
    });

    it("is plain JSON (what GetSchema sends)", () => {
        assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
        assert.doesNotThrow(() => z.toJSONSchema(userInputsSchema));
    });
});

describe("the plugin's routing and translation", () => {
    it("takes the type token from a URN, also under a parent", () => {
        assert.equal(typeOfUrn("urn:pulumi:dev::p::invision:index:User::alice"), "invision:index:User");
        assert.equal(typeOfUrn("urn:pulumi:dev::p::invision:index:Team$invision:index:Group::design"), "invision:index:Group");
    });

    it("hands the handlers plain values for secrets", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "Alice" };
        assert.deepEqual(plain({ givenName: secret, members: ["a", secret] }), { givenName: "Alice", members: ["a", "Alice"] });
    });

    it("wraps an output again as secret where its input was (or held) one", () => {
        const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
        const outs = keepSecret({ userName: "a@example.com", givenName: "Alice", members: ["1"] }, { userName: "a@example.com", givenName: secret("Alice"), members: [secret("1")] });
        assert.deepEqual(outs, { userName: "a@example.com", givenName: secret("Alice"), members: secret(["1"]) });
        assert.deepEqual(keepSecret({ userName: "a@example.com" }, { userName: "a@example.com" }), { userName: "a@example.com" });
    });

    it("reads the engine's Configure variables (keyed <package>:config:<name>) by the names runtime.ts asks for", () => {
        const vars = new Map([["invision:config:scimBaseUrl", "http://127.0.0.1:1/scim/v2"]]);
        const lookup = lookupOf({ getVariablesMap: () => vars });
        assert.equal(lookup("invision:scimBaseUrl"), "http://127.0.0.1:1/scim/v2");
        assert.equal(lookup("invision:scimToken"), undefined);
    });
});
