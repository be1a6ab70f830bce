import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The provider objects the SDK serializes into every resource's state
 * (`__provider`). They hold no code of ours and capture nothing: each method
 * loads the implementation by package name when the engine calls it, inside
 * the provider process. So `__provider` stays a few hundred bytes (no axios,
 * no zod, no client), carries no credential, and state written by one version
 * of this package runs with whatever version is installed next.
 *
 * `require` is resolved from the program's directory by the SDK's
 * dynamic-provider host, which is where `pulumi-invision` is installed.
 */

function providerFor(kind: "user" | "group"): dynamic.ResourceProvider {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = () => require("pulumi-invision/runtime");
    return {
        configure: async (req) => runtime().configure(req),
        check: (olds, news) => runtime()[kind].check(olds, news),
        diff: (id, olds, news) => runtime()[kind].diff(id, olds, news),
        create: (inputs) => runtime()[kind].create(inputs),
        read: (id, props) => runtime()[kind].read(id, props),
        update: (id, olds, news) => runtime()[kind].update(id, olds, news),
        delete: (id, props) => runtime()[kind].delete(id, props),
    };
}

export const userProvider = providerFor("user");
export const groupProvider = providerFor("group");
