import type * as pulumi from "@pulumi/pulumi";
import type { InVisionGroupArgs } from "../resources/group";
import type { InVisionUserArgs } from "../resources/user";
import type { TeamResourceClasses } from "../roster/team";
import { Group, User } from "./resources";

/**
 * No version or download URL of their own: the engine then gives each the
 * default provider of the program's other `invision:` resources (the
 * version and URL the program named, a mirror's included, or none).
 */
const asTheProgram: pulumi.CustomResourceOptions = { version: undefined, pluginDownloadURL: undefined };

/**
 * A Team's children when the plugin itself declares them (the Team of a
 * YAML or SDK program). Naming this release's source there would give them
 * a provider of their own, a second plugin process, whenever the program
 * named another source or none.
 */
export const teamChildren: TeamResourceClasses = {
    User: class extends User {
        constructor(name: string, args: InVisionUserArgs, opts?: pulumi.CustomResourceOptions) {
            super(name, args, { ...opts, ...asTheProgram });
        }
    },
    Group: class extends Group {
        constructor(name: string, args: InVisionGroupArgs, opts?: pulumi.CustomResourceOptions) {
            super(name, args, { ...opts, ...asTheProgram });
        }
    },
};
