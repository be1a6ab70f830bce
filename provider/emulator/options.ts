/**
 * Everything the emulator can be told to be. One list of defaults, and one rule
 * for combining them: defaults, then the named profile, then what the caller
 * passed; a key passed as `undefined` never overrides anything (that is how
 * `npm run emulator` without `--page-size` once served empty pages).
 */
import { PROFILES } from "./profiles";

/** Answers for the operations InVision may not have: "supported", or the status a missing one returns. */
export type Support = "supported" | 400 | 403 | 404 | 405 | 501;

export const PROFILE_NAMES = ["standard", "invision-documented", "okta-like", "entra-like", "strict"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface RateLimitOptions {
    /** Tokens added per second. */
    perSecond: number;
    /** Bucket size: requests that may arrive at once after a quiet spell. Default: one second's worth. */
    burst?: number;
    /** "none" (default, as InVision documents), "seconds" (rounded up) or "date" (an HTTP date). */
    retryAfter?: "none" | "seconds" | "date";
    /** 429 (default), or 500/503 with a body saying the server is overloaded, as some SCIM servers do. */
    status?: 429 | 500 | 503;
}

export interface ChaosOptions {
    /** Same seed, same requests in the same order: same faults. */
    seed: number;
    /** Share of requests answered with one of errorStatuses, without processing them. */
    errorRate?: number;
    /** Default [500, 503]. */
    errorStatuses?: number[];
    /** Share of requests whose connection is destroyed before processing. */
    dropRate?: number;
    /** Share of requests processed and then left unanswered (a create whose answer is lost). */
    lostResponseRate?: number;
    /** Added before processing: a fixed delay, or a seeded one in [min, max]. */
    latencyMs?: number | [number, number];
}

export interface EmulatorOptions {
    /** A named bundle of the dialect options below (see profiles.ts); explicit options override it. */
    profile?: ProfileName;
    /** Port on 127.0.0.1; 0 (default) picks a free one. */
    port?: number;
    /** The bearer token it accepts; a random one by default. */
    token?: string;
    /** Default and maximum page size. */
    pageSize?: number;
    /**
     * "standard": RFC 7644 paging. "none": everything in one response, startIndex/count ignored
     * (InVision's documented behaviour). "ignore-start": always returns the first page, of `count` items
     * (uncapped). "capped": like "ignore-start" but never more than pageSize items: a server whose
     * lists cannot be read whole.
     * "no-total": standard paging without totalResults.
     */
    pagination?: "standard" | "none" | "ignore-start" | "capped" | "no-total";
    /** Group names unique (409 on a duplicate), as most SCIM servers; InVision does not say. */
    uniqueGroupNames?: boolean;
    /** "ignored": PATCH/PUT of `active` answers 200 and changes nothing. */
    activeEdits?: "applied" | "ignored";
    /** Filters: honoured, rejected with 400 invalidFilter, or silently ignored (everything returned). */
    filter?: "supported" | "rejected" | "ignored";
    /** "exact": `userName eq "Alice@x.com"` misses alice@x.com, though RFC 7643 says caseExact=false. */
    filterCase?: "insensitive" | "exact";
    /** "eq-only": only `<userName|displayName|externalId> eq "<string>"`; anything else is 400 invalidFilter. */
    filterOps?: "full" | "eq-only";
    /** "hidden": deactivated users are missing from lists and filters, readable by id, and still 409 on POST. */
    inactiveUsers?: "listed" | "hidden";
    /** "omitted": group lists never carry `members`; only GET /Groups/{id} does. */
    groupListMembers?: "included" | "omitted";
    /**
     * Which member-removal PATCH form is accepted: `path: members[value eq "id"]` ("filter-path"),
     * `path: members, value: [{value}]` ("value-list"), or both ("any"). The other form is a 400.
     */
    memberRemoval?: "any" | "filter-path" | "value-list";
    /** A fault: the form memberRemoval does not accept answers 2xx and removes nothing (a lying server). */
    ignoreUnsupportedRemoval?: boolean;
    /** "noTarget": removing someone who is not a member is a 400 noTarget (a replayed removal on a strict server). */
    removeMissingMember?: "ignore" | "noTarget";
    /**
     * A group member's `display`: the user's userName (an email, what lenient servers send), or,
     * as RFC 7643 describes it, a human-readable name: the user's displayName, else "given family"
     * ("name"; a member with neither has no display).
     */
    memberDisplay?: "userName" | "name";
    /** PATCH op spellings accepted: any case, add/remove/replace only, or Add/Remove/Replace only (Entra ID). */
    opCase?: "any" | "lower" | "capitalised";
    /** "no-content": a successful PATCH answers 204 with no body. */
    patchResponse?: "resource" | "no-content";
    /** "empty": 201 with a Location header and no body; "empty-no-location": 201 and nothing else. */
    postResponse?: "resource" | "empty" | "empty-no-location";
    /** "numeric": ids (and member values) are JSON numbers on the wire; requests may send either. */
    ids?: "uuid" | "numeric";
    /** "page-size": totalResults is the number of items in the page (a common server bug). */
    totalResults?: "exact" | "page-size";
    /** /ServiceProviderConfig: describes this emulator, is missing (404), or claims everything. */
    serviceProviderConfig?: "truthful" | "absent" | "lying";
    /** "ignored": externalId is accepted on writes and never stored or returned. */
    externalId?: "stored" | "ignored";
    /** Writes without the right `schemas` (resource schema on POST/PUT, PatchOp on PATCH) are 400 invalidSyntax. */
    requireSchemas?: boolean;
    groupGet?: Support;
    groupDelete?: Support;
    userDelete?: Support;
    /** "v7": email and name edits are accepted (200) and not applied, as InVision V7 does. */
    version?: "v6" | "v7";
    /** SSO not active: "reject" answers 403; "silent" answers 2xx and stores nothing. */
    ssoInactive?: false | "reject" | "silent";
    /** Added to every SCIM response. */
    latencyMs?: number;
    /** A token bucket over all SCIM requests. */
    rateLimit?: RateLimitOptions;
    /** Seeded probabilistic faults. */
    chaos?: ChaosOptions;
    /** Print one line per request to stdout (the standalone emulator). */
    verbose?: boolean;
}

type Optional = "port" | "token" | "rateLimit" | "chaos" | "profile";
/** What the server reads: every dialect option has a value. Mutable on purpose: tests flip options mid-run. */
export type ResolvedOptions = Required<Omit<EmulatorOptions, Optional>> & Pick<EmulatorOptions, Optional>;

export const DEFAULTS: Required<Omit<EmulatorOptions, Optional>> = {
    pageSize: 100,
    pagination: "standard",
    uniqueGroupNames: true,
    activeEdits: "applied",
    filter: "supported",
    filterCase: "insensitive",
    filterOps: "full",
    inactiveUsers: "listed",
    groupListMembers: "included",
    memberRemoval: "any",
    ignoreUnsupportedRemoval: false,
    removeMissingMember: "ignore",
    memberDisplay: "userName",
    opCase: "any",
    patchResponse: "resource",
    postResponse: "resource",
    ids: "uuid",
    totalResults: "exact",
    serviceProviderConfig: "truthful",
    externalId: "stored",
    requireSchemas: false,
    groupGet: "supported",
    groupDelete: "supported",
    userDelete: "supported",
    version: "v6",
    ssoInactive: false,
    latencyMs: 0,
    verbose: false,
};

export function definedOnly<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
    const profile = options.profile ?? "standard";
    const bundle = PROFILES[profile];
    if (!bundle) throw new Error(`unknown emulator profile ${JSON.stringify(profile)}; expected one of ${PROFILE_NAMES.join(", ")}`);
    return { ...DEFAULTS, ...definedOnly(bundle), ...definedOnly(options), profile };
}
