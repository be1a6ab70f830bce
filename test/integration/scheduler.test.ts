import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { ScimError } from "../../provider/scim/errors";
import { ScimTransport } from "../../provider/scim/http";
import { RequestScheduler } from "../../provider/scim/scheduler";

/**
 * The scheduler over a real socket. Timing is only ever asserted as a lower
 * bound the scheduler guarantees (a pause cannot end early, turns cannot come
 * closer than 1/rate), never as an upper bound a slow machine could miss.
 */
const open: Emulator[] = [];
after(async () => Promise.all(open.map((e) => e.close())));

async function setup(settings: { maxConcurrency?: number; maxRequestsPerSecond?: number; latencyMs?: number; retryBudgetSeconds?: number } = {}) {
    const emu = await startEmulator({ latencyMs: settings.latencyMs ?? 0 });
    open.push(emu);
    const said: string[] = [];
    const scheduler = new RequestScheduler({ maxConcurrency: settings.maxConcurrency ?? 8, maxRequestsPerSecond: settings.maxRequestsPerSecond ?? 1000, say: (l) => said.push(l) });
    const transport = new ScimTransport({ baseUrl: emu.url, token: emu.token, maxConcurrency: 8, requestTimeoutMs: 5000, retryBudgetSeconds: settings.retryBudgetSeconds ?? 60, scheduler });
    const user = emu.seedUser({ userName: "pace@example.com" });
    return { emu, said, scheduler, transport, userId: user.id };
}

