import type { Budget } from "../safety/guard";
import type { GroupDeleteOutcome, KnownGroup, ScimClient } from "../scim/client";
import type { ScimUser, UserProfile } from "../scim/schemas";
import type { UserWrite } from "./user-plan";

/**
 * The one place that writes to InVision. Every POST, PATCH and DELETE a
 * resource sends goes through here, and each entry takes a piece of a plan
 * (plan/user-plan.ts, plan/group-plan.ts; a create's declaration; a delete's
 * state), never a free-form change: what is sent is what the plan says, less
 * what InVision already has. A write outside the plan cannot be added without
 * changing this file. (test/unit/writes-only-here.test.ts checks that no other
 * module calls the client's write methods.)
 *
 * Before anything that takes access away, the deletion guard is asked, on
 * what really leaves (decided on the live object), so a refusal sends nothing.
 */

export interface Rails {
    /** Throws, with nothing sent, past the run's bound. */
    reserve(budget: Budget, count: number, what: string): void;
    warn(message: string): void;
}

export class Writes {
    constructor(
        private readonly scim: ScimClient,
        private readonly rails: Rails,
    ) {}

    /** A create plan: a new account as declared. */
    createUser(profile: UserProfile): Promise<ScimUser> {
        return this.scim.users.create(profile);
    }

    /**
     * A plan's profile change on the live user: only the fields InVision does
     * not have already. Deactivating an active account asks the guard first.
     * Returns the user as InVision then has it (read back).
     */
    async patchUser(id: string, who: string, planned: UserWrite, live: ScimUser, why: string): Promise<ScimUser> {
        const write = notYetTrue(planned, live);
        if (Object.keys(write).length === 0) return live;
        if (write.active === false) {
            this.rails.reserve("deactivations", 1, `deactivating user ${who}`);
            this.rails.warn(`deactivating user ${who}: ${why}`);
        }
        if (write.active === true) this.rails.warn(`reactivating user ${who}: ${why}`);
        if (write.userName !== undefined) this.rails.warn(`changing the email of user ${live.userName} back to ${write.userName}: ${why}`);
        return this.scim.users.patch(id, write);
    }

    /** A delete plan for a user: deactivate (the default) or delete. Counted by the guard. */
    async deactivateUser(id: string, who: string, why: string): Promise<ScimUser | "gone"> {
        this.rails.reserve("deactivations", 1, `deactivating user ${who}`);
        this.rails.warn(`deactivating user ${who}: ${why}`);
        return this.scim.users.patch(id, { active: false }).catch((e: unknown) => {
            if (isNotFound(e)) return "gone" as const;
            throw e;
        });
    }

    async deleteUser(id: string, who: string, why: string): Promise<void> {
        this.rails.reserve("deactivations", 1, `deleting user ${who}`);
        this.rails.warn(`deleting user ${who}: ${why}`);
        await this.scim.users.delete(id);
    }

    /** A create plan for a group: the group with its declared members (verified by read-back). */
    createGroup(displayName: string, memberIds: readonly string[]): Promise<KnownGroup> {
        return this.scim.groups.create(displayName, memberIds);
    }

    /**
     * A plan's group change on the live group: the rename if InVision does not
     * have the name, the planned members it does not have, and the planned
     * removals it still has (guarded, named). Returns the group read back.
     */
    async changeGroup(
        live: KnownGroup,
        planned: { rename?: string; add: readonly string[]; remove: readonly { id: string; label: string }[] },
        name: string,
    ): Promise<KnownGroup> {
        const present = new Set(live.members.map((m) => m.value));
        const add = [...new Set(planned.add.filter((id) => !present.has(id)))];
        const leaving = planned.remove.filter((m) => present.has(m.id) && !planned.add.includes(m.id));
        // Counted on what really leaves, before any write of this group: a refusal leaves it exactly as it was.
        this.rails.reserve("membershipRemovals", leaving.length, `removing ${leaving.length} member(s) from group '${name}' (${leaving.map((m) => m.label).join(", ")})`);
        if (leaving.length > 0) this.rails.warn(`group '${name}': removing ${leaving.length} member(s): ${leaving.map((m) => m.label).join(", ")}`);
        const renamed = planned.rename !== undefined && live.displayName !== planned.rename;
        if (renamed) await this.scim.groups.rename(live.id, planned.rename!);
        if (add.length === 0 && leaving.length === 0 && !renamed) return live;
        return this.scim.groups.changeMembers(live.id, add, leaving.map((m) => m.id), name);
    }

    /** A delete plan for a group: every live member loses the access it gave them, counted and named first. */
    async deleteGroup(live: KnownGroup, members: readonly { id: string; label: string }[]): Promise<GroupDeleteOutcome> {
        this.rails.reserve("membershipRemovals", members.length, `deleting group '${live.displayName}', which removes ${members.length} member(s) (${members.map((m) => m.label).join(", ")})`);
        if (members.length > 0) {
            this.rails.warn(`deleting group '${live.displayName}': ${members.length} member(s) lose the access it gave them: ${members.map((m) => m.label).join(", ")}`);
        }
        return this.scim.groups.delete(live.id);
    }
}

const FIELDS = ["userName", "givenName", "familyName", "displayName", "externalId", "active"] as const;

/** The part of a planned change InVision does not have yet. */
export function notYetTrue(planned: UserWrite, live: ScimUser): UserWrite {
    const now: UserWrite = {
        userName: live.userName,
        givenName: live.name?.givenName ?? undefined,
        familyName: live.name?.familyName ?? undefined,
        displayName: live.displayName ?? undefined,
        externalId: live.externalId ?? undefined,
        active: live.active ?? true,
    };
    const out: UserWrite = {};
    for (const k of FIELDS) {
        const want = planned[k];
        if (want === undefined) continue;
        if (now[k] !== want) (out as Record<string, unknown>)[k] = want;
    }
    return out;
}

function isNotFound(e: unknown): boolean {
    return typeof e === "object" && e !== null && (e as { status?: number }).status === 404;
}
