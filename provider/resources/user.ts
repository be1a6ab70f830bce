import * as pulumi from "@pulumi/pulumi";
import { Inputify } from "./inputs";
import { dynamicType, withProvider } from "./providers";
import type { UserArgsPlain } from "./user-schema";

export type InVisionUserArgs = Inputify<UserArgsPlain>;

/**
 * An InVision user, managed over SCIM. Destroying it deactivates the user by
 * default (InVision keeps their content); see `onDelete`.
 */
export class InVisionUser extends pulumi.CustomResource {
    /** The SCIM id; use it in `InVisionGroup.members`. */
    declare public readonly id: pulumi.Output<string>;
    declare public readonly userName: pulumi.Output<string>;
    declare public readonly givenName: pulumi.Output<string | undefined>;
    declare public readonly familyName: pulumi.Output<string | undefined>;
    declare public readonly displayName: pulumi.Output<string | undefined>;
    declare public readonly active: pulumi.Output<boolean>;
    declare public readonly externalId: pulumi.Output<string | undefined>;
    /** As declared; undefined when not declared, which means "adopt". (Defaults are not stored: state is per person.) */
    declare public readonly onExisting: pulumi.Output<"adopt" | "fail" | undefined>;
    /** As declared; undefined when not declared, which means "deactivate". */
    declare public readonly onDelete: pulumi.Output<"deactivate" | "delete" | "retain" | undefined>;
    /** When InVision created the user (meta.created), if it says. */
    declare public readonly created: pulumi.Output<string | undefined>;

    constructor(name: string, args: InVisionUserArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            dynamicType("User"),
            name,
            withProvider("user", {
                givenName: undefined,
                familyName: undefined,
                displayName: undefined,
                externalId: undefined,
                active: undefined,
                onExisting: undefined,
                onDelete: undefined,
                ...args,
                created: undefined,
            }),
            opts,
        );
    }
}
