import * as pulumi from "@pulumi/pulumi";
import type { GroupArgsPlain } from "./group-schema";
import { Inputify } from "./inputs";
import { dynamicType, withProvider } from "./providers";

export type InVisionGroupArgs = Inputify<GroupArgsPlain>;

/**
 * An InVision group (an InVision team, as IdPs map them). Members are
 * people's emails (their `userName`; a SCIM id, which has no "@", still
 * works). Membership changes are sent as add/remove operations for the
 * difference only.
 */
export class InVisionGroup extends pulumi.CustomResource {
    declare public readonly id: pulumi.Output<string>;
    declare public readonly displayName: pulumi.Output<string>;
    /** The declared members InVision has, by email (an id only where InVision has no email for one). */
    declare public readonly members: pulumi.Output<string[]>;
    /** Members InVision has that this resource does not declare, by email (an id only where InVision has no email for one). */
    declare public readonly unmanagedMembers: pulumi.Output<string[]>;
    /** The SCIM ids of `members` then `unmanagedMembers`, in that order. */
    declare public readonly memberIds: pulumi.Output<string[] | undefined>;
    /** Only in state written before members were emails (0.2 and earlier): the emails of the ids then in `members` and `unmanagedMembers`. */
    declare public readonly memberEmails: pulumi.Output<string[] | undefined>;
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
                memberIds: undefined,
                memberEmails: undefined,
            }),
            opts,
        );
    }
}
