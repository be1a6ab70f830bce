import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calls, count, harnesses } from "../support/provider";

const h = harnesses();

describe("InVisionUser against the emulator", () => {
    it("creates a user: a lookup, the POST, a read-back", async () => {
        const { emu, user, checkedUser } = await h();
        const r = await user.create(await checkedUser({ userName: "alice@example.com", givenName: "Alice", familyName: "Ng" }));
        assert.ok(r.id);
        assert.equal(r.outs.userName, "alice@example.com");
        assert.equal(r.outs.active, true);
        assert.ok(r.outs.created);
        assert.deepEqual(emu.requests.map((q) => `${q.method} ${q.path.replace(r.id, "{id}")}`), ["GET /ServiceProviderConfig", "GET /Users", "POST /Users", "GET /Users/{id}"]);
        const stored = emu.store.getUser(r.id);
        assert.equal(stored.name?.givenName, "Alice");
        assert.deepEqual(stored.emails, [{ value: "alice@example.com", primary: true, type: "work" }]);
        const post = emu.requests[2];
        assert.match(String(post.authorization), /^Bearer /);
    });

    it("adopts an existing user that matches with no write", async () => {
        const { emu, user, checkedUser } = await h();
        const existing = emu.seedUser({ userName: "bob@example.com", givenName: "Bob" });
        const r = await user.create(await checkedUser({ userName: "BOB@example.com", givenName: "Bob" }));
        assert.equal(r.id, existing.id);
        assert.equal(emu.writes().length, 0);
        assert.equal(emu.store.users.size, 1);
    });

    it("adopts and reactivates a deactivated user", async () => {
        const { emu, user, checkedUser } = await h();
        const existing = emu.seedUser({ userName: "carol@example.com", active: false });
        const r = await user.create(await checkedUser({ userName: "carol@example.com" }));
        assert.equal(r.id, existing.id);
        assert.equal(r.outs.active, true);
        assert.equal(emu.store.getUser(existing.id).active, true);
        assert.equal(count(emu, "PATCH"), 1);
        assert.deepEqual((emu.requests.find((q) => q.method === "PATCH")!.body as { Operations: unknown[] }).Operations, [{ op: "replace", path: "active", value: true }]);
    });

    it("onExisting: fail refuses an existing user and writes nothing", async () => {
        const { emu, user, checkedUser } = await h();
        emu.seedUser({ userName: "dan@example.com" });
        await assert.rejects(user.create(await checkedUser({ userName: "dan@example.com", onExisting: "fail" })), /already exists.*onExisting/);
        assert.equal(emu.writes().length, 0);
    });

    it("two creates racing for one email end with one user (409 then adopt)", async () => {
        const { emu, user, checkedUser } = await h({ latencyMs: 30 });
        const inputs = await checkedUser({ userName: "race@example.com" });
        const [a, b] = await Promise.all([user.create(inputs), user.create(inputs)]);
        assert.equal(a.id, b.id);
        assert.equal(emu.store.users.size, 1);
        assert.ok(emu.requests.some((q) => q.method === "POST" && q.status === 409));
    });

    it("a create whose response is lost is found, not duplicated", async () => {
        const { emu, user, checkedUser } = await h();
        emu.failNext({ count: 1, drop: true, afterProcessing: true, method: "POST" });
        const r = await user.create(await checkedUser({ userName: "lost@example.com" }));
        assert.equal(emu.store.users.size, 1);
        assert.equal(r.id, [...emu.store.users.keys()][0]);
        assert.equal(count(emu, "POST"), 1, "the POST is not blindly retried");
    });

    it("a create that hit a 503 looks up, then POSTs again", async () => {
        const { emu, user, checkedUser } = await h();
        emu.failNext({ count: 1, status: 503, method: "POST" });
        const r = await user.create(await checkedUser({ userName: "retry@example.com" }));
        assert.ok(r.id);
        assert.equal(emu.store.users.size, 1);
        assert.equal(count(emu, "POST"), 2);
    });

    it("retries 5xx bursts, dropped connections and 429 without Retry-After", async () => {
        const x = await h();
        const { id } = await x.user.create(await x.checkedUser({ userName: "eve@example.com" }));
        x.newRun();
        x.emu.clearRequests();
        x.emu.failNext({ count: 2, status: 502, path: /^\/Users\// });
        x.emu.failNext({ count: 1, drop: true, path: /^\/Users\// });
        x.emu.failNext({ count: 1, status: 429, path: /^\/Users\// });
        const r = await x.user.read(id, { onDelete: "deactivate" });
        assert.equal(r.id, id);
        assert.deepEqual(calls(x.emu).map((q) => q.status), [502, 502, 0, 429, 200]);
    });

    it("honours Retry-After", async () => {
        const x = await h();
        const { id } = await x.user.create(await x.checkedUser({ userName: "frank@example.com" }));
        x.newRun();
        x.emu.clearRequests();
        x.emu.failNext({ count: 1, status: 429, retryAfter: "1", path: /^\/Users\// });
        const t0 = Date.now();
        await x.user.read(id, {});
        assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
        assert.deepEqual(calls(x.emu).map((q) => q.status), [429, 200]);
    });

    it("times out a slow answer: a read is retried, a create looks up before trying again", async () => {
        const { emu, user, checkedUser } = await h({}, { "invision:requestTimeoutMs": "1000" });
        // (the read below is retried after its timeout, a GET being safe to repeat)
        emu.failNext({ count: 1, delayMs: 1500, method: "POST" });
        const created = await user.create(await checkedUser({ userName: "slow@example.com" }));
        assert.equal(emu.store.users.size, 1);
        assert.equal(count(emu, "POST"), 1, "the POST that timed out had created the user; no second POST");
        emu.clearRequests();
        emu.failNext({ count: 1, delayMs: 1500, method: "GET", path: /^\/Users\// });
        const r = await user.read(created.id, {});
        assert.equal(r.id, created.id);
        assert.equal(calls(emu).length, 2);
    });

    it("gives up when the retry budget is spent, and says how to wait longer", async () => {
        const { emu, user } = await h({}, { "invision:retryBudgetSeconds": "2" });
        emu.failNext({ count: 1000, status: 500 });
        await assert.rejects(user.read("nope", {}), /failed with 500.*gave up after \d+ attempts within the retry budget of 2 s; raise invision:retryBudgetSeconds/s);
        assert.ok(emu.requests.length >= 2, `${emu.requests.length} attempts`);
        assert.ok(emu.requests.every((q) => q.status === 500));
    });

    it("reads a deactivated user as active: false, a deleted one as gone", async () => {
        const { emu, user } = await h();
        const u = emu.seedUser({ userName: "gina@example.com", active: false });
        const r = await user.read(u.id, { userName: "gina@example.com", active: true, onDelete: "deactivate" });
        assert.equal(r.id, u.id);
        assert.equal(r.props.active, false);
        assert.equal(r.inputs, undefined, "the inputs stay as declared: the next plan names the drift");
        emu.store.users.delete(u.id);
        const gone = await user.read(u.id, { userName: "gina@example.com", active: true });
        assert.equal(gone.props.gone, true, "kept, recorded as gone: the next preview shows a new account");
        await assert.rejects(user.read(u.id, {}), /There is no InVision user with id/, "an import of an id nobody has says so");
    });

    it("updates with a minimal PATCH", async () => {
        const { emu, user, checkedUser } = await h();
        const inputs = await checkedUser({ userName: "hal@example.com", givenName: "Hal" });
        const { id, outs } = await user.create(inputs);
        emu.clearRequests();
        const news = await checkedUser({ userName: "hal@example.com", givenName: "Harold" });
        const r = await user.update(id, outs, news);
        assert.equal(r.outs.givenName, "Harold");
        const patches = emu.requests.filter((q) => q.method === "PATCH");
        assert.equal(patches.length, 1);
        assert.deepEqual((patches[0].body as { Operations: unknown[] }).Operations, [{ op: "replace", path: "name.givenName", value: "Harold" }]);
    });

    it("V7: a name edit InVision ignores fails loudly instead of drifting", async () => {
        const { user, checkedUser } = await h({ version: "v7" });
        const { id, outs } = await user.create(await checkedUser({ userName: "ivy@example.com", givenName: "Ivy" }));
        await assert.rejects(user.update(id, outs, await checkedUser({ userName: "ivy@example.com", givenName: "Ivonne" })), /did not apply.*V7.*givenName/s);
    });

    it("destroy deactivates by default: still readable, active false", async () => {
        const { emu, user, checkedUser } = await h();
        const { id, outs } = await user.create(await checkedUser({ userName: "jo@example.com" }));
        await user.delete(id, outs);
        assert.equal(emu.store.getUser(id).active, false);
        assert.equal((await user.read(id, outs)).props.active, false);
    });

    it("onDelete: delete removes; a 404 counts as done; retain sends nothing", async () => {
        const { emu, user, checkedUser } = await h();
        const { id, outs } = await user.create(await checkedUser({ userName: "kim@example.com", onDelete: "delete" }));
        await user.delete(id, outs);
        assert.equal(emu.store.users.size, 0);
        await user.delete(id, outs);
        await user.delete(id, { ...outs, onDelete: "deactivate" });
        emu.clearRequests();
        await user.delete("whatever", { onDelete: "retain" });
        assert.equal(emu.requests.length, 0);
    });

    it("explains a refused DELETE /Users", async () => {
        const { emu, user, checkedUser } = await h({ userDelete: 405 });
        const { id, outs } = await user.create(await checkedUser({ userName: "lee@example.com", onDelete: "delete" }));
        await assert.rejects(user.delete(id, outs), /InVision Support.*onDelete: "deactivate"/s);
        assert.ok(emu.store.users.get(id));
    });

    for (const filter of ["rejected", "ignored"] as const) {
        it(`finds users without filter support (${filter}) by listing`, async () => {
            const { emu, user, checkedUser } = await h({ filter, pageSize: 7 });
            for (let i = 0; i < 20; i++) emu.seedUser({ userName: `user${i}@example.com` });
            const target = emu.store.userByName("user17@example.com")!;
            const r = await user.create(await checkedUser({ userName: "user17@example.com" }));
            assert.equal(r.id, target.id);
            assert.equal(emu.writes().length, 0);
            // Further lookups use the same listing.
            emu.clearRequests();
            await user.create(await checkedUser({ userName: "user3@example.com" }));
            assert.equal(emu.requests.length, 0);
        });
    }

    it("many lookups at once on a server without filters send one probe and share one listing", async () => {
        const { emu, user, checkedUser } = await h({ filter: "rejected", pageSize: 50, serviceProviderConfig: "absent" });
        for (let i = 0; i < 120; i++) emu.seedUser({ userName: `many${i}@example.com` });
        await Promise.all(Array.from({ length: 120 }, async (_, i) => user.create(await checkedUser({ userName: `many${i}@example.com` }))));
        assert.equal(emu.requests.filter((q) => q.query.filter !== undefined).length, 1);
        assert.equal(calls(emu).length, 1 + 3, "one probe, three pages");
        assert.equal(emu.writes().length, 0);
    });

    for (const pagination of ["standard", "none", "ignore-start", "no-total"] as const) {
        it(`reads the whole list with pagination "${pagination}"`, async () => {
            const { emu, user, checkedUser } = await h({ filter: "rejected", pagination, pageSize: 5 });
            for (let i = 0; i < 12; i++) emu.seedUser({ userName: `p${i}@example.com` });
            // The last one is on the last page.
            const r = await user.create(await checkedUser({ userName: "p11@example.com" }));
            assert.equal(r.id, emu.store.userByName("p11@example.com")!.id);
            assert.equal(emu.writes().length, 0);
            assert.ok(emu.requests.length < 10, `${emu.requests.length} requests`);
        });
    }

    it("refuses to decide on a list it cannot read whole, rather than create a duplicate", async () => {
        const { emu, user, checkedUser } = await h({ filter: "rejected", pagination: "capped", pageSize: 5 });
        for (let i = 0; i < 12; i++) emu.seedUser({ userName: `p${i}@example.com` });
        await assert.rejects(user.create(await checkedUser({ userName: "p11@example.com" })), /returned only 5.*partial list/);
        assert.equal(emu.writes().length, 0);
    });

    it("a user it created is found by the next lookup without listing again", async () => {
        const { emu, user, checkedUser } = await h({ filter: "rejected" });
        await user.create(await checkedUser({ userName: "x@example.com" }));
        await user.create(await checkedUser({ userName: "y@example.com" }));
        await user.create(await checkedUser({ userName: "y@example.com" }));
        assert.equal(emu.requests.filter((q) => q.method === "POST").length, 2);
        assert.ok(!emu.requests.some((q) => q.status === 409));
    });

    it("a refused DELETE leaves the user findable", async () => {
        const { emu, user, checkedUser } = await h({ filter: "rejected", userDelete: 405 });
        const { id, outs } = await user.create(await checkedUser({ userName: "stay@example.com", onDelete: "delete" }));
        await assert.rejects(user.delete(id, outs));
        emu.clearRequests();
        const again = await user.create(await checkedUser({ userName: "stay@example.com" }));
        assert.equal(again.id, id);
        assert.equal(count(emu, "POST"), 0);
    });

    it("an ignored deactivation fails instead of recording a change that did not happen", async () => {
        const { user, checkedUser } = await h({ activeEdits: "ignored" });
        const { id, outs } = await user.create(await checkedUser({ userName: "sticky@example.com" }));
        await assert.rejects(user.update(id, outs, await checkedUser({ userName: "sticky@example.com", active: false })), /did not apply active=false/);
    });

    it("a renamed resource that adopts a user keeps them: the old resource's delete is skipped", async () => {
        const { emu, user, checkedUser } = await h();
        const old = await user.create(await checkedUser({ userName: "moved@example.com" }));
        // The engine creates the resource under its new name (adopting the same user), then deletes the old one.
        const moved = await user.create(await checkedUser({ userName: "moved@example.com" }));
        assert.equal(moved.id, old.id);
        emu.clearRequests();
        await user.delete(old.id, old.outs);
        assert.equal(emu.writes().length, 0);
        assert.equal(emu.store.getUser(old.id).active, true);
    });

    it("SSO inactive, silent: a create InVision pretends to do fails loudly", async () => {
        const { emu, user, group, checkedUser, checkedGroup } = await h({ ssoInactive: "silent" });
        await assert.rejects(user.create(await checkedUser({ userName: "ghost@example.com" })), /answered the creation of user ghost@example.com with success.*SSO is not active/s);
        await assert.rejects(group.create(await checkedGroup({ displayName: "Ghosts" })), /creation of group Ghosts.*SSO/s);
        assert.equal(emu.store.users.size, 0);
    });

    it("SSO inactive, silent, on a deactivation: the user still active is an error, not a removal recorded as done", async () => {
        const { emu, user, checkedUser } = await h();
        const made = await user.create(await checkedUser({ userName: "stays@example.com" }));
        (emu.options as { ssoInactive: unknown }).ssoInactive = "silent";
        await assert.rejects(user.delete(made.id, made.outs), /accepted the deactivation of stays@example.com.*still active/s);
        assert.equal(emu.store.getUser(made.id).active, true);
    });

    it("SSO inactive, rejecting: the 403 says what to do", async () => {
        const { user, checkedUser } = await h({ ssoInactive: "reject" });
        await assert.rejects(user.create(await checkedUser({ userName: "x@example.com" })), /403.*SSO configured and active/s);
    });

    it("keeps to the shared concurrency limit", async () => {
        // A high rate ceiling, so the concurrency limit is what holds requests back.
        const { emu, user, checkedUser } = await h({ latencyMs: 20 }, { "invision:maxConcurrency": "2", "invision:maxRequestsPerSecond": "1000" });
        await Promise.all(Array.from({ length: 12 }, async (_, i) => user.create(await checkedUser({ userName: `c${i}@example.com` }))));
        assert.equal(emu.store.users.size, 12);
        assert.ok(emu.stats.maxInFlight <= 2, `max in flight ${emu.stats.maxInFlight}`);
    });
});
