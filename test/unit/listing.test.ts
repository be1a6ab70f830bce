import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerCapabilities } from "../../provider/scim/capabilities";
import { Listing, SNAPSHOT_MAX_AGE_MS } from "../../provider/scim/listing";
import { collectAll, Page, PagingFacts } from "../../provider/scim/pagination";

type Item = { id: string; name: string };
const tenant = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, name: `n${i}@example.com` }));

/** A server over `items`: pages capped at `cap`, with a totalResults that is true or the page's own length. */
function server(items: Item[], cap: number, totals: "true" | "page-size" | "none" = "true") {
    let calls = 0;
    const fetchPage = async (start: number, count: number): Promise<Page<Item>> => {
        calls++;
        const page = items.slice(start - 1, start - 1 + Math.min(cap, count));
        return { items: page, totalResults: totals === "true" ? items.length : totals === "page-size" ? page.length : undefined };
    };
    return { fetchPage, calls: () => calls };
}

describe("collectAll: when a list ends", () => {
    it("a capped server whose totalResults is the page's length is read to an empty page, never cut short", async () => {
        const s = server(tenant(120), 50, "page-size");
        const all = await collectAll(s.fetchPage, 100);
        assert.equal(all.length, 120, "the first page looked like a complete list of 50");
        assert.equal(s.calls(), 4, "50, 50, 20, then the empty page that proves the end");
    });

    it("a true total larger than the page ends the walk without an extra request", async () => {
        const s = server(tenant(120), 50, "true");
        const facts: PagingFacts = {};
        assert.equal((await collectAll(s.fetchPage, 100, undefined, undefined, facts)).length, 120);
        assert.equal(s.calls(), 3);
        assert.equal(facts.totalsAreReal, true);
    });

    it("a server that ignores startIndex: learned, and the next walk is one request", async () => {
        const items = tenant(30);
        let calls = 0;
        const fetchPage = async (_s: number, count: number) => (calls++, { items: items.slice(0, count), totalResults: 30 });
        const facts: PagingFacts = {};
        assert.equal((await collectAll(fetchPage, 10, undefined, undefined, facts)).length, 30);
        assert.equal(facts.ignoresStartIndex, true);
        calls = 0;
        assert.equal((await collectAll(fetchPage, 10, undefined, undefined, facts)).length, 30);
        assert.equal(calls, 1);
    });

    it("more items than asked for is everything, in one request", async () => {
        let calls = 0;
        const all = await collectAll(async () => (calls++, { items: tenant(250), totalResults: 250 }), 100);
        assert.equal(all.length, 250);
        assert.equal(calls, 1);
    });
});

describe("collectAll: a list that changes while it is walked", () => {
    for (const totals of ["true", "page-size", "none"] as const) {
        it(`an item deleted before the walk's position is noticed and the list read again (totals ${totals})`, async () => {
            const items = tenant(12);
            const s = server(items, 5, totals);
            let pages = 0;
            // After page 1, someone deletes the first item: every later item shifts left.
            const fetchPage = async (start: number, count: number) => {
                if (pages++ === 1) items.splice(0, 1);
                return s.fetchPage(start, count);
            };
            const all = await collectAll(fetchPage, 5);
            assert.deepEqual(all.map((i) => i.id).sort(), tenant(12).slice(1).map((i) => i.id).sort());
        });
    }

    it("a list that never holds still is refused, not returned partial", async () => {
        const items = tenant(12);
        let n = 100;
        const fetchPage = async (start: number, count: number) => {
            items.unshift({ id: `new${n}`, name: `new${n++}@example.com` });
            return { items: items.slice(start - 1, start - 1 + Math.min(5, count)) };
        };
        await assert.rejects(collectAll(fetchPage, 5), /changed while it was read, 3 times/);
    });
});

