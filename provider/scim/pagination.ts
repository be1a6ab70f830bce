/**
 * Walks an RFC 7644 list to the end, and always terminates, whatever the server
 * does with `startIndex`/`count`: InVision documents no pagination at all, so a
 * server may ignore both, cap the page silently, or omit totalResults.
 */
export interface Page<T> {
    items: T[];
    totalResults?: number;
}

export const DEFAULT_PAGE_SIZE = 100;
/** 1,000 pages of 100 is far past any InVision team; beyond it something is wrong. */
export const MAX_PAGES = 1000;

export async function collectAll<T extends { id: string }>(
    fetchPage: (startIndex: number, count: number) => Promise<Page<T>>,
    pageSize: number = DEFAULT_PAGE_SIZE,
    maxPages: number = MAX_PAGES,
): Promise<T[]> {
    const byId = new Map<string, T>();
    let startIndex = 1;
    for (let page = 0; page < maxPages; page++) {
        const { items, totalResults } = await fetchPage(startIndex, pageSize);
        let added = 0;
        for (const item of items) {
            if (!byId.has(item.id)) {
                byId.set(item.id, item);
                added++;
            }
        }
        // An empty page, or a page of things already seen (a server that
        // ignores startIndex), means there is nothing more to get.
        if (items.length === 0 || added === 0) return [...byId.values()];
        if (totalResults !== undefined && byId.size >= totalResults) return [...byId.values()];
        // No total: a short page is the last one.
        if (totalResults === undefined && items.length < pageSize) return [...byId.values()];
        startIndex += items.length;
    }
    throw new Error(`listing did not end after ${maxPages} pages; refusing to act on a partial list`);
}
