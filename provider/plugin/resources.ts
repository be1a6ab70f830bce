import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { InVisionGroupArgs } from "../resources/group";
import { GroupState, groupStateSchema } from "../resources/group-schema";
import type { InVisionUserArgs } from "../resources/user";
import { UserState, userStateSchema } from "../resources/user-schema";
import type { TeamResourceClasses } from "../roster/team";
import { BUILT_DOWNLOAD_URL } from "./download";
import { TYPES } from "./types";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

/**
 * The `invision` plugin's resources, declared from TypeScript: what the
 * plugin's Team component declares as its children, and what a TypeScript
 * program moving from the dynamic resources to the plugin declares (with
 * `aliases` naming the old type, see the README). Handwritten rather than
 * generated: two small classes whose argument and output types derive from
 * the zod schemas the handlers validate with.
 */

/**
 * The plugin a program's resource asks the engine for: this package's
 * version, from its release. A missing plugin is then downloaded on the
 * first `up` (the engine's provider registry installs it), as the generated
 * SDKs' resources do; a program's own `version` or `pluginDownloadURL` wins.
 */
const fromRelease: pulumi.CustomResourceOptions = { version, pluginDownloadURL: BUILT_DOWNLOAD_URL };

/** Each state property as a resource output. */
type Outputs<State> = { readonly [K in keyof State]-?: pulumi.Output<State[K]> };

/** Every output property named (undefined until the engine resolves it), then what the program declares. */
function props(state: z.ZodObject, args: object, omit: readonly string[] = []): pulumi.Inputs {
    return { ...Object.fromEntries(Object.keys(state.shape).filter((k) => !omit.includes(k)).map((k) => [k, undefined])), ...args };
}

/** An InVision user served by the `invision` plugin (type invision:index:User). */
export interface User extends Outputs<Omit<UserState, "was">> {}
export class User extends pulumi.CustomResource {
    declare public readonly id: pulumi.Output<string>;

    constructor(name: string, args: InVisionUserArgs, opts?: pulumi.CustomResourceOptions) {
        // was: the basis a read keeps for its own run (plan/basis.ts), not an output.
        super(TYPES.user, name, props(userStateSchema, args, ["was"]), { ...fromRelease, ...opts });
    }
}

/** An InVision group served by the `invision` plugin (type invision:index:Group). */
export interface Group extends Outputs<Omit<GroupState, "memberNames" | "was">> {}
export class Group extends pulumi.CustomResource {
    declare public readonly id: pulumi.Output<string>;

    constructor(name: string, args: InVisionGroupArgs, opts?: pulumi.CustomResourceOptions) {
        // memberNames is state an earlier format wrote; the plugin never has it. was: see User.
        super(TYPES.group, name, props(groupStateSchema, args, ["memberNames", "was"]), { ...fromRelease, ...opts });
    }
}

/** For `new InVisionTeam(name, args, opts, pluginResources)`: a team of plugin resources. */
export const pluginResources: TeamResourceClasses = { User, Group };
