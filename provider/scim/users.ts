import type { ServerCapabilities } from "./capabilities";
import { CreatedNotVerifiedError, ScimError } from "./errors";
import type { ScimRequest, ScimResponse } from "./http";
import { createWithLookup, DEFAULT_CREATE_BUDGET_MS } from "./create-retry";
import { Listing, RECENT_MS, Snapshot } from "./listing";
import { filterLiteral, ProfileChange, userBody, userPatch } from "./patch";
import { sendPatch } from "./patch-request";
import type { PeopleBook } from "./people";
import { FilteredLookup } from "./filtered";
import { ScimUser, scimUserSchema, UserProfile } from "./schemas";
import { enc, parse } from "./wire";

export interface UserDeps {
    send: (req: ScimRequest) => Promise<ScimResponse>;
    capabilities: ServerCapabilities;
    listing: Listing<ScimUser>;
    people: PeopleBook;
    /** Ids of group members that `listed` does not show: a last way to find a user the lists hide (read by id). */
    hiddenMemberIds?: (listed: ReadonlySet<string>) => Promise<string[]>;
    log?: (line: string) => void;
    /** Settles once the server's advertised capabilities are known (see client.ts). */
    ready?: () => Promise<void>;
    /** How long a create may keep trying after answers that may have been lost (invision:retryBudgetSeconds). */
    retryBudgetMs?: number;
}

/** InVision answered a create with success and kept nothing. */
export class SilentFailureError extends Error {
    override readonly name = "SilentFailureError";
}

/** How a user was found after a POST said 409: for the log, and to learn what the server does. */
type Found = ScimUser | undefined;

/**
 * InVision users over SCIM: lookup, create, patch, delete. Every write is
 * checked against what the server then holds (see `confirmStored` and
 * `patch`); a lookup's miss is never taken as proof that a user does not
 * exist (the POST's 409 is).
 */
export class Users {
    /** Settles when the first create's read-back has said whether answers can be trusted. */
    private answersVerdict?: Promise<void>;
    private readonly filter: FilteredLookup<ScimUser>;
    /** Optional fields that a read-back has shown the server keeps as it answers: only answers about these are trusted. */
    private readonly vouched = new Set<string>();

    constructor(private readonly d: UserDeps) {
        this.filter = new FilteredLookup(d.send, d.capabilities, "userFilter", "/Users", "userName", scimUserSchema, (u) => u.userName, d.ready);
    }

    /** From the server, by id; undefined on 404. */
    async get(id: string): Promise<ScimUser | undefined> {
        try {
            return this.seen(parse(scimUserSchema, (await this.d.send({ method: "GET", path: `/Users/${enc(id)}` })).data, "user"));
        } catch (e) {
            if (e instanceof ScimError && e.is(404)) return undefined;
            throw e;
        }
    }

    /**
     * For `pulumi refresh`: served from the shared listing once it pays for
     * itself. A user missing from the listing is read by id before being
     * declared gone (servers may hide deactivated users from lists).
     */
    async read(id: string): Promise<ScimUser | undefined> {
        const hit = (await this.d.listing.serve())?.byId.get(id);
        return hit ?? this.get(id);
    }

    /** Case-insensitive, as InVision treats emails. A miss may be wrong (case-exact filters, hidden users): create's 409 path settles it. */
    async find(userName: string): Promise<ScimUser | undefined> {
        await this.d.ready?.();
        const snapshot = await this.d.listing.serve();
        if (snapshot) return matchName(snapshot, userName);
        if (this.d.capabilities.facts.userFilter !== "no") {
            const found = await this.filtered(userName);
            if (found !== "unsupported") return found;
        }
        return matchName(await this.d.listing.all(RECENT_MS), userName);
    }

    /**
     * Someone a program names by email, who must exist (a group's member). A
     * filter's miss is not trusted while the filter may match case exactly
     * (`Dana+Design@example.com` against `dana+design@example.com`): the
     * run's listing settles it, once, and teaches the process which it is.
     */
    async findPerson(userName: string): Promise<ScimUser | undefined> {
        const hit = await this.find(userName);
        if (hit || this.d.capabilities.facts.userFilter === "no" || this.d.capabilities.facts.userFilterCaseExact === "no") return hit;
        const listed = matchName(await this.d.listing.all(RECENT_MS), userName);
        if (listed && listed.userName !== userName) {
            this.d.capabilities.learn("userFilterCaseExact", "yes", `userName eq ${filterLiteral(userName)} missed ${listed.userName}, which the list shows`);
        }
        return listed;
    }

