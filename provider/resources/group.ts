import * as pulumi from "@pulumi/pulumi";
import type { GroupArgsPlain } from "./group-schema";
import { Inputify } from "./inputs";
import { dynamicType, withProvider } from "./providers";

export type InVisionGroupArgs = Inputify<GroupArgsPlain>;

/**
 * An InVision group (an InVision team, as IdPs map them). Membership changes
 * are sent as add/remove operations for the difference only.
 */
export class InVisionGroup extends pulumi.CustomResource {
    declare public readonly id: pulumi.Output<string>;
    declare public readonly displayName: pulumi.Output<string>;
    /** The declared members, as present in InVision. */
    declare public readonly members: pulumi.Output<string[]>;
    /** Members present in InVision that this resource does not declare. */
    declare public readonly unmanagedMembers: pulumi.Output<string[]>;
    /**
     * The emails of `members` followed by those of `unmanagedMembers`, in
     * that order ("" where not known): what the preview names people with.
     * A list beside the ids rather than a map by id, so a large group's ids
     * are not stored a second time.
     */
    declare public readonly memberEmails: pulumi.Output<string[]>;
    /** As declared; undefined when not declared, which means "authoritative". (Defaults are not stored.) */
    declare public readonly membershipMode: pulumi.Output<"authoritative" | "additive" | undefined>;
    /** As declared; undefined means "adopt". */
    declare public readonly onExisting: pulumi.Output<"adopt" | "fail" | undefined>;
    /** As declared; undefined means "delete". */
    declare public readonly onDelete: pulumi.Output<"delete" | "retain" | undefined>;

    constructor(name: string, args: InVisionGroupArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            dynamicType("Group"),
            name,
            withProvider("group", {
                members: undefined,
                membershipMode: undefined,
                onExisting: undefined,
                onDelete: undefined,
                ...args,
                unmanagedMembers: undefined,
                memberEmails: undefined,
            }),
            opts,
        );
    }
}
