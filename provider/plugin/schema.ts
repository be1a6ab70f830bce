import { z } from "zod";
import { connectionSettingsSchema, safetyLimitsSchema, settingKeys } from "../config";
import { groupInputsSchema, groupStateSchema } from "../resources/group-schema";
import { userInputsSchema, userStateSchema } from "../resources/user-schema";
import { GITHUB_REPOSITORY } from "./download";
import { configDescriptions, groupDescriptions, teamDescriptions, userDescriptions } from "./descriptions";
import { teamArgsSchema, teamOutputsSchema } from "./team-schema";
import { PACKAGE, TYPES } from "./types";

/**
 * The Pulumi package schema of the `invision` plugin, generated from the zod
 * schemas the handlers validate with: one source of truth for the plugin's
 * GetSchema, the generated SDKs (sdk/) and the IDE's descriptions.
 */


/** Where the generated Go SDK lives as a module (sdk/go/go.mod). */
export const GO_MODULE = `github.com/${GITHUB_REPOSITORY}/sdk/go`;

interface JsonSchema {
    type?: string;
    enum?: unknown[];
    items?: JsonSchema;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: JsonSchema | boolean;
}

export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    description?: string;
    secret?: boolean;
}

interface ObjectSpec {
    properties: Record<string, PropertySpec>;
    required: string[];
}

/** Named object types the resources refer to (e.g. the Team's userDefaults). */
type Types = Record<string, { type: "object"; description?: string } & ObjectSpec>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
}

/**
 * One JSON Schema property as a Pulumi property. Enums stay strings with the
 * values named in the description (an enum type per setting would add a named
 * type per language for three words), and defaults are not declared: an SDK
 * would then send them, and the handlers store only what a program declares.
 */
function property(js: JsonSchema, description: string | undefined, nested: { types: Types; name: string; descriptions?: Record<string, string> }): PropertySpec {
    const withText = (p: PropertySpec): PropertySpec => (description ? { ...p, description } : p);
    if (js.enum) return withText({ type: "string" });
    switch (js.type) {
        case "string":
        case "boolean":
        case "integer":
        case "number":
            return withText({ type: js.type });
        case "array":
            return withText({ type: "array", items: property(js.items ?? {}, undefined, nested) });
        case "object":
            if (js.properties) {
                nested.types[nested.name] = { type: "object", ...(description ? { description } : {}), ...objectSpec(js, nested.descriptions ?? {}, nested.types, nested.name) };
                return withText({ $ref: `#/types/${nested.name}` });
            }
            return withText({ type: "object", additionalProperties: property(typeof js.additionalProperties === "object" ? js.additionalProperties : {}, undefined, nested) });
        default:
            throw new Error(`no Pulumi schema type for JSON Schema ${JSON.stringify(js)} (${nested.name})`);
    }
}

function objectSpec(js: JsonSchema, descriptions: Record<string, unknown>, types: Types, typeName: string, omit: readonly string[] = []): ObjectSpec {
    const properties: Record<string, PropertySpec> = {};
    for (const [k, p] of Object.entries(js.properties ?? {})) {
        if (omit.includes(k)) continue;
        const text = descriptions[k];
        if (typeof text !== "string") throw new Error(`${typeName}.${k} has no description (plugin/descriptions.ts)`);
        // A nested object's own property texts sit beside it, under `<name>Fields`.
        const sub = descriptions[`${k}Fields`];
        properties[k] = property(p, text, { types, name: `${typeName}${k[0].toUpperCase()}${k.slice(1)}`, descriptions: sub as Record<string, string> | undefined });
    }
    return { properties, required: (js.required ?? []).filter((k) => !omit.includes(k)) };
}

/**
 * Not outputs of the plugin: state written by earlier formats and only ever
 * read (group-schema.ts's memberEmails and memberNames), and the basis a
 * read keeps for the rest of its run (plan/basis.ts), which only the
 * provider reads.
 */
const NOT_OUTPUTS = ["memberNames", "memberEmails", "was"] as const;