describe("Listing: loaded once it pays for itself", () => {
    const caps = () => new ServerCapabilities(100);

    it("answers one by one until the requests saved reach the listing's cost in pages, then lists once", async () => {
        const s = server(tenant(1000), 100);
        const listing = new Listing<Item>("user", s.fetchPage, (i) => i.name, caps());
        const served: boolean[] = [];
        for (let i = 0; i < 40; i++) served.push((await listing.serve()) !== undefined);
        const firstServed = served.indexOf(true);
        assert.equal(firstServed, 9, "10 pages: the 10th request triggers the listing");
        assert.ok(served.slice(firstServed).every(Boolean));
        assert.equal(s.calls(), 10, "page 1 once (the size probe), then the other 9");
    });

    it("a small tenant is listed from page 1 alone", async () => {
        const s = server(tenant(20), 100);
        const listing = new Listing<Item>("user", s.fetchPage, (i) => i.name, caps());
        assert.equal(await listing.serve(), undefined);
        const snap = await listing.serve();
        assert.equal(snap?.byId.size, 20);
        assert.ok(s.calls() <= 2);
    });

    it("our own writes made while it loads are applied on top of it", async () => {
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const items = tenant(3);
        const listing = new Listing<Item>(
            "user",
            async (start, count) => {
                await gate;
                return { items: items.slice(start - 1, start - 1 + count), totalResults: 3 };
            },
            (i) => i.name,
            caps(),
        );
        const loading = listing.all();
        listing.put({ id: "i1", name: "renamed@example.com" });
        listing.drop("i2");
        release();
        const snap = await loading;
        assert.equal(snap.byId.get("i1")?.name, "renamed@example.com");
        assert.equal(snap.byId.has("i2"), false);
        assert.equal(snap.byName.has("n1@example.com"), false);
    });

    it("is reloaded when older than its maximum age", async () => {
        let now = 0;
        const s = server(tenant(5), 100);
        const listing = new Listing<Item>("user", s.fetchPage, (i) => i.name, caps(), () => now);
        await listing.all();
        const before = s.calls();
        now += SNAPSHOT_MAX_AGE_MS + 1;
        assert.equal(listing.current(), undefined);
        await listing.all(SNAPSHOT_MAX_AGE_MS);
        assert.ok(s.calls() > before);
    });
});

describe("ServerCapabilities", () => {
    it("a hint fills only what no answer has settled", () => {
        const lines: string[] = [];
        const caps = new ServerCapabilities(100, (l) => lines.push(l));
        caps.learn("userFilter", "yes", "a filter was answered");
        caps.hint({ filter: { supported: false, maxResults: 25 } });
        assert.equal(caps.facts.userFilter, "yes", "the answer wins over the hint");
        assert.equal(caps.facts.groupFilter, "no", "unsettled: the hint applies");
        assert.equal(caps.pageSize, 25);
        caps.learn("groupFilter", "yes", "answered after all");
        assert.equal(caps.facts.groupFilter, "yes");
        assert.ok(lines.some((l) => /advertises: groupFilter = no/.test(l)));
    });
});

describe("Listing: our own writes are never lost to a listing loaded around them", () => {
    it("a write made after page 1 was probed shows in the listing later built on that page", async () => {
        const items = tenant(300);
        const s = server(items, 100);
        const caps = new ServerCapabilities(100);
        const listing = new Listing<Item>("user", s.fetchPage, (i) => i.name, caps);
        assert.equal(await listing.serve(), undefined, "first read: by id");
        assert.equal(await listing.serve(), undefined, "second read probes page 1 (3 pages: not worth it yet)");
        // Our own writes, after the probe: i5 renamed, i7 deleted (the server has both).
        items[5] = { id: "i5", name: "renamed@example.com" };
        items.splice(7, 1);
        listing.put({ id: "i5", name: "renamed@example.com" });
        listing.drop("i7");
        const snapshot = await listing.serve();
        assert.ok(snapshot, "third read: the listing pays now, built on the probed page 1");
        assert.equal(snapshot.byId.get("i5")?.name, "renamed@example.com", "the probed page predates our rename");
        assert.equal(snapshot.byId.has("i7"), false, "the probed page predates our delete");
    });

    it("an update made while a listing reloads over an old one is kept, not dropped", async () => {
        const items = tenant(10);
        let release!: () => void;
        let gate: Promise<void> = Promise.resolve();
        const fetchPage = async (start: number, count: number): Promise<Page<Item>> => {
            await gate;
            return { items: items.slice(start - 1, start - 1 + count), totalResults: items.length };
        };
        let now = 0;
        const listing = new Listing<Item>("user", fetchPage, (i) => i.name, new ServerCapabilities(100), () => now);
        await listing.all();
        now += SNAPSHOT_MAX_AGE_MS + 1;
        gate = new Promise((r) => (release = r));
        const reloading = listing.all();
        items[3] = { id: "i3", name: "changed@example.com" };
        listing.put({ id: "i3", name: "changed@example.com" });
        release();
        await reloading;
        await new Promise((r) => setImmediate(r));
        assert.equal(listing.current()?.byId.get("i3")?.name, "changed@example.com");
        assert.deepEqual(listing.current()?.byName.get("changed@example.com")?.map((i) => i.id), ["i3"]);
    });
});
