import type * as dynamic from "@pulumi/pulumi/dynamic";

type Runtime = typeof import("../runtime");

/**
 * A provider object whose methods hand each call to the implementation in
 * runtime.ts, loaded on the first call.
 *
 * Loading it lazily keeps `require("pulumi-invision/provider/<kind>")` cheap
 * and free of side effects in the provider process. `../runtime` is the very
 * file `pulumi-invision/runtime` loads, so providers deserialized from state
 * written by 0.1.0 (which call `require("pulumi-invision/runtime")`) and these
 * share one module instance: one SCIM client and one set of claimed ids per run.
 */
export function forward(kind: "user" | "group"): Required<Pick<dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = (): Runtime => require("../runtime");
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
