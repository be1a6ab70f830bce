import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { InVisionGroup, InVisionGroupArgs } from "../resources/group";
import { InVisionUser, InVisionUserArgs } from "../resources/user";
import { dynamicType } from "../resources/providers";
import type { Door } from "../context";
import { checkRoster, loadRosterFile } from "./load";
import { Roster, RosterInput } from "./schema";
import { memberLabel, membersInState } from "../plan/members";
import type { GroupState } from "../resources/group-schema";

export interface InVisionTeamArgs {
    /** A roster object, or the path of a roster YAML file, relative to the project root (where Pulumi.yaml is). */
    roster: string | RosterInput;
    /** Applied to every user: what creating does when the email exists, and what removing a person does. */
    userDefaults?: { onExisting?: "adopt" | "fail"; onDelete?: "deactivate" | "delete" | "retain" };
    groupDefaults?: { onExisting?: "adopt" | "fail"; onDelete?: "delete" | "retain" };
    /**
     * A roster with no users would deactivate everyone the stack manages: it
     * is refused unless this says it is intended (e.g. before a `destroy`).
     */
    allowEmptyRoster?: boolean;
    /**
     * The team's users and groups were the dynamic resources (`InVisionUser`,
     * `InVisionGroup`) in this stack's state, and are now declared with the
     * `invision` plugin's types (`plugin.pluginResources`, or a YAML or SDK
     * program's `invision:index:Team`): each child is aliased to its old
     * type, so the move previews no change and writes nothing, and each
     * resource's preview says it is the same person or group handed over.
     * Harmless once every stack has run an `up` since the move.
     */
    movedFrom?: "dynamic";
}

/**
 * The resource classes a team declares: the dynamic resources by default; the
 * `invision` plugin passes its own (invision:index:User and Group) when it
 * constructs the component, so one roster logic serves both.
 */
