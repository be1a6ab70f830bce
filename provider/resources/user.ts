import * as pulumi from "@pulumi/pulumi";
import { Inputify } from "./inputs";
import { dynamicType, withProvider } from "./providers";
import type { UserArgsPlain } from "./user-schema";

export type InVisionUserArgs = Inputify<UserArgsPlain>;

/**
 * An InVision user, managed over SCIM. Destroying it deactivates the user by
 * default (InVision keeps their content); see `onDelete`.
 *
 * The object carries two outputs, `id` and `userName`: what a program joins
 * users to groups with. The provider still records every output (names,
 * `active`, `created`, ...) in state, where `pulumi stack export` shows them;
 * they are not on the object because the SDK builds an `Output` (four
 * promises, each with a captured stack) for every property passed to it, per
 * resource, and a tenant has one user resource per person.
 */
export class InVisionUser extends pulumi.CustomResource {
    /** The SCIM id; use it in `InVisionGroup.members`. */
    declare public readonly id: pulumi.Output<string>;
    /** The sign-in email, as InVision reports it. */
    declare public readonly userName: pulumi.Output<string>;

    constructor(name: string, args: InVisionUserArgs, opts?: pulumi.CustomResourceOptions) {
        // Only the inputs given: an undefined one is not sent to the engine
        // anyway, but as a key it would cost an Output on every resource.
        const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
        super(dynamicType("User"), name, withProvider("user", { ...given, userName: args.userName }), opts);
    }
}
