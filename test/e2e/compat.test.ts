import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, pack, packed, Project, repo, scratchDir, steps } from "./harness";

/**
 * State written by 0.1.0 keeps working with this version: a stack made by the
 * 0.1.0 package (built from git history), then upgraded in place, as a user
 * would with `npm install pulumi-invision@latest`.
 *
 * 0.1.0 wrote each provider into state as closures calling
 * `require("pulumi-invision/runtime")`. The engine keeps that text in every
 * resource's outputs until the resource is next updated, and uses it for
 * `read` (refresh) and `delete`, so the runtime module keeps its 0.1.0 shape.
 */

const V010 = "3430823"; // the commit published as 0.1.0
const TOKEN = "compat-SECRET-token-3c9e1f";
const note = (s: string) => process.stdout.write(`# ${s}\n`);

/** The package as it was at `commit`, built from git history with this checkout's compiler and dependencies. */
function packAt(commit: string, what: string): string {
    try {
        execFileSync("git", ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`], { cwd: repo, stdio: "ignore" });
    } catch {
        // Never a skip: without this test, a change breaking every existing stack would pass CI.
        throw new Error(`git history is missing commit ${commit} (${what}), which the compatibility test builds; fetch the full history (git fetch --unshallow)`);
    }
    const dir = scratchDir(`invision-${commit}-`);
    const tar = path.join(dir, "src.tar");
    execFileSync("git", ["archive", "--format=tar", "-o", tar, commit], { cwd: repo });
    execFileSync("tar", ["-xf", tar, "-C", dir]);
    fs.rmSync(tar);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(pkg.version, "0.1.0");
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    execFileSync(process.execPath, [path.join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
    return pack(dir);
}

type Resource = { type: string; urn: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
const invision = (rs: Resource[]) => rs.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/invision:"));
const nameOf = (r: Resource) => r.urn.split("::").pop()!;

/** This version's state check on the stack as it is: 0.1.0's closures and today's module references are both pulumi-invision's. */
async function verifyProviders(p: Project): Promise<void> {
    const file = path.join(p.dir, "current-state.json");
    await p.pulumi(["stack", "export", "--file", file]);
    // Throws, with the check's report in its message, when the check refuses.
    execFileSync(process.execPath, [path.join(repo, "dist", "cli", "main.js"), "verify-state", "--providers-only", "--actual", file], { stdio: ["ignore", "pipe", "pipe"] });
}

const roster = {
    users: [
        { userName: "alice@example.com", givenName: "Alice", familyName: "Ng" },
        { userName: "bob@example.com", givenName: "Bob" },
        { userName: "carol@example.com", givenName: "Carol" },
    ],
    groups: [{ key: "design", displayName: "Design", members: ["alice@example.com", "bob@example.com", "carol@example.com"] }],
};

describe("a stack made by 0.1.0, upgraded to this version", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;
    const state = async () => invision(JSON.parse((await p.pulumi(["stack", "export"])).stdout).deployment.resources as Resource[]);

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createProject("compat", undefined, { tarball: packAt(V010, "version 0.1.0") });
        assert.equal(JSON.parse(fs.readFileSync(path.join(p.dir, "node_modules", "pulumi-invision", "package.json"), "utf8")).exports, undefined, "0.1.0 is installed");
        // 0.1.0 took members as SCIM ids only.
        p.writeSpec({ ...roster, memberBy: "id" });
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
        await p.pulumi(["up", "--yes"]);
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("0.1.0 wrote its closures into state", async () => {
        const rs = await state();
        assert.equal(rs.length, 4);
        for (const r of rs) {
            const text = String(r.outputs?.__provider);
            assert.match(text, /require\("pulumi-invision\/runtime"\)/);
            note(`0.1.0 __provider of ${nameOf(r)}: ${Buffer.byteLength(text)} bytes`);
        }
        assert.equal(emu.store.users.size, 3);
        await verifyProviders(p);
    });

    it("after the upgrade, preview and up see no change and write nothing", async () => {
        p.install(packed());
        assert.ok(JSON.parse(fs.readFileSync(path.join(p.dir, "node_modules", "pulumi-invision", "package.json"), "utf8")).exports, "this version is installed");
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout), []);
        assert.doesNotMatch(pv.stdout, /replace/);
        assert.match(pv.stdout, /5 unchanged/); // 4 resources and the stack
        assert.equal(emu.requests.length, 0, "preview sends no request");
        const up = await p.pulumi(["up", "--yes"]);
        assert.deepEqual(steps(up.stdout), []);
        assert.doesNotMatch(up.stdout, /replace/);
        assert.match(up.stdout, /5 unchanged/);
        assert.equal(emu.writes().length, 0, "no SCIM write");
        note(`no-op up after the upgrade: ${emu.requests.length} requests, ${emu.writes().length} writes`);
    });

    it("refresh reads through the providers 0.1.0 left in the outputs", async () => {
        const before = await state();
        assert.ok(before.every((r) => String(r.outputs?.__provider).includes("pulumi-invision/runtime")), "the engine still holds 0.1.0's text");
        emu.clearRequests();
        const rf = await p.pulumi(["refresh", "--yes"]);
        assert.deepEqual(steps(rf.stdout), []);
        assert.ok(emu.requests.length > 0, "refresh read InVision");
        assert.equal(emu.writes().length, 0);
    });

    it("a change still applies, including a delete through 0.1.0's provider text", async () => {
        p.writeSpec({
            users: [roster.users[0], { userName: "bob@example.com", givenName: "Robert" }],
            groups: [{ ...roster.groups[0], members: ["alice@example.com", "bob@example.com"] }],
            memberBy: "id",
        });
        emu.clearRequests();
        const up = await p.pulumi(["up", "--yes"]);
        assert.deepEqual(steps(up.stdout).sort(), ["- invision:User carol@example.com delete", "~ invision:Group design update", "~ invision:User bob@example.com update"]);
        assert.equal(emu.store.userByName("bob@example.com")!.name?.givenName, "Robert");
        assert.equal(emu.store.userByName("carol@example.com")!.active, false, "deactivated by the delete");
        assert.equal(emu.store.groupByName("Design")!.members.length, 2);
        note(`change after the upgrade: ${emu.requests.length} requests, ${emu.writes().length} writes`);
    });

    it("the new state's __provider is small and names the stable module", async () => {
        for (const r of await state()) {
            const kind = r.type.endsWith(":User") ? "user" : "group";
            const input = String(r.inputs?.__provider);
            assert.ok(Buffer.byteLength(input) <= 400, `${nameOf(r)}: ${Buffer.byteLength(input)} bytes`);
            assert.ok(input.includes(`require("pulumi-invision/provider/${kind}")`), input);
            // Outputs take the new text when the resource is next written (alice was not).
            if (nameOf(r) !== "alice@example.com") assert.equal(r.outputs?.__provider, input, `${nameOf(r)} outputs`);
            note(`__provider of ${nameOf(r)} now: inputs ${Buffer.byteLength(input)} bytes, outputs ${Buffer.byteLength(String(r.outputs?.__provider))} bytes`);
        }
        await verifyProviders(p); // today's text in inputs, 0.1.0's still in alice's outputs
    });
});

/**
 * A stack written by the release before members were emails (ids in the
 * group's inputs and outputs, emails beside them), whose program then names
 * the same people by email: no change, no write; and the next change reads
 * as emails.
 */
const IDS_RELEASE = "92d6c8a"; // main before issue 15: members were SCIM ids

describe("a stack whose groups name members by id, switched to emails", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createProject("ids-to-emails", undefined, { tarball: packAt(IDS_RELEASE, "the release whose group members were ids") });
        p.writeSpec({ ...roster, memberBy: "id" });
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
        await p.pulumi(["up", "--yes"]);
        p.install(packed());
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("the same program, upgraded, with members switched to emails: the preview shows no change and up sends nothing", async () => {
        p.writeSpec({ ...roster, memberBy: "email" });
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout), []);
        assert.match(pv.stdout, /5 unchanged/);
        assert.equal(emu.requests.length, 0);
        note(`preview after switching members to emails:\n${pv.stdout.trim()}`);
        const up = await p.pulumi(["up", "--yes"]);
        assert.deepEqual(steps(up.stdout), []);
        assert.equal(emu.writes().length, 0, "no SCIM write");
    });

    it("the next change of the group reads as emails, with no SCIM id", async () => {
        p.writeSpec({ ...roster, groups: [{ ...roster.groups[0], members: ["alice@example.com", "bob@example.com"] }], memberBy: "email" });
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.deepEqual(steps(pv.stdout), ["~ invision:Group design update"]);
        note(`the first change after the switch:\n${pv.stdout.trim()}`);
        assert.match(pv.stdout, /- +carol@example\.com *: "member"/);
        assert.doesNotMatch(pv.stdout, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"?\s*$/m, "no SCIM id in any member line");
        await p.pulumi(["up", "--yes"]);
        assert.equal(emu.store.groupByName("Design")!.members.length, 2);
    });
});
