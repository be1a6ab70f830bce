import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, RequestRecord, startEmulator } from "../../provider/emulator";
import { baseDeclaration, Declaration, OUTSIDERS, PEOPLE } from "../support/model/declaration";
import { configSet, createProject, createYamlProject, RunResult } from "./harness";
import { yamlProgram } from "./model/run";
import { note, warnings } from "./safety-spec";

const TOKEN = "parity-SECRET-token-7a3c5e";

interface Door {
    name: "typescript" | "yaml";
    emu: Emulator;
    declare(d: Declaration): void;
    pulumi(args: string[], opts?: { allowFail?: boolean }): Promise<RunResult>;
    transcript: string[];
    dir: string;
    /** Every id the emulator ever handed out, by what it names: ids differ between the two tenants, names do not. */
    names: Map<string, string>;
}

async function open(name: Door["name"], d: Declaration): Promise<Door> {
    const emu = await startEmulator({ token: TOKEN, profile: "strict" });
    for (const email of PEOPLE) emu.seedUser({ userName: email, givenName: email.split("@")[0].toUpperCase() });
    const base = { name, emu, names: new Map<string, string>() };
    let door: Door;
    if (name === "typescript") {
        const p = await createProject("parity-ts", path.join(__dirname, "safety-program"));
        door = { ...base, dir: p.dir, transcript: p.transcript, pulumi: p.pulumi, declare: (x) => p.writeSpec(x) };
    } else {
        const p = await createYamlProject("parity-yaml", { "Pulumi.yaml": yamlProgram(d) });
        door = { ...base, dir: p.dir, transcript: p.transcript, pulumi: p.pulumi, declare: (x) => fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), yamlProgram(x)) };
    }
    await door.pulumi(configSet("invision:scimBaseUrl", emu.url));
    await door.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
    door.declare(d);
    return door;
}

function learnNames(door: Door): void {
    for (const u of door.emu.store.users.values()) door.names.set(String(u.id), `<user ${u.userName}>`);
    for (const g of door.emu.store.groups.values()) door.names.set(String(g.id), `<group ${g.displayName}>`);
}

/**
 * A write as both tenants can receive it: every id (numeric, in the strict
 * profile, and handed out in whatever order creates ran) replaced by the name
 * of what it is, in the path, the member values and removal filters.
 */
function normalised(door: Door, r: RequestRecord): string {
    const name = (id: unknown) => door.names.get(String(id)) ?? `<unknown id ${String(id)}>`;
    const named = (v: unknown, key?: string): unknown => {
        if (Array.isArray(v)) return v.map((x) => named(x)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, named(x, k)]));
        if (key === "value" && (typeof v === "string" || typeof v === "number") && door.names.has(String(v))) return name(v);
        if (key === "path" && typeof v === "string") return v.replace(/value eq "?([^"\]]+)"?/g, (_, id: string) => `value eq ${name(id)}`);
        return v;
    };
    const path = r.path.replace(/^\/(Users|Groups)\/([^/]+)/, (_, kind: string, id: string) => `/${kind}/${name(id)}`);
    return JSON.stringify({ method: r.method, path, body: named(r.body ?? null), status: r.status });
}

/**
 * Runs one step in both doors at once; what each wrote and said. Reads (and
 * writes refused while the client learns the server's dialect) are
 * not compared: which lookups a run makes depends on the order the engine
 * hands the provider its resources (the first ones come before the run's
 * shared listing is loaded), which differs between two runs of one door.
 */
async function both(doors: Door[], args: string[], opts: { allowFail?: boolean } = {}): Promise<{ requests: string[]; warnings: string[]; out: string }[]> {
    for (const d of doors) {
        learnNames(d);
        d.emu.clearRequests();
    }
    const results = await Promise.all(doors.map((d) => d.pulumi(args, opts)));
    return doors.map((d, i) => {
        learnNames(d);
        // Writes the server accepted. A refused one is the client learning the
        // server's dialect (an op's case, a filter form): which request learns
        // it first depends on the order resources run in, in either door.
        const accepted = d.emu.writes().filter((r) => r.status < 400);
        return { requests: accepted.map((r) => normalised(d, r)).sort(), warnings: warnings(results[i].out).sort(), out: results[i].out };
    });
}

/**
 * Issue 22, item 6: parity of the two doors. The same scenarios run through
 * a TypeScript program of the dynamic resources (test/e2e/safety-program)
 * and its YAML twin on the plugin (test/e2e/model/run.ts's yamlProgram),
 * each against its own emulator holding the same people: every step sends
 * the same writes (ids named) and prints the same warnings.
 */
describe("parity: the same program through both doors sends the same writes and says the same things", { timeout: 30 * 60_000 }, () => {
    let doors: Door[];
    let decl = baseDeclaration();

    before(async () => {
        doors = await Promise.all([open("typescript", decl), open("yaml", decl)]);
    });
    after(async () => {
        for (const d of doors ?? []) {
            await d.emu.close();
            fs.writeFileSync(path.join(d.dir, "transcript.txt"), d.transcript.join("\n"));
        }
    });

    async function step(label: string, args: string[], opts: { allowFail?: boolean } = {}): Promise<void> {
        const [ts, yaml] = await both(doors, args, opts);
        note(`${label}: ${ts.requests.length} write(s), ${ts.warnings.length} warning(s) from each door`);
        assert.deepEqual(yaml.requests, ts.requests, `${label}: the writes differ`);
        assert.deepEqual(yaml.warnings, ts.warnings, `${label}: the warnings differ`);
    }

    it("the first up adopts the seeded people and creates the groups", async () => {
        await step("preview", ["preview"]);
        await step("up", ["up", "--yes", "--skip-preview"]);
        for (const d of doors) assert.equal(d.emu.store.groups.size, 3, d.name);
    });

    it("a pull request: a member removed, a person deactivated, a name changed, a group added and one removed", async () => {
        decl = JSON.parse(JSON.stringify(decl)) as Declaration;
        decl.groups.find((g) => g.key === "design")!.members = ["u0"];
        decl.users.find((u) => u.name === "u3")!.active = false;
        decl.users.find((u) => u.name === "u0")!.givenName = "Pia";
        decl.groups = decl.groups.filter((g) => g.key !== "ops");
        decl.groups.push({ key: "leads", displayName: "Leads", members: ["u0", OUTSIDERS[2]] });
        for (const d of doors) d.declare(decl);
        await step("preview --diff", ["preview", "--diff"]);
        await step("up", ["up", "--yes", "--skip-preview"]);
    });

    it("hand changes: refresh, the next preview and up say and send the same", async () => {
        for (const d of doors) {
            const design = d.emu.store.groupByName("Design")!;
            design.members.push({ value: String(d.emu.store.userByName(OUTSIDERS[1])!.id) });
            d.emu.store.patchUser(d.emu.store.userByName("p2@example.com")!.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }, false);
        }
        await step("refresh", ["refresh", "--yes", "--skip-preview"]);
        await step("preview", ["preview"]);
        await step("up", ["up", "--yes", "--skip-preview"]);
    });

    it("destroy", async () => {
        await step("destroy", ["destroy", "--yes", "--skip-preview"]);
        for (const d of doors) {
            assert.equal(d.emu.store.groups.size, 0, d.name);
            assert.ok(!d.transcript.filter((c) => !c.startsWith("$ pulumi config set")).join("\n").includes(TOKEN));
        }
    });
});
