import type { PagingFacts } from "./pagination";
import type { ServiceProviderConfig } from "./schemas";

/**
 * What this provider process knows about the SCIM server it talks to: the one
 * place a newcomer reads to see which dialect the client is speaking.
 *
 * InVision documents its SCIM service only in outline, and servers built for
 * Okta, Entra ID or OneLogin each answer differently. So every fact starts
 * "unknown", may get a hint from /ServiceProviderConfig (which servers are
 * known to get wrong), and is settled by the answers the server actually
 * gives. A fact settled by an answer is never overridden by a hint.
 */
export type Verdict = "unknown" | "yes" | "no";

export type RemovalForm = "filter-path" | "value-list";
export type OpCase = "lower" | "capitalised";

export interface ServerFacts {
    /** `GET /Users?filter=userName eq "…"` is honoured. */
    userFilter: Verdict;
    groupFilter: Verdict;
    /** The userName filter matches only the exact letter case (a miss is not proof of absence). */
    userFilterCaseExact: Verdict;
    /** Deactivated users are missing from lists and filters (readable only by id). */
    inactiveUsersHidden: Verdict;
    /** Group lists carry `members` (if not, a listed group's members are unknown, not empty). */
    groupListsCarryMembers: Verdict;
    groupGet: Verdict;
    groupDelete: Verdict;
    /** How a member removal is spelled; the other form is tried after a 400. */
    removalForm: RemovalForm;
    /** How PATCH op names are spelled; the other spelling is tried after a 400. */
    opCase: OpCase;
    /** A write's answer (the resource in the body) matched what a read-back then found. */
    answersMatchStore: { user: Verdict; group: Verdict };
    paging: PagingFacts;
}

/** Where a fact came from, for the log line a person reads. */
export type Source = "hint" | "answer";

export class ServerCapabilities {
    readonly facts: ServerFacts = {
        userFilter: "unknown",
        groupFilter: "unknown",
        userFilterCaseExact: "unknown",
        inactiveUsersHidden: "unknown",
        groupListsCarryMembers: "unknown",
        groupGet: "unknown",
        groupDelete: "unknown",
        removalForm: "filter-path",
        opCase: "lower",
        answersMatchStore: { user: "unknown", group: "unknown" },
        paging: {},
    };
    private readonly settled = new Set<string>();
    /** Page size to ask for; a server's advertised maxResults lowers it. */
    pageSize: number;

    constructor(
        pageSize: number,
        private readonly log?: (line: string) => void,
    ) {
        this.pageSize = pageSize;
    }

    /** Records a fact. An answer settles it; a hint only fills what no answer has. Logs each change once. */
    learn<K extends Exclude<keyof ServerFacts, "answersMatchStore" | "paging">>(key: K, value: ServerFacts[K], why: string, source: Source = "answer"): void {
        if (source === "hint" && this.settled.has(key)) return;
        if (source === "answer") this.settled.add(key);
        if (this.facts[key] === value) return;
        this.facts[key] = value;
        this.log?.(`server ${source === "hint" ? "advertises" : "shows"}: ${key} = ${value} (${why})`);
    }

    learnAnswers(kind: "user" | "group", value: Verdict, why: string): void {
        if (this.facts.answersMatchStore[kind] === value) return;
        this.facts.answersMatchStore[kind] = value;
        this.log?.(`server shows: ${kind} write answers ${value === "yes" ? "match" : "do not match"} what it stores (${why})`);
    }

    /** Hints from /ServiceProviderConfig. Servers are known to advertise what they lack, so answers win. */
    hint(spc: ServiceProviderConfig): void {
        if (spc.filter?.supported === false) {
            this.learn("userFilter", "no", "ServiceProviderConfig filter.supported=false", "hint");
            this.learn("groupFilter", "no", "ServiceProviderConfig filter.supported=false", "hint");
        }
        const max = spc.filter?.maxResults;
        if (typeof max === "number" && max > 0 && max < this.pageSize) this.pageSize = Math.floor(max);
    }

    /** One line per fact, for a debug log or an error that needs context. */
    describe(): string {
        const f = this.facts;
        return Object.entries({ ...f, answersMatchStore: `user ${f.answersMatchStore.user}, group ${f.answersMatchStore.group}`, paging: JSON.stringify(f.paging) })
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(", ");
    }
}
