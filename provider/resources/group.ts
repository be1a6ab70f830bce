import * as pulumi from "@pulumi/pulumi";
import type { GroupArgsPlain } from "./group-schema";
import { Inputify } from "./inputs";
import { groupProvider } from "./providers";

export type InVisionGroupArgs = Inputify<GroupArgsPlain>;

/**
 * An InVision group (an InVision team, as IdPs map them). Membership changes
 * are sent as add/remove operations for the difference only.
 */
export class InVisionGroup extends pulumi.dynamic.Resource {
    declare public readonly id: pulumi.Output<string>;
    declare public readonly displayName: pulumi.Output<string>;
    /** The declared members, as present in InVision. */
    declare public readonly members: pulumi.Output<string[]>;
    /** Members present in InVision that this resource does not declare. */
    declare public readonly unmanagedMembers: pulumi.Output<string[]>;
    /** Email by SCIM id of the members, as far as known: what the preview names people with. */
    declare public readonly memberNames: pulumi.Output<Record<string, string>>;
    declare public readonly membershipMode: pulumi.Output<"authoritative" | "additive">;
    declare public readonly onExisting: pulumi.Output<"adopt" | "fail">;
    declare public readonly onDelete: pulumi.Output<"delete" | "retain">;

    constructor(name: string, args: InVisionGroupArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            groupProvider,
            name,
            { members: undefined, membershipMode: undefined, onExisting: undefined, onDelete: undefined, ...args, unmanagedMembers: undefined, memberNames: undefined },
            opts,
            "invision",
            "Group",
        );
    }
}
