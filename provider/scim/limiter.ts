import pLimit from "p-limit";

/**
 * One concurrency limit for the whole provider process. The engine runs every
 * dynamic resource of a `pulumi up` in the same process and calls them in
 * parallel; without this, 500 users would be 500 simultaneous POSTs.
 *
 * Keyed by base URL so two tenants in one program do not starve each other.
 * The first caller's limit wins for a key: the limit is a property of the
 * tenant, and every resource of a run sees the same stack config.
 */
type Limit = ReturnType<typeof pLimit>;
const limits = new Map<string, Limit>();

export function sharedLimiter(key: string, concurrency: number): Limit {
    let limit = limits.get(key);
    if (!limit) {
        limit = pLimit(concurrency);
        limits.set(key, limit);
    }
    return limit;
}
