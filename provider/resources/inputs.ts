import type * as pulumi from "@pulumi/pulumi";

/** A zod-derived plain type, with every property accepting a Pulumi Input (and list elements too). */
export type Inputify<T> = {
    [K in keyof T]: T[K] extends readonly (infer E)[] | undefined ? pulumi.Input<pulumi.Input<E>[]> | Extract<T[K], undefined> : pulumi.Input<T[K]>;
};
