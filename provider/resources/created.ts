import type * as dynamic from "@pulumi/pulumi/dynamic";

/** A create's result, and whether it took over an object that existed before (see runtime.ts, hand-over). */
export type Created = dynamic.CreateResult & { adopted: boolean };