export interface TeamResourceClasses {
    User: new (name: string, args: InVisionUserArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Pick<InVisionUser, "userName">;
    Group: new (name: string, args: InVisionGroupArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Pick<InVisionGroup, "members" | "unmanagedMembers" | "memberIds" | "memberEmails">;
    /** Whose words a refusal uses: "plugin" when the plugin builds the Team for a YAML or SDK program. TypeScript's by default. */
    door?: Door;
}

/** The types the dynamic resources register (resources/providers.ts), which `movedFrom: "dynamic"` aliases. */
const DYNAMIC_TYPES = { User: dynamicType("User"), Group: dynamicType("Group") };

/**
 * One InVision team from a roster: a user per person, a group per group.
 * Resource names are the lowercased email and the group's key (its name by
 * default), so reordering or reformatting the file changes nothing, and
 * removing a person deactivates them.
 */
export class InVisionTeam extends pulumi.ComponentResource {
    /** SCIM user id by email (lowercased). */
    public readonly userIds: pulumi.Output<Record<string, string>>;
    /** SCIM group id by group name. */
    public readonly groupIds: pulumi.Output<Record<string, string>>;
    /**
     * Who has access and through which groups, by email: "Design, Research",
     * "(no group)", or "deactivated", from the roster (known at preview, so
     * exporting it as a stack output puts a per-person line in the pull
     * request's diff); and under the key `KEPT_KEY`, the people InVision has
     * in these groups that the roster does not declare (kept at a group's
     * adoption, or added by hand and recorded by an `up`), from the groups'
     * state. A plain object of outputs, so each line is known or not on its
     * own: the kept line is unknown at preview only when a group changes.
     * The roster's lines are plain strings, not an `Output` each: at 10,000
     * people those were 10,000 more Outputs (about 30 MB live, and their
     * serialization) in a program whose memory is the engine's floor.
     */
    public readonly access: Record<string, pulumi.Input<string>>;
    public readonly roster: Roster;
    /** Each group's state as the kept line reads it (the plugin settles them itself: plugin/provider.ts). */
    public readonly groupStates: readonly { group: string; state: pulumi.Output<Partial<GroupState>> }[];

    constructor(name: string, args: InVisionTeamArgs, opts?: pulumi.ComponentResourceOptions, classes: TeamResourceClasses = { User: InVisionUser, Group: InVisionGroup }) {
        super("invision:index:Team", name, {}, opts);
        // Validate the whole roster before declaring anything, so a typo fails
        // the preview with its line instead of half a plan.
        const roster = typeof args.roster === "string" ? loadRosterFile(path.resolve(projectRoot(), args.roster)) : checkRoster(args.roster);
        this.roster = roster;
        // An emptied or truncated-to-nothing file (a bad merge, a failed
        // export, a wrong path) is far likelier than an intent to remove everyone.
        if (roster.users.length === 0 && !args.allowEmptyRoster) {
            const source = typeof args.roster === "string" ? args.roster : "given to InVisionTeam";
            throw new Error(
                `The InVision roster ${source} has no users: applying it would deactivate everyone this stack manages. ` +
                    (classes.door === "plugin"
                        ? `If that is intended, set the Team's allowEmptyRoster property to true (YAML: \`allowEmptyRoster: true\` under the Team's properties; ` +
                          `Python: allow_empty_roster=True; Go: AllowEmptyRoster: pulumi.Bool(true); C#: AllowEmptyRoster = true).`
                        : `If that is intended, pass allowEmptyRoster: true to InVisionTeam.`),
            );
        }
        const childOptions = (kind: "User" | "Group"): pulumi.CustomResourceOptions => ({
            parent: this,
            ...(args.movedFrom === "dynamic" ? { aliases: [{ type: DYNAMIC_TYPES[kind] }] } : {}),
        });

        const users = new Map<string, InstanceType<TeamResourceClasses["User"]>>();
        for (const u of roster.users) {
            const key = u.email.toLowerCase();
            users.set(
                key,
                new classes.User(
                    key,
                    {
                        userName: u.email,
                        givenName: u.givenName,
                        familyName: u.familyName,
                        active: u.active ?? true,
                        onExisting: args.userDefaults?.onExisting,
                        onDelete: args.userDefaults?.onDelete,
                    },
                    childOptions("User"),
                ),
            );
        }
        const groups = roster.groups.map((g) => ({
            name: g.name,
            resource: new classes.Group(
                g.key ?? g.name,
                {
                    displayName: g.name,
                    // Emails: the preview names people. The user's output, so the engine
                    // still creates each user before the groups that list them.
                    members: g.members.map((m) => users.get(m.toLowerCase())!.userName),
                    membershipMode: g.membershipMode,
                    onExisting: args.groupDefaults?.onExisting,
                    onDelete: args.groupDefaults?.onDelete,
                },
                childOptions("Group"),
            ),
        }));

        this.userIds = pulumi.output(Object.fromEntries([...users].map(([email, u]) => [email, u.id])));
        this.groupIds = pulumi.output(Object.fromEntries(groups.map((g) => [g.name, g.resource.id])));
        this.groupStates = groups.map((g) => ({
            group: g.name,
            state: pulumi
                .all([g.resource.members, g.resource.unmanagedMembers, g.resource.memberIds, g.resource.memberEmails])
                .apply(([members, unmanagedMembers, memberIds, memberEmails]) => ({ members, unmanagedMembers, memberIds, memberEmails })),
        }));
        this.access = {
            ...accessOf(roster),
            [KEPT_KEY]: pulumi.all(this.groupStates.map((g) => g.state)).apply((states) => keptLine(this.groupStates.map((g, i) => ({ group: g.group, state: states[i] })))),
        };
        this.registerOutputs({ userIds: this.userIds, groupIds: this.groupIds, access: this.access });
    }
}

/**
 * Per person, the groups they are in, from the roster alone (so it is known at
 * preview). One pass over the memberships, not one per person: a tenant of
 * 20,000 in 200 groups of 500 is 100,000 memberships, not 4 x 10^9 comparisons.
 */
export function accessOf(roster: Roster): Record<string, string> {
    // Group indices per lowercased email, in roster order, each group once.
    const groupsOf = new Map<string, number[]>();
    roster.groups.forEach((g, i) => {
        for (const m of g.members) {
            const email = m.toLowerCase();
            const list = groupsOf.get(email);
            if (list === undefined) groupsOf.set(email, [i]);
            else if (list[list.length - 1] !== i) list.push(i);
        }
    });
    // The same order as String.prototype.localeCompare, without its per-call set-up.
    const byEmail = new Intl.Collator().compare;
    const out: Record<string, string> = {};
    for (const u of [...roster.users].sort((a, b) => byEmail(a.email, b.email))) {
        const email = u.email.toLowerCase();
        if (u.active === false) {
            out[email] = "deactivated";
            continue;
        }
        const names = (groupsOf.get(email) ?? []).map((i) => roster.groups[i].name).sort();
        out[email] = names.length > 0 ? names.join(", ") : "(no group)";
    }
    return out;
}

/** The key of `access` under which people the roster does not declare, but InVision has in its groups, are listed. */
export const KEPT_KEY = "(in these groups, not in the roster)";

/**
 * The people InVision has in the team's groups that the roster does not
 * declare, by email with their groups, from each group's state (in any
 * format it was written in): "none", or "zoe@example.com (Design),
 * x@example.com (Design, Ops)". A group this preview changes has no state
 * yet (the engine hands the program its new inputs, a members set, as its
 * outputs): it is named as known only after the change. Linear in the members.
 */
export function keptLine(groups: readonly { group: string; state: Partial<GroupState> | undefined }[]): string {
    const byPerson = new Map<string, string[]>();
    const pending: string[] = [];
    for (const g of groups) {
        // No state: not known at this preview (the group is being created or changed).
        if (g.state === undefined || (g.state.members !== undefined && !Array.isArray(g.state.members))) {
            pending.push(g.group);
            continue;
        }
        for (const m of membersInState(g.state).unmanaged) {
            const who = memberLabel(m);
            const list = byPerson.get(who) ?? [];
            list.push(g.group);
            byPerson.set(who, list);
        }
    }
    const known =
        byPerson.size === 0
            ? "none"
            : [...byPerson]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([who, names]) => `${who} (${names.sort().join(", ")})`)
                  .join(", ");
    return pending.length === 0 ? known : `${known}; known after this change is applied: ${pending.sort().join(", ")}`;
}

/** The directory of Pulumi.yaml; the program itself runs in the directory of `main`. */
function projectRoot(): string {
    try {
        return pulumi.getRootDirectory() || process.cwd();
    } catch {
        return process.cwd();
    }
}