    /**
     * After a POST answered 409: the user exists, so find it by every means
     * there is, and learn why the lookup missed it.
     */
    async findAfterConflict(userName: string): Promise<Found> {
        const caps = this.d.capabilities;
        let filterMissed = false;
        if (caps.facts.userFilter !== "no") {
            const hit = await this.filtered(userName);
            if (hit !== "unsupported" && hit) return hit;
            filterMissed = hit === undefined;
        }
        // The server says it exists: only a listing made now is worth asking (someone may have just created it).
        const snapshot = await this.d.listing.all(0);
        const listed = matchName(snapshot, userName);
        if (listed) {
            if (filterMissed) caps.learn("userFilterCaseExact", "yes", `userName eq ${filterLiteral(userName)} missed ${listed.userName}, which the list shows`);
            return listed;
        }
        // Not in any list: the server hides it (deactivated users, on some servers). Readable by id only:
        // the id this process knows for the email, else members of groups whose ids no user list shows.
        const known = this.d.people.idOf(userName);
        const hidden = (await this.d.hiddenMemberIds?.(new Set(snapshot.byId.keys()))) ?? [];
        // Ids already known to belong to someone else are not read again.
        const candidates = [known, ...hidden.filter((id) => this.d.people.emailOf(id) === undefined)].filter((x): x is string => !!x);
        for (const id of new Set(candidates)) {
            const user = await this.get(id);
            if (user && user.userName.toLowerCase() === userName.toLowerCase()) {
                caps.learn("inactiveUsersHidden", user.active === false ? "yes" : caps.facts.inactiveUsersHidden, `${userName} exists (409) but no list or filter shows it; found by id ${id}`);
                return user;
            }
        }
        return undefined;
    }

    /**
     * Creates a user and returns what the server holds. A POST whose answer
     * was lost (timeout, reset, 5xx) may have created the user, so before
     * trying again the user is looked up: a crash or a dropped connection
     * never leaves a duplicate behind.
     */
    async create(profile: UserProfile): Promise<ScimUser> {
        const outcome = await createWithLookup(
            () => this.d.send({ method: "POST", path: "/Users", body: userBody(profile) }),
            () => this.lookupFresh(profile.userName),
            this.d.retryBudgetMs ?? DEFAULT_CREATE_BUDGET_MS,
        );
        // Found after a lost answer: read from the server just now, nothing to confirm.
        if ("found" in outcome) return this.remembered(outcome.found);
        const res = outcome.posted;
        if (res.data === undefined) return this.remembered(await this.fromEmptyAnswer(res, profile.userName));
        const answered = this.seen(parse(scimUserSchema, res.data, "created user"));
        try {
            return this.remembered(await this.confirmStored(answered, profile));
        } catch (e) {
            // A read-back that shows no such user says the create did not land (SSO inactive): nothing to name.
            if (e instanceof SilentFailureError) throw e;
            throw new CreatedNotVerifiedError("user", profile.userName, answered.id, e);
        }
    }

    /** A 201 may carry only a Location, or nothing at all: what the server holds is then read from it. */
    private async fromEmptyAnswer(res: ScimResponse, userName: string): Promise<ScimUser> {
        const id = res.location ? decodeURIComponent(res.location.replace(/\/+$/, "").split("/").pop() ?? "") : "";
        const found = id ? await this.get(id) : await this.lookupFresh(userName);
        if (!found) {
            throw new SilentFailureError(
                `InVision answered the creation of user ${userName} with ${res.status} and no body, and the user cannot be found afterwards. ` +
                    SSO_ADVICE,
            );
        }
        return found;
    }

    /** Our own create: the shared listing shows it from now on, so a later lookup does not miss it. */
    private remembered(user: ScimUser): ScimUser {
        this.d.listing.put(user);
        return user;
    }

    /**
     * Whether the server keeps what it says it created. A tenant that
     * silently stores nothing (SSO inactive) is a tenant-wide condition, so
     * the first create of a process is read back and compared with the
     * answer; every other create waits for that verdict. If the answer and
     * the stored user agree, later answers are trusted; if not, every create
     * is read back. The cost does not grow with the number of users.
     */
    private async confirmStored(answered: ScimUser, profile: UserProfile): Promise<ScimUser> {
        const caps = this.d.capabilities;
        if (caps.facts.answersMatchStore.user === "unknown" && this.answersVerdict) await this.answersVerdict.catch(() => undefined);
        if (caps.facts.answersMatchStore.user === "yes" && optionalFields(profile).every((k) => this.vouched.has(k))) return answered;
        const first = caps.facts.answersMatchStore.user === "unknown" && !this.answersVerdict;
        const check = this.readBack(answered, profile);
        // Waiters only need to know the verdict is in; each handles its own outcome.
        if (first) this.answersVerdict = check.then(() => undefined, () => undefined);
        return check;
    }

