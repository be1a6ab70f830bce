import type { RemovalForm, ServerCapabilities } from "./capabilities";
import { CreatedNotVerifiedError, ScimError } from "./errors";
import type { ScimRequest, ScimResponse } from "./http";
import { createWithLookup, DEFAULT_CREATE_BUDGET_MS } from "./create-retry";
import { Listing, RECENT_MS, Snapshot } from "./listing";
import { filterLiteral, MEMBER_CHUNK, memberPatches, renamePatch } from "./patch";
import { isDialectRefusal, sendPatch } from "./patch-request";
import type { PeopleBook } from "./people";
import { FilteredLookup } from "./filtered";
import { GROUP_SCHEMA, ScimGroup, scimGroupSchema } from "./schemas";
import { enc, parse } from "./wire";

export interface GroupDeps {
    send: (req: ScimRequest) => Promise<ScimResponse>;
    capabilities: ServerCapabilities;
    listing: Listing<ScimGroup>;
    /** Names people in errors. Filled from users only: a member's `display` is a name ("Alice Ng", RFC 7643), not an email. */
    people: PeopleBook;
    warn?: (message: string) => void;
    /** Settles once the server's advertised capabilities are known (see client.ts). */
    ready?: () => Promise<void>;
    /** How long a create may keep trying after answers that may have been lost (invision:retryBudgetSeconds). */
    retryBudgetMs?: number;
}

/** A group whose members are known (possibly none). */
export type KnownGroup = ScimGroup & { members: { value: string; display?: string | null }[] };

export type GroupDeleteOutcome = "deleted" | "gone" | "emptied";

/** The server took a membership change and does not show it: names who still has (or lacks) access. */
export class MembershipNotAppliedError extends Error {
    override readonly name = "MembershipNotAppliedError";
    constructor(
        message: string,
        /** Ids that should have left the group and are still in it. */
        readonly stillIn: string[],
        readonly notAdded: string[],
    ) {
        super(message);
    }
}

/** InVision answered a group's create with success and kept nothing. */
class GroupNotStoredError extends Error {
    override readonly name = "GroupNotStoredError";
}

/** Members cannot be read at all: nothing may be decided from an absent list. */
export class MembersUnknownError extends Error {
    override readonly name = "MembersUnknownError";
}

export function membersOf(group: ScimGroup): string[] | undefined {
    return group.members ? group.members.map((m) => m.value) : undefined;
}

/**
 * InVision groups over SCIM. A group's `members` comes from a source that
 * shows them: an answer to GET /Groups/{id} (where an absent attribute means
 * none, RFC 7643 §2.5), or a list that carried them. Lists are allowed to
 * leave attributes out (servers built for Entra ID drop `members`), so a
 * listed group without `members` has members *unknown*, never none: it is
 * read by id, and where that is impossible the operation fails rather than
 * remove people, write a roster, or record state from an absent list.
 */
export class Groups {
    private readonly filter: FilteredLookup<ScimGroup>;

    constructor(private readonly d: GroupDeps) {
        this.filter = new FilteredLookup(d.send, d.capabilities, "groupFilter", "/Groups", "displayName", scimGroupSchema, (g) => g.displayName, d.ready);
    }

