import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as path from "node:path";
import { startEmulator } from "../../provider/emulator";
import { count, harness, Harness } from "../support/provider";

const TOKEN = "sk-test-THIS-IS-THE-SECRET-TOKEN-0123456789";
const open: Harness[] = [];
after(async () => Promise.all(open.map((x) => x.close())));

/** Runs `fn` with stderr captured, PULUMI_INVISION_LOG on. */
async function captured(fn: () => Promise<unknown>): Promise<string> {
    const lines: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.env.PULUMI_INVISION_LOG = "1";
    process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
    try {
        await fn().catch((e: Error) => lines.push(`${e.message}\n${e.stack}\n${JSON.stringify(e)}`));
    } finally {
        process.stderr.write = orig;
        delete process.env.PULUMI_INVISION_LOG;
    }
    return lines.join("");
}

describe("the token stays secret", () => {
    it("no error or log line carries it, whatever fails", async () => {
        // A short retry budget: the failures below outlast it on purpose.
        const good = await harness({ token: TOKEN }, { "invision:scimToken": TOKEN, "invision:retryBudgetSeconds": "5" });
        open.push(good);
        const inputs = await good.checkedUser({ userName: "sec@example.com" });
        let out = await captured(() => good.user.create(inputs));
        good.emu.failNext({ count: 3, status: 503 });
        good.emu.failNext({ count: 1, drop: true });
        out += await captured(() => good.user.read("x", {}));
        good.emu.options.ssoInactive = "reject";
        out += await captured(() => good.user.create(inputs));
        good.emu.options.ssoInactive = false;
        good.emu.options.userDelete = 405;
        out += await captured(() => good.user.delete([...good.emu.store.users.keys()][0], { onDelete: "delete" }));
        out += await captured(() => good.user.create(inputs).then(() => good.user.create({ ...inputs, onExisting: "fail" })));
        // Failures that outlast the retries, and timeouts.
        good.emu.failNext({ count: 100_000, drop: true, method: "GET", path: /^\/Users\/y$/ });
        out += await captured(() => good.user.read("y", {}));
        good.emu.failNext({ count: 10, status: 429, retryAfter: "3600" });
        out += await captured(() => good.user.read("x", {}));
        const slow = await harness({ token: TOKEN, latencyMs: 1500 }, { "invision:scimToken": TOKEN, "invision:requestTimeoutMs": "1000", "invision:retryBudgetSeconds": "3" });
        open.push(slow);
        out += await captured(() => slow.user.create({ userName: "slow@example.com", active: true, onExisting: "adopt", onDelete: "deactivate" }));
        assert.match(out, /timed out after 1000 ms/);
        assert.match(out, /got no response/);
        assert.match(out, /asked to wait 3600 s/);
        assert.ok(out.length > 200, "something was logged");
        assert.ok(!out.includes(TOKEN), "token leaked into an error or log line");
        assert.ok(!out.includes("THIS-IS-THE-SECRET"));
        // It did travel where it should: the Authorization header.
        assert.ok(good.emu.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    });

    it("a wrong token fails with advice and without either token", async () => {
        const emu = await startEmulator({ token: "right-token-123" });
        const wrong = await harness({}, { "invision:scimBaseUrl": emu.url, "invision:scimToken": TOKEN });
        open.push(wrong);
        const out = await captured(() => wrong.user.create({ userName: "w@example.com", active: true, onExisting: "adopt", onDelete: "deactivate" }));
        await emu.close();
        assert.match(out, /401.*token was refused/s);
        assert.ok(!out.includes(TOKEN));
        assert.ok(!out.includes("right-token-123"));
        assert.equal(count(wrong.emu, "GET"), 0);
    });

    it("a missing setting names the config key and the variable", async () => {
        const x = await harness({}, { "invision:scimBaseUrl": "", "invision:scimToken": "" });
        open.push(x);
        const saved = { ...process.env };
        delete process.env.INVISION_SCIM_BASE_URL;
        delete process.env.INVISION_SCIM_TOKEN;
        try {
            await assert.rejects(x.user.read("1", {}), /invision:scimBaseUrl.*INVISION_SCIM_BASE_URL.*invision:scimToken.*INVISION_SCIM_TOKEN/s);
        } finally {
            Object.assign(process.env, saved);
        }
    });

    it("never follows a redirect, so the token cannot travel to another host", async () => {
        const http = await import("node:http");
        let elsewhere = 0;
        const other = http.createServer((_q, r) => (elsewhere++, r.end("{}")));
        await new Promise<void>((r) => other.listen(0, "127.0.0.1", () => r()));
        const otherPort = (other.address() as import("node:net").AddressInfo).port;
        const redirector = http.createServer((_q, r) => {
            r.writeHead(307, { Location: `http://127.0.0.1:${otherPort}/scim/v2/Users/1` });
            r.end();
        });
        await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", () => r()));
        const port = (redirector.address() as import("node:net").AddressInfo).port;
        const x = await harness({}, { "invision:scimBaseUrl": `http://127.0.0.1:${port}`, "invision:scimToken": TOKEN });
        open.push(x);
        const out = await captured(() => x.user.read("1", {}));
        assert.match(out, /failed with 307/);
        assert.equal(elsewhere, 0);
        assert.ok(!out.includes(TOKEN));
        await new Promise((r) => other.close(r));
        await new Promise((r) => redirector.close(r));
    });

    it("__provider is a two-line module naming the package, which the SDK's host loads into our provider object", async () => {
        const x = await harness({ token: TOKEN }, { "invision:scimToken": TOKEN });
        open.push(x);
        await x.user.create(await x.checkedUser({ userName: "size@example.com" }));
        // As a program sees the package: installed under node_modules (scripts/link-self.js), loaded by
        // file path since inside this checkout the package name resolves to the checkout itself.
        const installed = path.join(__dirname, "..", "..", "node_modules", "pulumi-invision");
        const { providerModule } = require(path.join(installed, "dist", "resources", "providers.js")) as typeof import("../../provider/resources/providers");
        // The host's own loader (cmd/dynamic-provider: requireFromString(text).handler()), resolving from the working directory as the host does.
        const requireFromString = require(require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] })) as (code: string) => { handler(): unknown };
        for (const kind of ["user", "group"] as const) {
            const text = providerModule(kind);
            process.stdout.write(`# __provider of ${kind}: ${Buffer.byteLength(text)} bytes\n`);
            assert.ok(Buffer.byteLength(text) <= 100, `${Buffer.byteLength(text)} bytes`);
            assert.ok(!text.includes(TOKEN));
            assert.ok(!text.includes(x.emu.url), "no base URL either");
            // The module path later versions promise to keep (provider/dynamic/user.ts).
            assert.ok(text.includes(`require("pulumi-invision/provider/${kind}")`), text);
            const loaded = requireFromString(text).handler();
            assert.equal(loaded, require(path.join(installed, "dist", "dynamic", `${kind}.js`)), "the installed provider object itself");
            for (const op of ["configure", "check", "diff", "create", "read", "update", "delete"]) assert.equal(typeof (loaded as Record<string, unknown>)[op], "function", op);
        }
    });
});

