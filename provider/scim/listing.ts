import type { ServerCapabilities } from "./capabilities";
import { collectAll, Page, pagesFor } from "./pagination";

/**
 * A listing of one collection (/Users or /Groups), loaded at most once per
 * provider process while it pays for itself, and shared by every resource.
 *
 * This is the one place that lists the whole tenant (besides `export`).
 *
 * The engine runs a handful of resources at a time (4 per CPU by default),
 * so "many lookups at once" never happens; instead each lookup or read is
 * counted, and once their number reaches what the listing would cost in
 * pages, the listing is loaded and serves the rest of the run (a ski-rental
 * rule: never more than about twice the cheaper of the two). Page 1 is asked
 * for early to learn the tenant's size; for a server that does not page at
 * all, that single request is the whole listing.
 *
 * A listing is a snapshot. It is kept current with this process's own writes
 * (`put`, `drop`), so nothing stale is served after our own changes; and an
 * item's absence from it never proves the item is gone (a server may hide
 * deactivated users, or someone may have just created it): callers confirm
 * absence by id or by the server's 409.
 */
export interface Snapshot<T> {
    byId: Map<string, T>;
    /** Lowercased name (userName or displayName) to items. */
    byName: Map<string, T[]>;
    loadedAt: number;
}

/** Listings older than this are loaded again when next needed. */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60_000;
/** A lookup after a 409 does not reload a listing younger than this: it would only show the same thing. */
export const RECENT_MS = 60_000;

export class Listing<T extends { id: string }> {
    private snapshot?: Snapshot<T>;
    private loading?: Promise<Snapshot<T>>;
    private demand = 0;
    private probe?: Promise<Page<T>>;
    private estimatedPages?: number;
    /** The listing that answers callers who arrived while another was under way (see `all`). */
    private next?: Promise<Snapshot<T>>;
    /** Our writes made since page 1 was probed or while a listing was loading: its pages may predate them, so they are applied on top. */
    private replay: (() => void)[] = [];

    constructor(
        private readonly what: string,
        private readonly fetchPage: (startIndex: number, count: number) => Promise<Page<T>>,
        private readonly nameOf: (item: T) => string,
        private readonly capabilities: ServerCapabilities,
        private readonly now: () => number = Date.now,
    ) {}

    /**
     * Counts one lookup or read that would otherwise be a request of its own,
     * and returns the listing if it is loaded or now worth loading; undefined
     * means "ask the server for this one item".
     */
    async serve(): Promise<Snapshot<T> | undefined> {
        this.demand++;
        if (this.isFresh()) return this.snapshot;
        if (this.loading) return this.loading;
        if (this.demand < 2) return undefined;
        // From the second request on, learn the size of the tenant from page 1.
        this.probe ??= this.fetchPage(1, this.capabilities.facts.paging.ignoresStartIndex ? 100_000 : this.capabilities.pageSize);
        let first: Page<T>;
        try {
            first = await this.probe;
        } catch (e) {
            this.probe = undefined;
            if (!this.loading) this.replay = [];
            throw e;
        }
        if (this.isFresh()) return this.snapshot;
        if (this.loading) return this.loading;
        this.estimatedPages ??= this.estimate(first);
        if (this.demand < this.estimatedPages) return undefined;
        return this.load(first);
    }

    /**
     * The whole listing now (export, a lookup after a 409, a read-back),
     * reusing one loaded within `maxAgeMs`. With 0 (the default) only a
     * listing that starts after this call answers it: one already under way
     * may have read its pages before the caller's write, and a read-back
     * served by it would report a change the server holds as not applied.
     * Callers that arrive while a listing is under way share the next one.
     */
    async all(maxAgeMs = 0): Promise<Snapshot<T>> {
        if (maxAgeMs > 0) {
            if (this.snapshot && this.now() - this.snapshot.loadedAt <= maxAgeMs) return this.snapshot;
            if (this.loading) return this.loading;
            return this.load();
        }
        if (!this.loading && !this.probe) return this.load();
        const under = this.loading ?? this.probe;
        this.next ??= Promise.resolve(under)
            .then(noop, noop)
            .then(() => {
                this.next = undefined;
                return this.load();
            });
        return this.next;
    }

    /** The listing if one is loaded and fresh, without counting demand. */
    current(): Snapshot<T> | undefined {
        return this.isFresh() ? this.snapshot : undefined;
    }

    /** Our own write: the listing shows it from now on. */
    put(item: T): void {
        if (this.loading || this.probe) this.replay.push(() => this.put(item));
        const s = this.snapshot;
        if (!s) return;
        this.remove(s, item.id);
        s.byId.set(item.id, item);
        const key = this.nameOf(item).toLowerCase();
        s.byName.set(key, [...(s.byName.get(key) ?? []), item]);
    }

    drop(id: string): void {
        if (this.loading || this.probe) this.replay.push(() => this.drop(id));
        if (this.snapshot) this.remove(this.snapshot, id);
    }

    private remove(s: Snapshot<T>, id: string): void {
        const old = s.byId.get(id);
        if (!old) return;
        s.byId.delete(id);
        const key = this.nameOf(old).toLowerCase();
        const rest = (s.byName.get(key) ?? []).filter((x) => x.id !== id);
        if (rest.length > 0) s.byName.set(key, rest);
        else s.byName.delete(key);
    }

    private isFresh(): boolean {
        return this.snapshot !== undefined && this.now() - this.snapshot.loadedAt <= SNAPSHOT_MAX_AGE_MS;
    }

    private estimate(first: Page<T>): number {
        const size = this.capabilities.pageSize;
        // Everything came in page 1 (no paging, or a small tenant): the listing costs nothing more.
        if (first.items.length < size || first.items.length > size) return 0;
        // A total no larger than the page may be the page's own size (a
        // common bug): assume a large tenant, so the listing is loaded only
        // once it has saved many requests.
        const total = first.totalResults;
        return total === undefined || total <= first.items.length ? 50 : pagesFor(total, size);
    }

    private load(first?: Page<T>): Promise<Snapshot<T>> {
        const startedAt = this.now();
        const loading = collectAll(this.fetchPage, this.capabilities.pageSize, undefined, first, this.capabilities.facts.paging).then((items) => {
            const byId = new Map<string, T>();
            const byName = new Map<string, T[]>();
            for (const item of items) {
                byId.set(item.id, item);
                const key = this.nameOf(item).toLowerCase();
                byName.set(key, [...(byName.get(key) ?? []), item]);
            }
            return { byId, byName, loadedAt: startedAt };
        });
        this.loading = loading;
        this.probe = undefined;
        loading.then(
            (s) => {
                if (this.loading === loading) {
                    this.snapshot = s;
                    this.loading = undefined;
                    const writes = this.replay;
                    this.replay = [];
                    for (const w of writes) w();
                }
            },
            () => {
                if (this.loading === loading) {
                    this.loading = undefined;
                    this.replay = [];
                }
            },
        );
        return loading;
    }

    /** For logs and benchmarks. */
    toString(): string {
        return `${this.what} listing: ${this.snapshot ? `${this.snapshot.byId.size} items` : "not loaded"}, ${this.demand} requests served or counted`;
    }
}

function noop(): void {}