    /** From the server by id (or from the list where the server has no GET by id); undefined when gone. */
    async get(id: string): Promise<ScimGroup | undefined> {
        const caps = this.d.capabilities;
        if (caps.facts.groupGet !== "no") {
            try {
                const res = await this.d.send({ method: "GET", path: `/Groups/${enc(id)}` });
                const group = parse(scimGroupSchema, res.data, "group");
                caps.learn("groupGet", "yes", "GET /Groups/{id} answered");
                return { ...group, members: group.members ?? [] };
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.is(404) || e.is(405) || e.is(501))) throw e;
                // From a server known to answer GET /Groups/{id}, a 404 means gone.
                if (e.is(404) && caps.facts.groupGet === "yes") return undefined;
                // Otherwise a 404 means "gone" or "no such endpoint"; the list tells which.
                const listed = (await this.d.listing.all()).byId.get(id);
                if (listed || !e.is(404)) caps.learn("groupGet", "no", `GET /Groups/{id} answered ${e.status}; reading groups from the list`);
                return listed;
            }
        }
        // A fresh listing: this read decides a write or verifies one, so it must not predate our own changes.
        return (await this.d.listing.all()).byId.get(id);
    }

    /** A group with its members, or an error saying they cannot be read. Undefined when the group is gone. */
    async getWithMembers(id: string): Promise<KnownGroup | undefined> {
        const group = await this.get(id);
        if (!group) return undefined;
        return requireMembers(group);
    }

    /** For `pulumi refresh`: served from the shared listing once it pays; members the list leaves out are read by id. */
    async read(id: string): Promise<KnownGroup | undefined> {
        const hit = (await this.d.listing.serve())?.byId.get(id);
        if (hit?.members) return hit as KnownGroup;
        return this.getWithMembers(id);
    }

    /**
     * A group by name: the exact name if there is one, else the one name that
     * differs only in case (RFC 7643: displayName is not case-exact).
     */
    async find(displayName: string): Promise<KnownGroup | undefined> {
        await this.d.ready?.();
        let candidates: ScimGroup[];
        const snapshot = await this.d.listing.serve();
        if (snapshot) candidates = byName(snapshot, displayName);
        else {
            const found = this.d.capabilities.facts.groupFilter !== "no" ? await this.filtered(displayName) : "unsupported";
            candidates = found === "unsupported" ? byName(await this.d.listing.all(RECENT_MS), displayName) : found;
        }
        const group = pickByName(candidates, displayName);
        if (!group) return undefined;
        if (group.members) return group as KnownGroup;
        return this.getWithMembers(group.id);
    }

    /** After a 409 on create: the group exists, so look again without trusting a cached listing. */
    async findFresh(displayName: string): Promise<KnownGroup | undefined> {
        // The server says it exists: a filter's miss (a case-exact filter) is checked against a list made now.
        const group = (await this.lookupFresh(displayName)) ?? pickByName(byName(await this.d.listing.all(0), displayName), displayName);
        if (!group) return undefined;
        return group.members ? (group as KnownGroup) : this.getWithMembers(group.id);
    }

    /** Everything, fresh, with members (export). */
    async listAll(): Promise<KnownGroup[]> {
        const all = [...(await this.d.listing.all()).byId.values()];
        const out: KnownGroup[] = [];
        for (const g of all) {
            const known = g.members ? (g as KnownGroup) : await this.getWithMembers(g.id);
            if (known) out.push(known);
        }
        return out;
    }

    /**
     * Creates a group with its members and returns it as the server holds it.
     * A POST whose answer was lost is resolved by a lookup before any retry.
     * Members the server did not take on create are added with a PATCH, and
     * the result is verified like any membership change.
     */
    async create(displayName: string, members: readonly string[]): Promise<KnownGroup> {
        const body = { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) };
        const outcome = await createWithLookup(
            () => this.d.send({ method: "POST", path: "/Groups", body }),
            () => this.lookupFresh(displayName),
            this.d.retryBudgetMs ?? DEFAULT_CREATE_BUDGET_MS,
        );
        const id = "found" in outcome ? outcome.found.id : await this.idFromCreateAnswer(outcome.posted, displayName);
        try {
            return await this.completeCreate(id, displayName, members);
        } catch (e) {
            // A group the read-back does not find was not created (SSO inactive): nothing to name.
            if (e instanceof GroupNotStoredError) throw e;
            throw new CreatedNotVerifiedError("group", displayName, id, e);
        }
    }

    /** After the POST: the read-back, and the members the create left out. */
    private async completeCreate(id: string, displayName: string, members: readonly string[]): Promise<KnownGroup> {
        const stored = await this.getWithMembers(id);
        if (!stored) {
            throw new GroupNotStoredError(
                `InVision answered the creation of group ${displayName} with success (id ${id}) but does not have it. ` +
                    `This is how InVision fails when SAML SSO is not active for the team or the SCIM token was generated before SSO was on: activate SSO, generate a new token, and run \`pulumi up\` again.`,
            );
        }
        this.d.listing.put(stored);
        const have = new Set(stored.members.map((m) => m.value));
        const missing = members.filter((m) => !have.has(m));
        if (missing.length === 0) return stored;
        this.d.warn?.(`InVision created group '${displayName}' without ${missing.length} of its members; adding them now`);
        return this.changeMembers(stored.id, missing, [], displayName);
    }

    private async idFromCreateAnswer(res: ScimResponse, displayName: string): Promise<string> {
        if (res.data !== undefined) return parse(scimGroupSchema, res.data, "created group").id;
        if (res.location) return decodeURIComponent(res.location.replace(/\/+$/, "").split("/").pop() ?? "");
        const found = await this.lookupFresh(displayName);
        if (!found) throw new Error(`InVision answered the creation of group ${displayName} with ${res.status} and no body, and the group cannot be found afterwards.`);
        return found.id;
    }

    async rename(id: string, displayName: string): Promise<void> {
        // The listing learns the new name from the read-back that verifies it (changeMembers), not from our hope.
        await sendPatch(this.d.send, this.d.capabilities, `/Groups/${enc(id)}`, (opCase) => renamePatch(displayName, opCase));
        this.d.listing.drop(id);
    }

    /**
     * Adds and removes exactly these members, then reads the group back and
     * returns it. Throws, naming the people, when the server does not show
     * the change: a server that answers 200 and changes nothing must never
     * leave a removed person with access behind a clean diff.
     */
    async changeMembers(id: string, add: readonly string[], remove: readonly string[], groupName?: string): Promise<KnownGroup> {
        if (add.length > 0) {
            for (const ops of memberPatches(add, [], MEMBER_CHUNK, this.dialect())) await this.patchMembers(id, ops);
        }
        for (let i = 0; i < remove.length; i += MEMBER_CHUNK) await this.removeChunk(id, remove.slice(i, i + MEMBER_CHUNK));
        if (add.length === 0 && remove.length === 0) {
            const live = await this.getWithMembers(id);
            if (!live) throw new ScimError(`InVision group ${groupName ?? id} no longer exists`, 404, undefined, "GET", `/Groups/${id}`);
            return live;
        }
        try {
            return await this.verify(id, add, remove, groupName);
        } catch (e) {
            // A server may answer 200 to the removal spelling it does not
            // understand and remove nobody. Try the other spelling once for
            // whoever is still in; the read-back decides again.
            if (!(e instanceof MembershipNotAppliedError) || e.stillIn.length === 0 || e.notAdded.length > 0) throw e;
            const caps = this.d.capabilities;
            const tried = caps.facts.removalForm;
            const other: RemovalForm = tried === "filter-path" ? "value-list" : "filter-path";
            for (let i = 0; i < e.stillIn.length; i += MEMBER_CHUNK) await this.removeIn(id, e.stillIn.slice(i, i + MEMBER_CHUNK), other);
            const verified = await this.verify(id, add, remove, groupName);
            caps.learn("removalForm", other, `removals as ${tried} were answered with success and not applied; ${other} was`);
            return verified;
        }
    }

    /** One chunk of removals, in the spelling the server takes; after a 400, the other spelling once. */
    private async removeChunk(id: string, chunk: string[]): Promise<void> {
        const caps = this.d.capabilities;
        const form = caps.facts.removalForm;
        const sendIn = (f: RemovalForm) => this.removeIn(id, chunk, f);
        try {
            await sendIn(form);
        } catch (e) {
            if (!isDialectRefusal(e)) throw e;
            const other: RemovalForm = form === "filter-path" ? "value-list" : "filter-path";
            try {
                await sendIn(other);
            } catch (e2) {
                if (isDialectRefusal(e2)) throw e;
                throw e2;
            }
            caps.learn("removalForm", other, `removing members as ${form} was refused with 400; ${other} was taken`);
        }
    }

    /**
     * Removes these members (at most one chunk) in one form. A strict server
     * answers a removal of someone already gone (a replayed PATCH, or someone
     * else removed them between our read and our PATCH) with 400 noTarget,
     * and refuses the whole PATCH (RFC 7644 §3.5.2: a PATCH is atomic), so
     * the others are still in: each is then removed on its own, where a
     * noTarget means just that one is gone. The read-back that follows
     * decides whether the change holds; a noTarget says nothing about the form.
     */
    private async removeIn(id: string, ids: readonly string[], form: RemovalForm): Promise<void> {
        const dialect = { removalForm: form, opCase: this.d.capabilities.facts.opCase };
        const send = async (some: readonly string[]): Promise<"noTarget" | undefined> => {
            for (const ops of memberPatches([], some, MEMBER_CHUNK, dialect)) {
                try {
                    await this.patchMembers(id, ops);
                } catch (e) {
                    if (e instanceof ScimError && e.is(400) && e.scimType === "noTarget") return "noTarget";
                    throw e;
                }
            }
            return undefined;
        };
        if ((await send(ids)) === "noTarget" && ids.length > 1) for (const one of ids) await send([one]);
    }

    private async patchMembers(id: string, ops: ReturnType<typeof memberPatches>[number]): Promise<void> {
        await sendPatch(this.d.send, this.d.capabilities, `/Groups/${enc(id)}`, (opCase) =>
            ops.map((op) => ({ ...op, op: (opCase === "lower" ? op.op.toLowerCase() : op.op[0].toUpperCase() + op.op.slice(1).toLowerCase()) as typeof op.op })),
        );
    }

    private async verify(id: string, add: readonly string[], remove: readonly string[], groupName?: string): Promise<KnownGroup> {
        const live = await this.get(id);
        const name = groupName ?? live?.displayName ?? id;
        if (!live) throw new ScimError(`InVision group '${name}' disappeared while its members were being changed`, 404, undefined, "GET", `/Groups/${id}`);
        if (!live.members) {
            throw new MembersUnknownError(
                `InVision took the membership change of group '${name}' but shows its members nowhere (no GET /Groups/{id}, and its lists leave members out), so the change cannot be verified. Check the group in InVision's admin console.`,
            );
        }
        const known = live as KnownGroup;
        this.d.listing.put(known);
        const have = new Set(known.members.map((m) => m.value));
        const stillIn = remove.filter((m) => have.has(m));
        const notAdded = add.filter((m) => !have.has(m));
        if (stillIn.length === 0 && notAdded.length === 0) return known;
        const names = (ids: string[]) => ids.map((m) => this.d.people.name(m)).join(", ");
        const problems = [
            stillIn.length ? `${names(stillIn)} still ${stillIn.length === 1 ? "has" : "have"} access through it (removal not applied)` : "",
            notAdded.length ? `${names(notAdded)} ${notAdded.length === 1 ? "was" : "were"} not added` : "",
        ].filter(Boolean);
        throw new MembershipNotAppliedError(
            `InVision answered the membership change of group '${name}' (id ${id}) with success but does not show it: ${problems.join("; ")}. ` +
                `InVision now has ${known.members.length} member(s) in it. This is how InVision behaves when SAML SSO is not active, or when it ignores this form of PATCH; ` +
                `nothing was recorded as done, so the next \`pulumi up\` tries again.`,
            stillIn,
            notAdded,
        );
    }

    /**
     * Deletes a group. Where InVision has no group DELETE, the group is emptied
     * and kept (nobody keeps access through it), and the caller is told.
     */
    async delete(id: string): Promise<GroupDeleteOutcome> {
        const caps = this.d.capabilities;
        if (caps.facts.groupDelete !== "no") {
            try {
                await this.d.send({ method: "DELETE", path: `/Groups/${enc(id)}` });
                this.d.listing.drop(id);
                caps.learn("groupDelete", "yes", "DELETE /Groups/{id} answered");
                return "deleted";
            } catch (e) {
                if (!(e instanceof ScimError) || !(e.is(404) || e.is(405) || e.is(501))) throw e;
                if (e.is(404) && !(await this.get(id))) return "gone";
                caps.learn("groupDelete", "no", `DELETE /Groups/{id} answered ${e.status}; deleted groups are emptied and kept`);
            }
        }
        const group = await this.getWithMembers(id);
        if (!group) return "gone";
        await this.changeMembers(id, [], group.members.map((m) => m.value), group.displayName);
        this.d.warn?.(`InVision cannot delete groups over SCIM: group '${group.displayName}' (${id}) was emptied and kept. Remove it in InVision's admin console if it should go.`);
        return "emptied";
    }

    /**
     * Ids of members, in any listed group that shows members, that `listed`
     * (a user listing made just now) does not show: the users a server hides.
     * A member's `display` is a human-readable name (RFC 7643), never an
     * email, so who they are is read by id by the caller.
     */
    async memberIdsNotIn(listed: ReadonlySet<string>): Promise<string[]> {
        const snapshot = await this.d.listing.all(RECENT_MS);
        const ids = new Set<string>();
        for (const g of snapshot.byId.values()) for (const m of g.members ?? []) if (!listed.has(m.value)) ids.add(m.value);
        return [...ids];
    }

    private dialect() {
        return { removalForm: this.d.capabilities.facts.removalForm, opCase: this.d.capabilities.facts.opCase };
    }

    private async lookupFresh(displayName: string): Promise<ScimGroup | undefined> {
        const found = this.d.capabilities.facts.groupFilter !== "no" ? await this.filtered(displayName) : "unsupported";
        // After a 409 or a lost answer the group exists or may: only a listing made now can show it.
        const candidates = found === "unsupported" ? byName(await this.d.listing.all(0), displayName) : found;
        return pickByName(candidates, displayName);
    }

    private filtered(displayName: string): Promise<ScimGroup[] | "unsupported"> {
        return this.filter.query(displayName, filterLiteral(displayName));
    }

}

/** A group with members, or the error that says nothing can be decided about them. */
export function requireMembers(group: ScimGroup): KnownGroup {
    if (group.members) return group as KnownGroup;
    throw new MembersUnknownError(
        `InVision does not show the members of group '${group.displayName}' (id ${group.id}): its lists leave members out and it does not answer GET /Groups/{id}. ` +
            `Refusing to decide anything about this group's members from an absent list (that could remove everyone). Ask InVision Support whether GET /Groups/{id} can be enabled.`,
    );
}

/** The exact name if there is one, else the one name that differs only in case (RFC 7643: displayName is not case-exact). */
function pickByName(candidates: ScimGroup[], displayName: string): ScimGroup | undefined {
    return candidates.find((g) => g.displayName === displayName) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

function byName(snapshot: Snapshot<ScimGroup>, displayName: string): ScimGroup[] {
    return snapshot.byName.get(displayName.toLowerCase()) ?? [];
}
