import { ServerCapabilities } from "./capabilities";
import { ScimError } from "./errors";
import { Groups } from "./groups";
import { ScimRequest, ScimTransport, TransportOptions } from "./http";
import { Listing } from "./listing";
import { DEFAULT_PAGE_SIZE, Page } from "./pagination";
import { PeopleBook } from "./people";
import { listResponseSchema, ScimGroup, scimGroupSchema, ScimUser, scimUserSchema, serviceProviderConfigSchema } from "./schemas";
import { Users } from "./users";
import { parse } from "./wire";

export { GroupDeleteOutcome, KnownGroup, MembershipNotAppliedError, MembersUnknownError, membersOf, requireMembers } from "./groups";
export { SilentFailureError } from "./users";

export interface ClientOptions extends TransportOptions {
    pageSize?: number;
    /** Warnings a person should see (a fallback used, an object kept). */
    warn?: (message: string) => void;
    /** Shared with the provider process, which also learns who is who from state. */
    people?: PeopleBook;
}

/**
 * InVision's SCIM API as typed operations. The parts, one job each:
 *  - http.ts: one request (auth, media type, timeout, retries, errors)
 *  - capabilities.ts: what the server can do, learned once per process
 *  - listing.ts: the shared listings of the whole tenant (the only place that lists it)
 *  - users.ts, groups.ts: the operations, with a fallback for every dialect and a read-back for every write
 */
export class ScimClient {
    readonly capabilities: ServerCapabilities;
    readonly people: PeopleBook;
    readonly users: Users;
    readonly groups: Groups;
    readonly userListing: Listing<ScimUser>;
    readonly groupListing: Listing<ScimGroup>;
    private readonly transport: ScimTransport;
    private hinted?: Promise<void>;

    constructor(options: ClientOptions) {
        this.transport = new ScimTransport(options);
        this.capabilities = new ServerCapabilities(options.pageSize ?? DEFAULT_PAGE_SIZE, options.log);
        this.people = options.people ?? new PeopleBook();
        const send = (req: ScimRequest) => this.send(req);
        const ready = () => this.hints();
        this.userListing = new Listing("user", (s, c) => this.page("/Users", scimUserSchema, s, c), (u) => u.userName, this.capabilities);
        this.groupListing = new Listing("group", (s, c) => this.page("/Groups", scimGroupSchema, s, c), (g) => g.displayName, this.capabilities);
        const retryBudgetMs = options.retryBudgetSeconds === undefined ? undefined : options.retryBudgetSeconds * 1000;
        this.groups = new Groups({ send, capabilities: this.capabilities, listing: this.groupListing, people: this.people, warn: options.warn, ready, retryBudgetMs });
        this.users = new Users({
            send,
            capabilities: this.capabilities,
            listing: this.userListing,
            people: this.people,
            hiddenMemberIds: (listed) => this.groups.memberIdsNotIn(listed),
            log: options.log,
            ready,
            retryBudgetMs,
        });
    }

    /**
     * Every request goes through here. The first one of a process asks
     * /ServiceProviderConfig what the server claims to support: a hint that
     * picks the first strategy (the answers then settle it), for one request.
     */
    private async send(req: ScimRequest) {
        await this.hints();
        return this.transport.send(req);
    }

    /** The /ServiceProviderConfig probe, once; a probe that failed unexpectedly is not kept, so the next request tries again. */
    private hints(): Promise<void> {
        if (!this.hinted) {
            const probe = this.readServiceProviderConfig();
            this.hinted = probe;
            probe.catch(() => {
                if (this.hinted === probe) this.hinted = undefined;
            });
        }
        return this.hinted;
    }

    private async readServiceProviderConfig(): Promise<void> {
        try {
            const res = await this.transport.send({ method: "GET", path: "/ServiceProviderConfig" });
            const spc = serviceProviderConfigSchema.safeParse(res.data);
            if (spc.success) this.capabilities.hint(spc.data);
        } catch (e) {
            // Absent (404) or refused: no hints. Anything else (a wrong token,
            // an unreachable host) will say so again on the real request.
            if (!(e instanceof ScimError)) throw e;
        }
    }

    private async page<T extends { id: string }>(path: string, schema: import("zod").ZodType<T>, startIndex: number, count: number): Promise<Page<T>> {
        const res = await this.send({ method: "GET", path, query: { startIndex, count } });
        const body = parse(listResponseSchema(schema), res.data, "list");
        const items = (body.Resources ?? []) as T[];
        return { items, totalResults: body.totalResults };
    }
}