    private async readBack(answered: ScimUser, profile: UserProfile): Promise<ScimUser> {
        const stored = await this.get(answered.id);
        if (!stored || stored.userName.toLowerCase() !== profile.userName.toLowerCase()) {
            throw new SilentFailureError(
                `InVision answered the creation of user ${profile.userName} with success (id ${answered.id}) but does not have it. ` + SSO_ADVICE,
            );
        }
        const same = sameUser(answered, stored);
        if (same) optionalFields(profile).forEach((k) => this.vouched.add(k));
        // A verdict covers only the fields its create declared: a later create with another field may still disagree.
        if (this.d.capabilities.facts.answersMatchStore.user === "unknown" || !same) {
            this.d.capabilities.learnAnswers("user", same ? "yes" : "no", same ? `created ${profile.userName} and read it back` : `the answer to creating ${profile.userName} differs from what was stored`);
        }
        return stored;
    }

    /**
     * Applies a change and returns the user as the server then holds it. The
     * answer is not taken for the result: servers answer 204, or 200 with the
     * old values (InVision V7 with name edits, InVision without SSO), so the
     * user is read back and the caller compares it with the declaration.
     */
    async patch(id: string, change: ProfileChange): Promise<ScimUser> {
        if (userPatch(change).length > 0) {
            await sendPatch(this.d.send, this.d.capabilities, `/Users/${enc(id)}`, (opCase) => userPatch(change, opCase));
        }
        const stored = await this.get(id);
        if (!stored) throw new ScimError(`InVision user ${this.d.people.name(id)} disappeared while it was being updated`, 404, undefined, "GET", `/Users/${id}`);
        this.d.listing.put(stored);
        return stored;
    }

    /** Permanent deletion. 404 counts as done; a refusal explains what to do instead. */
    async delete(id: string): Promise<void> {
        try {
            await this.d.send({ method: "DELETE", path: `/Users/${enc(id)}` });
        } catch (e) {
            if (!(e instanceof ScimError)) throw e;
            if (e.is(404)) return this.d.listing.drop(id);
            if (e.is(405) || e.is(501) || e.is(403) || e.is(400)) {
                throw new ScimError(
                    `InVision refused to delete user ${this.d.people.name(id)} (${e.status}): permanent deletion of a user's data goes through InVision Support. ` +
                        `Use onDelete: "deactivate" (the default) to remove access and keep the data, or "retain" to leave the user untouched.`,
                    e.status,
                    e.scimType,
                    e.method,
                    e.path,
                );
            }
            throw e;
        }
        this.d.listing.drop(id);
    }

    /** Everything, fresh (export). */
    async listAll(): Promise<ScimUser[]> {
        return [...(await this.d.listing.all()).byId.values()];
    }

    /** A lookup that does not trust a listing older than a minute: after a lost POST. */
    private async lookupFresh(userName: string): Promise<ScimUser | undefined> {
        if (this.d.capabilities.facts.userFilter !== "no") {
            const hit = await this.filtered(userName);
            if (hit !== "unsupported") return hit ?? matchName(this.d.listing.current(), userName);
        }
        return matchName(await this.d.listing.all(0), userName);
    }

    private async filtered(userName: string): Promise<ScimUser | undefined | "unsupported"> {
        const items = await this.filter.query(userName, filterLiteral(userName));
        if (items === "unsupported") return items;
        items.forEach((u) => this.seen(u));
        return items.find((u) => u.userName === userName) ?? items[0];
    }

    private seen(user: ScimUser): ScimUser {
        this.d.people.note(user.id, user.userName);
        return user;
    }
}

const SSO_ADVICE =
    "This is how InVision fails when SAML SSO is not active for the team or the SCIM token was generated before SSO was on: activate SSO, generate a new token, and run `pulumi up` again.";

function matchName(snapshot: Snapshot<ScimUser> | undefined, userName: string): ScimUser | undefined {
    const hits = snapshot?.byName.get(userName.toLowerCase()) ?? [];
    return hits.find((u) => u.userName === userName) ?? hits[0];
}

/** The optional fields a create declares (userName and active are always sent). */
function optionalFields(profile: UserProfile): string[] {
    return (["givenName", "familyName", "displayName", "externalId"] as const).filter((k) => profile[k] !== undefined);
}

/** The fields a declaration can set, compared between an answer and a read-back. */
function sameUser(a: ScimUser, b: ScimUser): boolean {
    const view = (u: ScimUser) =>
        JSON.stringify([u.userName.toLowerCase(), u.name?.givenName ?? null, u.name?.familyName ?? null, u.displayName ?? null, u.active ?? true, u.externalId ?? null]);
    return view(a) === view(b);
}
