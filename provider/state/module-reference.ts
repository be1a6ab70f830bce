import { dynamicType, providerModule } from "../resources/providers";
import type { StateResource } from "./deployment";

/**
 * The one rule about code in state: the SDK's dynamic-provider host turns
 * every dynamic resource's `__provider` string into code and runs it (read,
 * delete, and update with the state's copy), in a process that holds the SCIM
 * token. So a `__provider` is accepted only when it is, byte for byte, one of
 * the texts this package has ever written for that resource kind; nothing is
 * parsed, evaluated or matched loosely.
 */

type Kind = "user" | "group";
const KINDS: Kind[] = ["user", "group"];

/** The name this package is installed under, as the current text requires it (an npm alias changes it). */
function installedName(): string {
    const m = /require\(("[^"]+")\)/.exec(providerModule("user"));
    return (JSON.parse(m![1]) as string).replace(/\/provider\/user$/, "");
}

/** What the SDK's closure serializer wrote for a provider object that is a module's exports (unreleased main between 0.1.0 and the fixed text). */
function serializedModuleReference(module: string): string {
    return [
        "exports.handler = __f0;",
        `const provider = require(${JSON.stringify(module)});`,
        "",
        "function __f0() {",
        "  return (function() {",
        "    with({ this: undefined, arguments: undefined }) {",
        "",
        "return () => provider;",
        "",
        "    }",
        "  }).apply(undefined, undefined).apply(this, arguments);",
        "}",
        "",
    ].join("\n");
}

/** 0.1.0's closures: each method calls `require("pulumi-invision/runtime")[kind]`; see test/e2e/compat.test.ts. */
function version010(kind: Kind): string {
    const fn = (name: string, params: string, captures: string, body: string) =>
        [`function ${name}(${params}) {`, "  return (function() {", `    with({ ${captures}this: undefined, arguments: undefined }) {`, "", `return ${body};`, "", "    }", "  }).apply(undefined, undefined).apply(this, arguments);", "}", ""].join("\n");
    const method = (name: string, params: string, body: string) => fn(name, params, `runtime: __f2, kind: ${JSON.stringify(kind)}, `, body);
    return [
        "exports.handler = __f0;",
        "",
        "var __provider = {configure: __f1, check: __f3, diff: __f4, create: __f5, read: __f6, update: __f7, delete: __f8};",
        "",
        fn("__f2", "", "", '() => require("pulumi-invision/runtime")'),
        fn("__f1", "__0", "runtime: __f2, ", "async (req) => runtime().configure(req)"),
        method("__f3", "__0, __1", "(olds, news) => runtime()[kind].check(olds, news)"),
        method("__f4", "__0, __1, __2", "(id, olds, news) => runtime()[kind].diff(id, olds, news)"),
        method("__f5", "__0", "(inputs) => runtime()[kind].create(inputs)"),
        method("__f6", "__0, __1", "(id, props) => runtime()[kind].read(id, props)"),
        method("__f7", "__0, __1, __2", "(id, olds, news) => runtime()[kind].update(id, olds, news)"),
        method("__f8", "__0, __1", "(id, props) => runtime()[kind].delete(id, props)"),
        fn("__f0", "", "provider: __provider, ", "() => provider"),
    ].join("\n");
}

/**
 * Every text accepted for a kind, newest first:
 *  - the fixed two-line module the resource classes write now (providerModule);
 *  - the SDK serializer's `require` of `<name>/provider/<kind>`, and of the
 *    file path `<name>/dist/dynamic/<kind>.js` it fell back to when it read
 *    the wrong package.json (see provider/dynamic/user.ts);
 *  - 0.1.0's closures, which the engine keeps in outputs until the resource
 *    is next written.
 */
export function acceptedProviderTexts(kind: Kind): string[] {
    const name = installedName();
    return [providerModule(kind), serializedModuleReference(`${name}/provider/${kind}`), serializedModuleReference(`${name}/dist/dynamic/${kind}.js`), version010(kind)];
}

export interface Finding {
    urn: string;
    /** e.g. `outputs.__provider`, `outputs.unmanagedMembers`, or `resource` for the whole of it. */
    property: string;
    message: string;
}

/** Where the dynamic-provider host takes a resource's code from: any type of the `pulumi-nodejs` package. */
function isDynamic(type: string): boolean {
    return type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic/");
}

/** Findings for every dynamic resource whose `__provider` is not exactly this package's, in inputs or outputs. */
export function checkProviderTexts(resources: readonly StateResource[]): Finding[] {
    const accepted = new Map(KINDS.map((k) => [dynamicType(k === "user" ? "User" : "Group"), new Set(acceptedProviderTexts(k))]));
    const findings: Finding[] = [];
    for (const r of resources) {
        if (!isDynamic(r.type)) continue;
        const texts = accepted.get(r.type);
        if (!texts) {
            findings.push({ urn: r.urn, property: "type", message: `is ${r.type}: a dynamic resource that is not pulumi-invision's, whose __provider would run as code` });
            continue;
        }
        for (const side of ["inputs", "outputs"] as const) {
            const bag = r[side];
            if (!bag || !("__provider" in bag)) continue;
            const text = bag.__provider;
            if (typeof text !== "string") {
                findings.push({ urn: r.urn, property: `${side}.__provider`, message: "is not a plain string (a secret or another value hides what would run)" });
            } else if (!texts.has(text)) {
                findings.push({ urn: r.urn, property: `${side}.__provider`, message: `is not this package's module reference (${Buffer.byteLength(text)} bytes, starting ${JSON.stringify(text.slice(0, 80))})` });
            }
        }
    }
    return findings;
}