function customResource(type: string, inputs: z.ZodType, state: z.ZodType, text: { resource: string; properties: Record<string, string> }, types: Types) {
    const ins = objectSpec(jsonSchema(inputs, "input"), text.properties, types, type);
    const outs = objectSpec(jsonSchema(state, "output"), text.properties, types, type, NOT_OUTPUTS);
    return {
        description: text.resource,
        properties: outs.properties,
        required: outs.required,
        inputProperties: ins.properties,
        requiredInputs: ins.required,
    };
}

/** The provider's configuration: each setting of config.ts under its stack-config name. */
function configVariables(): Record<string, PropertySpec> {
    const shapes = { ...jsonSchema(connectionSettingsSchema, "input").properties, ...jsonSchema(safetyLimitsSchema, "input").properties };
    const out: Record<string, PropertySpec> = {};
    for (const [setting, keys] of Object.entries(settingKeys)) {
        const name = keys.config.slice(`${PACKAGE}:`.length) as keyof typeof configDescriptions;
        const shape = shapes[setting];
        if (!shape) throw new Error(`setting ${setting} has no zod schema`);
        // Stack config reaches a provider as strings; URL forms beyond a URL (a bare subdomain) are accepted too.
        out[name] = { type: shape.type === "integer" || shape.type === "number" ? shape.type : "string", description: configDescriptions[name] };
        if (setting === "token") out[name].secret = true;
    }
    return out;
}

/**
 * `pluginDownloadURL` is where the CLI downloads the plugin for a program
 * using a generated SDK (each SDK names it, and the version, in its
 * resources' default options): download.ts's BUILT_DOWNLOAD_URL in the
 * plugin, the build's INVISION_PLUGIN_DOWNLOAD_URL in `npm run gen:sdk`.
 */
export function packageSchema(version: string, pluginDownloadURL: string) {
    const types: Types = {};
    const user = customResource(TYPES.user, userInputsSchema, userStateSchema, userDescriptions, types);
    const group = customResource(TYPES.group, groupInputsSchema, groupStateSchema, groupDescriptions, types);
    const teamText = {
        ...teamDescriptions.properties,
        userDefaultsFields: teamDescriptions.userDefaults,
        groupDefaultsFields: teamDescriptions.groupDefaults,
    };
    const teamIns = objectSpec(jsonSchema(teamArgsSchema, "input"), teamText, types, "invision:index:Team");
    const teamOuts = objectSpec(jsonSchema(teamOutputsSchema, "output"), teamText, types, "invision:index:Team");
    const variables = configVariables();
    return {
        name: PACKAGE,
        displayName: "InVision",
        version,
        description: "InVision users and groups over SCIM 2.0: the same implementation as the pulumi-invision dynamic resources, served as a provider plugin for every Pulumi language.",
        keywords: ["pulumi", "invision", "scim", "identity", "kind/native"],
        license: "Apache-2.0",
        repository: `https://github.com/${GITHUB_REPOSITORY}`,
        pluginDownloadURL,
        config: { variables },
        provider: {
            description: "The InVision provider. An explicit instance takes the same settings as the stack's `invision:` config, and runs in its own process.",
            inputProperties: variables,
        },
        resources: {
            [TYPES.user]: user,
            [TYPES.group]: group,
            [TYPES.team]: {
                isComponent: true,
                description: teamDescriptions.resource,
                inputProperties: teamIns.properties,
                requiredInputs: teamIns.required,
                properties: teamOuts.properties,
                required: teamOuts.required,
            },
        },
        types,
        language: {
            csharp: { packageReferences: { Pulumi: "3.*" }, rootNamespace: "Pulumi", respectSchemaVersion: true },
            go: { importBasePath: `${GO_MODULE}/invision`, generateResourceContainerTypes: false, respectSchemaVersion: true },
            nodejs: { packageName: "pulumi-invision" },
            python: { packageName: "pulumi_invision", requires: { pulumi: ">=3.0.0,<4.0.0" }, respectSchemaVersion: true },
        },
    };
}

export type PackageSchema = ReturnType<typeof packageSchema>;
