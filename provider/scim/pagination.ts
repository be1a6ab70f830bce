/**
 * Walks an RFC 7644 list to the end, and always terminates, whatever the server
 * does with `startIndex`/`count`: InVision documents no pagination at all, so a
 * server may ignore both, cap pages silently, or omit totalResults. A partial
 * list is never returned as if it were whole: decisions made on it (adopt or
 * create, a group gone or not) would be wrong.
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

export async function collectAll<T extends { id: string }>(
    fetchPage: (startIndex: number, count: number) => Promise<Page<T>>,
    pageSize: number = DEFAULT_PAGE_SIZE,
    maxPages: number = MAX_PAGES,
): Promise<T[]> {
    const byId = new Map<string, T>();
    const merge = (items: T[]) => items.reduce((added, item) => (byId.has(item.id) ? added : (byId.set(item.id, item), added + 1)), 0);
    let startIndex = 1;
    let total: number | undefined;
    for (let page = 0; page < maxPages; page++) {
        const { items, totalResults } = await fetchPage(startIndex, pageSize);
        total = totalResults ?? total;
        const added = merge(items);
        if (total !== undefined && byId.size >= total) return [...byId.values()];
        if (items.length === 0) {
            if (total !== undefined) throw incomplete(byId.size, total);
            return [...byId.values()];
        }
        if (added === 0) {
            // The server ignores startIndex. Ask for everything at once: a
            // server without paging usually honours a large count.
            const whole = await fetchPage(1, WHOLE_LIST);
            merge(whole.items);
            total = whole.totalResults ?? total;
            if (total !== undefined && byId.size < total) throw incomplete(byId.size, total);
            return [...byId.values()];
        }
        // A short page is not the end: a server may cap its pages below our count.
        startIndex += items.length;
    }
    throw new IncompleteListError(`listing did not end after ${maxPages} pages; refusing to act on a partial list`);
}

function incomplete(got: number, total: number): IncompleteListError {
    return new IncompleteListError(
        `InVision reported ${total} results but returned only ${got} across its pages (it does not page as RFC 7644 says); refusing to act on a partial list`,
    );
}
