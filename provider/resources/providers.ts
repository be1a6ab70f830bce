import * as path from "node:path";
import groupProvider = require("../dynamic/group");
import userProvider = require("../dynamic/user");

/**
 * The provider objects: the whole `module.exports` of two small modules the
 * package exports under stable paths (`pulumi-invision/provider/user` and
 * `pulumi-invision/provider/group`, see package.json "exports"), which every
 * resource's `__provider` requires by name (providerModule below). State
 * therefore holds a reference, no code and no credential, and state written
 * by one version runs with whatever version is installed next.
 */
export { groupProvider, userProvider };

/**
 * How our resource classes register: as `pulumi.dynamic.Resource` does (the
 * same type token, a `__provider` property the SDK's dynamic-provider host
 * loads), with two differences that matter at scale.
 *
 * 1. `__provider` is a fixed two-line module, not the SDK closure
 *    serializer's output. The host turns it into the provider exactly as it
 *    does the serializer's text (`requireFromString(text).handler()`, resolved
 *    from the program's directory), and must keep doing so to read existing
 *    state. It is about 65 bytes instead of 269, stored twice per resource
 *    (inputs and outputs), and the program no longer loads the serializer
 *    (and the TypeScript compiler it parses functions with) at all, which was
 *    most of a program's start-up.
 * 2. The classes extend `CustomResource` directly. The SDK records where each
 *    resource was declared (`sourcePosition`, and the whole `stackTrace`, in
 *    every resource's state) by skipping a fixed number of constructor frames,
 *    counted for Resource > CustomResource > the resource's class. Through
 *    dynamic.Resource that position was our constructor rather than the line
 *    of the user's program, and every resource stored one frame more.
 *
 * Neither changes a URN or a diff: state from any earlier version stays as it
 * is, and its `__provider` (a serialized closure in 0.1.0) still loads.
 */
export function dynamicType(kind: "User" | "Group"): string {
    return `pulumi-nodejs:dynamic/invision:${kind}`;
}

/** The `__provider` text of a resource kind: see dynamicType. Worked out once per program, not per resource. */
const modules = new Map<"user" | "group", string>();
export function providerModule(kind: "user" | "group"): string {
    let text = modules.get(kind);
    if (text === undefined) {
        text = `exports.handler = () => require(${JSON.stringify(`${installedName()}/provider/${kind}`)});\n`;
        modules.set(kind, text);
    }
    return text;
}

/**
 * The name the program's node_modules has this package under, which is what
 * the provider process resolves: the directory after the last node_modules of
 * our own path (an npm alias installs us under another name), else our
 * package.json name (a checkout, or `npm link`, whose real path is outside
 * node_modules).
 */
function installedName(): string {
    const parts = path.resolve(__dirname, "..", "..").split(path.sep);
    const at = parts.lastIndexOf("node_modules");
    if (at >= 0 && at < parts.length - 1) return parts.slice(at + 1).join("/");
    return (require("../../package.json") as { name: string }).name;
}

export function withProvider(kind: "user" | "group", props: Record<string, unknown>): Record<string, unknown> {
    if (props.__provider !== undefined) throw new Error("A dynamic resource must not define the __provider key");
    return { ...props, __provider: providerModule(kind) };
}
