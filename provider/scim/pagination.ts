/**
 * Walks an RFC 7644 list to the end, and always terminates, whatever the server
 * does with `startIndex`/`count`: InVision documents no pagination at all, so a
 * server may ignore both, cap pages silently, omit totalResults, or report the
 * page's size as totalResults. A partial list is never returned as if it were
 * whole: decisions made on it (adopt or create, a group gone or not, a member
 * to remove) would be wrong.
 */
export interface Page<T> {
    items: T[];
    totalResults?: number;
}

export const DEFAULT_PAGE_SIZE = 100;
/** 1,000 pages of 100 is far past any InVision team; beyond it something is wrong. */
export const MAX_PAGES = 1000;
/** The count asked for when a server turns out to ignore startIndex: everything in one page. */
export const WHOLE_LIST = 100_000;

export class IncompleteListError extends Error {
    override readonly name = "IncompleteListError";
}

/** What a walk learned about the server's paging, kept by the caller for the next walk. */
export interface PagingFacts {
    /** The server ignores startIndex (every page is page 1): ask for everything at once. */
    ignoresStartIndex?: boolean;
    /** The server once reported a totalResults beyond a page, so its totals are real list sizes. */
    totalsAreReal?: boolean;
}

/** How many times a list that keeps changing under the walk is read again before giving up. */
export const MAX_WALKS = 3;

/** The list changed while it was walked (an item deleted or added before the walk's position). */
class ListChangedError extends Error {}

/**
 * Every item of a list. `first` is page 1 if the caller already has it (the
 * listing cache fetches it alone first, to learn how big the tenant is).
 *
 * When does a list end? A totalResults is only believed once the server has
 * shown it means the list's size (a total larger than the page it came with):
 * some servers report the page's own length as totalResults, and with a page
 * cap that looks exactly like a short, complete list. Until then the walk goes
 * on to an empty page, at the cost of one request.
 *
 * Offset paging is not a snapshot: someone deleting an object while the
 * list is walked shifts every later item one place left, and one item is
 * never seen; a create would then take that miss for absence and make a
 * duplicate. So a change under the walk is looked for, and the list is read
 * again when one is seen: where the server's totals are real, a total that
 * changed between pages; elsewhere each page after the first starts one item
 * early, on the last item already seen, which must still be there. (A delete
 * and a create between two pages of a server with real totals go unseen.)
 */
export async function collectAll<T extends { id: string }>(
    fetchPage: (startIndex: number, count: number) => Promise<Page<T>>,
    pageSize: number = DEFAULT_PAGE_SIZE,
    maxPages: number = MAX_PAGES,
    first?: Page<T>,
    facts: PagingFacts = {},
): Promise<T[]> {
    for (let walk = 0; ; walk++) {
        try {
            return await walkOnce(fetchPage, pageSize, maxPages, walk === 0 ? first : undefined, facts);
        } catch (e) {
            if (!(e instanceof ListChangedError)) throw e;
            if (walk + 1 >= MAX_WALKS) {
                throw new IncompleteListError(`the list changed while it was read, ${MAX_WALKS} times in a row; refusing to act on a list that may miss objects`);
            }
        }
    }
}

async function walkOnce<T extends { id: string }>(
    fetchPage: (startIndex: number, count: number) => Promise<Page<T>>,
    pageSize: number,
    maxPages: number,
    first: Page<T> | undefined,
    facts: PagingFacts,
): Promise<T[]> {
    if (facts.ignoresStartIndex && !first) return wholeList(await fetchPage(1, WHOLE_LIST));
    const byId = new Map<string, T>();
    const merge = (items: T[]) => items.reduce((added, item) => (byId.has(item.id) ? added : (byId.set(item.id, item), added + 1)), 0);
    let startIndex = 1;
    let total: number | undefined;
    let firstPageShort = false;
    /** The last item seen, where the next page is asked to start (undefined: no overlap, the page had one item). */
    let anchor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
        const overlap = anchor !== undefined;
        const got = page === 0 && first ? first : await fetchPage(overlap ? startIndex - 1 : startIndex, pageSize);
        let items = got.items;
        if (overlap && items.length > 0) {
            if (items[0].id === anchor) items = items.slice(1);
            // Nothing new at all: a server that ignores startIndex (handled below), not a change.
            else if (items.some((i) => !byId.has(i.id))) throw new ListChangedError();
        }
        if (got.totalResults !== undefined && got.totalResults > got.items.length) facts.totalsAreReal = true;
        if (facts.totalsAreReal && total !== undefined && got.totalResults !== undefined && got.totalResults !== total) throw new ListChangedError();
        total = got.totalResults ?? total;
        const added = merge(items);
        if (page === 0 && items.length > pageSize) {
            // More than we asked for: the server ignores count and sent everything.
            if (total !== undefined && facts.totalsAreReal && byId.size < total) throw incomplete(byId.size, total);
            return [...byId.values()];
        }
        if (page === 0) firstPageShort = items.length < pageSize;
        if (facts.totalsAreReal && total !== undefined && byId.size >= total) return [...byId.values()];
        if (items.length === 0) {
            if (facts.totalsAreReal && total !== undefined && byId.size < total) throw incomplete(byId.size, total);
            return [...byId.values()];
        }
        if (added === 0) {
            facts.ignoresStartIndex = true;
            // Page 1 again. If page 1 was short the server sent all it has;
            // if it was full, it honours count but not startIndex: ask for all.
            if (firstPageShort) return [...byId.values()];
            const whole = await fetchPage(1, WHOLE_LIST);
            merge(whole.items);
            total = whole.totalResults ?? total;
            if (total !== undefined && byId.size < total) throw incomplete(byId.size, total);
            return [...byId.values()];
        }
        // A short page is not the end: a server may cap its pages below our count.
        startIndex += items.length;
        // A real total shows a change for free; without one, the overlap does, for one item a page.
        // (A page of one would be all overlap: such a server is walked without it.)
        anchor = !facts.totalsAreReal && got.items.length >= 2 ? items[items.length - 1].id : undefined;
    }
    throw new IncompleteListError(`listing did not end after ${maxPages} pages; refusing to act on a partial list`);
}

function wholeList<T extends { id: string }>(page: Page<T>): T[] {
    const byId = new Map(page.items.map((i) => [i.id, i]));
    if (page.totalResults !== undefined && byId.size < page.totalResults) throw incomplete(byId.size, page.totalResults);
    return [...byId.values()];
}

/** How many pages a list of `total` items takes, for deciding whether listing beats asking one by one. */
export function pagesFor(total: number, pageSize: number): number {
    return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

function incomplete(got: number, total: number): IncompleteListError {
    return new IncompleteListError(
        `InVision reported ${total} results but returned only ${got} across its pages (it does not page as RFC 7644 says); refusing to act on a partial list`,
    );
}