describe("the request scheduler against the emulator", () => {
    it("a 429 with Retry-After on one request pauses every queued request, and says so once", async () => {
        const { emu, said, transport, userId } = await setup({ maxConcurrency: 1 });
        emu.failNext({ count: 1, status: 429, retryAfter: "1" });
        const reads = await Promise.all(Array.from({ length: 5 }, () => transport.send({ method: "GET", path: `/Users/${userId}` })));
        assert.ok(reads.every((r) => r.status === 200));
        const [limited, ...rest] = emu.requests;
        assert.equal(limited.status, 429);
        assert.equal(rest.length, 5, "the limited request was sent again, the others once");
        for (const r of rest) assert.ok(r.at >= limited.at + 950, `sent ${r.at - limited.at} ms after the 429`);
        const pauses = said.filter((l) => l.includes("pausing"));
        assert.equal(pauses.length, 1);
        assert.match(pauses[0], /InVision is rate limiting: pausing 1\.0 s \(the server asked to wait\); pace now [\d.]+ requests\/s \(\d+ queued\)/);
    });

    it("a 429 without Retry-After pauses everyone too, for a jittered while", async () => {
        const { emu, scheduler, transport, userId } = await setup({ maxConcurrency: 1 });
        emu.failNext({ count: 1, status: 429 });
        await Promise.all(Array.from({ length: 4 }, () => transport.send({ method: "GET", path: `/Users/${userId}` })));
        const [limited, ...rest] = emu.requests;
        assert.equal(limited.status, 429);
        // The first pause without Retry-After is at least half the base pause (1 s).
        for (const r of rest) assert.ok(r.at >= limited.at + 450, `sent ${r.at - limited.at} ms after the 429`);
        assert.equal(scheduler.stats.pauses, 1);
        assert.equal(scheduler.stats.throttled, 1);
        assert.ok(scheduler.pace < 1000, "the rate was cut");
    });

    it("with 12 parallel requests and maxConcurrency 2, no more than 2 are in flight", async () => {
        const { emu, transport, userId } = await setup({ maxConcurrency: 2, latencyMs: 30 });
        await Promise.all(Array.from({ length: 12 }, () => transport.send({ method: "GET", path: `/Users/${userId}` })));
        assert.equal(emu.requests.length, 12);
        assert.ok(emu.stats.maxInFlight <= 2, `max in flight ${emu.stats.maxInFlight}`);
    });

    it("holds the rate ceiling", async () => {
        const { emu, transport, userId } = await setup({ maxRequestsPerSecond: 5 });
        await Promise.all(Array.from({ length: 11 }, () => transport.send({ method: "GET", path: `/Users/${userId}` })));
        const at = emu.requests.map((r) => r.at);
        const span = (Math.max(...at) - Math.min(...at)) / 1000;
        const perSecond = (at.length - 1) / span;
        assert.ok(perSecond <= 5 * 1.1, `${perSecond.toFixed(2)} requests/s over ${span.toFixed(2)} s`);
    });

    it("does not re-send a POST after a 500: the error goes back to the client, marked not retried", async () => {
        const { emu, transport } = await setup();
        emu.failNext({ count: 1, status: 500, method: "POST" });
        const err = await transport
            .send({ method: "POST", path: "/Users", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "once@example.com" } })
            .catch((e: unknown) => e);
        assert.ok(err instanceof ScimError);
        assert.equal(err.status, 500);
        assert.equal(err.retried, false);
        assert.equal(err.rateLimited, false);
        assert.equal(emu.requests.filter((r) => r.method === "POST").length, 1);
    });

    it("re-sends a POST after a 429: the server did nothing", async () => {
        const { emu, transport } = await setup();
        emu.failNext({ count: 1, status: 429, retryAfter: "0", method: "POST" });
        const r = await transport.send({ method: "POST", path: "/Users", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "twice@example.com" } });
        assert.equal(r.status, 201);
        assert.deepEqual(
            emu.requests.filter((q) => q.method === "POST").map((q) => q.status),
            [429, 201],
        );
        assert.equal(emu.store.users.size, 2);
    });

    it("retries PUT, PATCH and DELETE on 5xx and dropped connections", async () => {
        const { emu, transport, userId } = await setup();
        const patch = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Pace" }] };
        emu.failNext({ count: 1, status: 503, method: "PATCH" });
        emu.failNext({ count: 1, drop: true, method: "PATCH" });
        await transport.send({ method: "PATCH", path: `/Users/${userId}`, body: patch });
        emu.failNext({ count: 1, status: 502, method: "DELETE" });
        await transport.send({ method: "DELETE", path: `/Users/${userId}` });
        assert.deepEqual(
            emu.requests.map((q) => `${q.method} ${q.status}`),
            ["PATCH 503", "PATCH 0", "PATCH 200", "DELETE 502", "DELETE 204"],
        );
    });

    it("takes a 503 whose body says rate limit for the server's limit: a POST is sent again and everyone pauses", async () => {
        // A server of another make: the emulator's faults are not worded this way.
        const seen: string[] = [];
        const server = http.createServer((req, res) => {
            req.resume();
            req.on("end", () => {
                seen.push(`${req.method} ${seen.length === 0 ? 503 : 201}`);
                res.setHeader("Content-Type", "application/scim+json");
                if (seen.length === 1) {
                    res.statusCode = 503;
                    res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "503", detail: "Rate limit exceeded, try again later" }));
                } else {
                    res.statusCode = 201;
                    res.end(JSON.stringify({ id: "1", userName: "x" }));
                }
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        try {
            const said: string[] = [];
            const scheduler = new RequestScheduler({ maxConcurrency: 4, maxRequestsPerSecond: 1000, say: (l) => said.push(l) });
            const transport = new ScimTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`, token: "t", maxConcurrency: 4, requestTimeoutMs: 5000, scheduler });
            const r = await transport.send({ method: "POST", path: "/Users", body: { userName: "x" } });
            assert.equal(r.status, 201);
            assert.deepEqual(seen, ["POST 503", "POST 201"]);
            assert.equal(scheduler.stats.pauses, 1);
            assert.equal(scheduler.stats.throttled, 1);
            assert.equal(said.filter((l) => l.includes("pausing")).length, 1);
        } finally {
            await new Promise((r) => server.close(r));
        }
    });
});