describe("every echo of the token is scrubbed (issue 14, item 14)", () => {
    // Characters that encode differently in each form: + / = & < > ' ".
    const SECRET = "Tok+en/Secret=&<Zq>'Qx\"9876543210abcdef";
    const forms: Record<string, (t: string) => { scimType?: string; detail?: string; raw?: string }> = {
        scimType: (t) => ({ scimType: t, detail: "bad" }),
        "lower-case percent-encoding": (t) => ({ detail: `header was ${encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}` }),
        "upper-case percent-encoding": (t) => ({ detail: `header was ${encodeURIComponent(t)}` }),
        "HTML-escaped": (t) => ({ detail: `header was ${t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")}` }),
        "HTML-escaped, hex entities": (t) => ({ detail: `header was ${t.replace(/&/g, "&#x26;").replace(/</g, "&#x3C;").replace(/>/g, "&#x3e;").replace(/"/g, "&#x22;").replace(/'/g, "&#x27;")}` }),
        "HTML page": (t) => ({ raw: `<html><body><pre>Authorization: Bearer ${t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</pre></body></html>` }),
        "base64 of the header": (t) => ({ detail: `auth=${Buffer.from(`Bearer ${t}`).toString("base64")}` }),
        "base64 of the token": (t) => ({ detail: `auth=${Buffer.from(t).toString("base64")}` }),
        "base64url of the header": (t) => ({ detail: `auth=${Buffer.from(`Authorization: Bearer ${t}`).toString("base64url")}` }),
        "upper-cased": (t) => ({ detail: `HEADER WAS ${t.toUpperCase()}` }),
    };

    it("in scimType, percent-encoded either case, HTML-escaped or base64", async () => {
        const http = await import("node:http");
        const server = http.createServer((q, r) => {
            const form = decodeURIComponent((q.url ?? "").split("/").pop() ?? "");
            const echo = forms[form];
            if (!echo) {
                r.writeHead(404).end();
                return;
            }
            const auth = String(q.headers.authorization ?? "").replace(/^Bearer /, "");
            const said = echo(auth);
            if (said.raw) {
                r.writeHead(400, { "Content-Type": "text/html" }).end(said.raw);
                return;
            }
            r.writeHead(400, { "Content-Type": "application/scim+json" });
            r.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", ...said }));
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        const port = (server.address() as import("node:net").AddressInfo).port;
        const x = await harness({}, { "invision:scimBaseUrl": `http://127.0.0.1:${port}/scim/v2`, "invision:scimToken": SECRET });
        open.push(x);
        try {
            for (const form of Object.keys(forms)) {
                x.newRun();
                const out = await captured(() => x.user.read(form, {}));
                assert.match(out, /failed with 400/, form);
                const leaks = [SECRET, "Tok+en", "Secret=", "9876543210abcdef", Buffer.from(SECRET).toString("base64").slice(4, 30), "VG9rK2Vu"];
                for (const piece of leaks) assert.ok(!out.toLowerCase().includes(piece.toLowerCase()), `${form}: ${piece} in ${out.slice(0, 400)}`);
            }
        } finally {
            await new Promise((r) => server.close(r));
        }
    });
});
