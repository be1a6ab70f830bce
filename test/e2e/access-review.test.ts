import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { Emulator, startEmulator } from "../../provider/emulator";
import type { AccessReview } from "../../provider/review/model";
import { configSet, createProject, createYamlProject, RunResult } from "./harness";

/**
 * `pulumi-invision access-review` on the JSON of a real `pulumi preview
 * --json --show-sames`, in both doors (a TypeScript program of dynamic
 * resources, and its YAML twin over the `invision` plugin), each with plain
 * users and groups and a Team: every kind of row from a pull request's
 * edits, then every kind of hand change after a persisted refresh; and `up`
 * doing what the report said.
 */

const TOKEN = "review-SECRET-token-5b2e71";
const SEEDED = ["alice", "bob", "carol", "dan", "fay", "gus", "zoe", "tara", "tom"].map((n) => `${n}@example.com`);

interface Spec {
    users: { name: string; userName: string; active?: boolean; onDelete?: "delete" }[];
    groups: { key: string; displayName: string; members: string[] }[];
}
type Roster = { users: { email: string }[]; groups: { name: string; members: string[] }[] };

const base: Spec = {
    users: [
        { name: "alice", userName: "alice@example.com" },
        { name: "bob", userName: "bob@example.com" },
        { name: "carol", userName: "carol@example.com" },
        { name: "dan", userName: "dan@example.com" },
        { name: "fay", userName: "fay@example.com", onDelete: "delete" },
        { name: "gus", userName: "gus@example.com" },
    ],
    groups: [
        { key: "design", displayName: "Design", members: ["alice", "bob"] },
        { key: "research", displayName: "Research", members: ["dan"] },
        { key: "ops", displayName: "Ops", members: ["gus"] },
        { key: "old", displayName: "Old", members: ["gus"] },
    ],
};
const baseRoster: Roster = { users: [{ email: "tara@example.com" }, { email: "tom@example.com" }], groups: [{ name: "T-Design", members: ["tara@example.com", "tom@example.com"] }] };

// The pull request: a new account, a deactivation, people leaving (deactivated, deleted), a new email,
// members added and removed, a group created, deleted and renamed; in the Team, one leaves and one joins.
const pullRequest: Spec = {
    users: [
        { name: "alice", userName: "alice@example.com" },
        { name: "carol", userName: "carol@example.com", active: false },
        { name: "dan", userName: "dan.new@example.com" },
        { name: "gus", userName: "gus@example.com" },
        { name: "erin", userName: "erin@example.com" },
    ],
    groups: [
        { key: "design", displayName: "Design", members: ["alice", "erin"] },
        { key: "research", displayName: "Research Lab", members: ["dan"] },
        { key: "ops", displayName: "Ops", members: ["gus", "zoe@example.com"] },
        { key: "marketing", displayName: "Marketing", members: ["alice"] },
    ],
};
const prRoster: Roster = { users: [{ email: "tara@example.com" }, { email: "uma@example.com" }], groups: [{ name: "T-Design", members: ["tara@example.com", "uma@example.com"] }] };

/** The YAML twin of review-program: the same resources by the same names, the Team over the plugin. */
function yamlProgram(s: Spec): string {
    const resources: Record<string, unknown> = {};
    for (const u of s.users) resources[u.name] = { type: "invision:index:User", properties: { userName: u.userName, ...(u.active === false ? { active: false } : {}), ...(u.onDelete ? { onDelete: u.onDelete } : {}) } };
    for (const g of s.groups) {
        resources[g.key] = { type: "invision:index:Group", properties: { displayName: g.displayName, members: g.members.map((m) => (s.users.some((u) => u.name === m) ? `\${${m}.userName}` : m)) } };
    }
    resources.team = { type: "invision:index:Team", properties: { roster: "team.yaml" } };
    return stringify({ name: "review-yaml", runtime: "yaml", resources });
}

interface Door {
    dir: string;
    transcript: string[];
    pulumi(args: string[], opts?: { allowFail?: boolean; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
    declare(s: Spec, r: Roster): void;
    invision(args: string[]): Promise<RunResult>;
}

async function openDoor(door: "typescript" | "yaml", emu: Emulator): Promise<Door> {
    let d: Door;
    if (door === "typescript") {
        const p = await createProject("review-ts", path.join(__dirname, "review-program"));
        d = {
            dir: p.dir,
            transcript: p.transcript,
            pulumi: p.pulumi,
            // The package's own bin, as `npx pulumi-invision` runs it.
            invision: (args) => p.bin("pulumi-invision", args),
            declare: (s, r) => {
                p.writeSpec(s);
                fs.writeFileSync(path.join(p.dir, "team.yaml"), stringify(r));
            },
        };
    } else {
        const p = await createYamlProject("review-yaml", { "Pulumi.yaml": yamlProgram(base), "team.yaml": stringify(baseRoster) });
        d = {
            dir: p.dir,
            transcript: p.transcript,
            pulumi: p.pulumi,
            invision: p.invision,
            declare: (s, r) => {
                fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), yamlProgram(s));
                fs.writeFileSync(path.join(p.dir, "team.yaml"), stringify(r));
            },
        };
    }
    await d.pulumi(configSet("invision:scimBaseUrl", emu.url));
    // In stack config, as a secret: the preview's JSON shows it as [secret].
    await d.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
    return d;
}

/** The preview's JSON through the real CLI: the report as Markdown and as data. */
async function accessReview(d: Door): Promise<{ markdown: string; review: AccessReview; json: string }> {
    const preview = await d.pulumi(["preview", "--json", "--show-sames"]);
    const file = path.join(d.dir, "preview.json");
    fs.writeFileSync(file, preview.stdout);
    const md = await d.invision(["access-review", "--in", file]);
    assert.equal(md.code, 0, md.out);
    const js = await d.invision(["access-review", "--in", file, "--format", "json"]);
    assert.equal(js.code, 0, js.out);
    return { markdown: md.stdout, review: JSON.parse(js.stdout) as AccessReview, json: preview.stdout };
}

/** The people table's rows, as written. */
const rows = (markdown: string) => markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Person") && !l.startsWith("| Group") && !l.startsWith("| ---") && / \| .* \| .* \| /.test(l));
const sorted = (xs: string[]) => [...xs].sort();

for (const door of ["typescript", "yaml"] as const) {
    describe(`access review through the real CLI: ${door}`, { timeout: 30 * 60_000 }, () => {
        let emu: Emulator;
        let d: Door;
        const user = (email: string) => [...emu.store.users.values()].find((u) => u.userName === email);
        const members = (group: string) =>
            (emu.store.groupByName(group)?.members ?? [])
                .map((m) => emu.store.getUser(m.value).userName)
                .sort();
        const scimIds = () => [...[...emu.store.users.values()].map((u) => String(u.id)), ...[...emu.store.groups.values()].map((g) => String(g.id))];
        const clean = (text: string) => {
            assert.ok(!text.includes(TOKEN), "the token is never in the report");
            for (const id of scimIds()) assert.ok(!text.includes(id), `no SCIM id in the report (${id})`);
        };

        before(async () => {
            emu = await startEmulator({ token: TOKEN });
            for (const email of SEEDED) emu.seedUser({ userName: email });
            d = await openDoor(door, emu);
            d.declare(base, baseRoster);
            await d.pulumi(["up", "--yes", "--skip-preview"]);
        });
        after(async () => {
            await emu?.close();
            if (d) fs.writeFileSync(path.join(d.dir, "transcript.txt"), d.transcript.join("\n"));
        });

        it("no change in access, when there is none", async () => {
            const { markdown, review } = await accessReview(d);
            assert.equal(review.summary, "no change in access");
            assert.match(markdown, /^### InVision access review: no change in access\n/);
            assert.deepEqual(review.handChanges, []);
            assert.deepEqual(review.notes, []);
        });

        it("a pull request: every kind of row, why, the groups, and the guard's refusal", async () => {
            d.declare(pullRequest, prRoster);
            await d.pulumi(configSet("invision:maxDeactivations", "3"));
            const { markdown, review, json } = await accessReview(d);
            assert.ok(json.includes('"invision:scimToken": "[secret]"'), "the preview masks the token in config");
            clean(markdown + JSON.stringify(review));
            assert.deepEqual(
                sorted(rows(markdown)),
                sorted([
                    "| alice@example.com |  | Marketing (new group) |  |",
                    "| bob@example.com | deactivated: left the roster |  | Design (left the roster) |",
                    "| carol@example.com | deactivated: declared active: false |  |  |",
                    "| dan.new@example.com | new account: replaces dan@example.com | Research Lab |  |",
                    "| dan@example.com | deactivated: replaced by dan.new@example.com |  | Research Lab (left the roster) |",
                    "| erin@example.com | new account | Design |  |",
                    "| fay@example.com | deleted: left the roster (onDelete: delete) |  |  |",
                    "| gus@example.com |  |  | Old (group deleted) |",
                    "| tom@example.com | deactivated: left the roster |  | T-Design (left the roster) |",
                    "| uma@example.com | new account | T-Design |  |",
                    "| zoe@example.com |  | Ops |  |",
                ]),
                markdown,
            );
            assert.equal(review.summary, "+3 people, -5 people, 9 group changes, 1 new group, 1 group deleted, 1 group renamed; up would be refused by the deletion guard");
            assert.deepEqual(
                sorted(review.groups.map((g) => `${g.group}: ${g.kind}${g.from ? ` from ${g.from}` : ""}${g.members !== undefined ? ` (${g.members})` : ""}`)),
                ["Marketing: created (1)", "Old: deleted (1)", "Research Lab: renamed from Research"],
            );
            assert.deepEqual([review.guard.deactivations.count, review.guard.deactivations.limit, review.guard.membershipRemovals.count, review.guard.membershipRemovals.limit], [5, 3, 4, 50]);
            assert.match(markdown, /\*\*`up` would be refused by the deletion guard\*\*: 5 where a run may make at most 3\./);
            assert.deepEqual(review.handChanges, []);

            // The bound raised, up does what the report said.
            await d.pulumi(configSet("invision:maxDeactivations", "10"));
            await d.pulumi(["up", "--yes", "--skip-preview"]);
            for (const e of ["bob", "carol", "dan", "tom"]) assert.equal(user(`${e}@example.com`)?.active, false, `${e} deactivated`);
            assert.equal(user("fay@example.com"), undefined, "fay deleted");
            assert.deepEqual(members("Design"), ["alice@example.com", "erin@example.com"]);
            assert.deepEqual(members("Research Lab"), ["dan.new@example.com"]);
            assert.deepEqual(members("Ops"), ["gus@example.com", "zoe@example.com"]);
            assert.deepEqual(members("Marketing"), ["alice@example.com"]);
            assert.deepEqual(members("T-Design"), ["tara@example.com", "uma@example.com"]);
            assert.equal(emu.store.groupByName("Old"), undefined);
        });

        it("hand changes recorded by a persisted refresh: what state records, and what the next up does", async () => {
            const byName = (email: string) => user(email)!;
            byName("alice@example.com").active = false;
            const erin = byName("erin@example.com");
            erin.userName = "erin.x@example.com";
            erin.emails = [{ value: "erin.x@example.com", primary: true, type: "work" }];
            const design = emu.store.groupByName("Design")!;
            design.members = [...design.members.filter((m) => m.value !== byName("alice@example.com").id), { value: byName("gus@example.com").id }];
            emu.store.groupByName("Ops")!.displayName = "Ops (renamed)";
            emu.store.deleteUser(byName("dan.new@example.com").id);
            emu.store.deleteGroup(emu.store.groupByName("Marketing")!.id);
            const team = emu.store.groupByName("T-Design")!;
            team.members = team.members.filter((m) => m.value !== byName("uma@example.com").id);

            emu.clearRequests();
            const before = await accessReview(d);
            assert.equal(before.review.summary, "no change in access", "a preview reads no InVision data: it cannot know");
            assert.equal(emu.requests.length, 0);

            await d.pulumi(["refresh", "--yes"]);
            const { markdown, review } = await accessReview(d);
            clean(markdown + JSON.stringify(review));
            assert.deepEqual(
                sorted(rows(markdown)),
                sorted([
                    "| alice@example.com | reactivated: deactivated outside the program | Design (added back: removed outside the program), Marketing (group created again: it was deleted outside the program) |  |",
                    "| dan.new@example.com | new account: the account was deleted outside the program | Research Lab (added back: removed outside the program) |  |",
                    "| erin@example.com | email changed back from erin.x@example.com (changed outside the program) |  |  |",
                    "| gus@example.com |  |  | Design (not declared: added outside the program, or kept when the group was adopted) |",
                    "| uma@example.com |  | T-Design (added back: removed outside the program) |  |",
                ]),
                markdown,
            );
            assert.deepEqual(
                sorted(review.handChanges.map((h) => `${h.subject}: ${h.what} -> ${h.next}`)),
                sorted([
                    "alice@example.com: deactivated in InVision -> reactivated",
                    "erin@example.com: email changed in InVision to erin.x@example.com -> changed back to erin@example.com",
                    "dan.new@example.com: deleted in InVision -> a new account is created",
                    "Design: gus@example.com: in the group in InVision, not declared (added outside the program, or kept when the group was adopted) -> removed",
                    "Design: alice@example.com: declared, but not in the group in InVision (removed outside the program) -> added back",
                    "Ops: renamed in InVision to 'Ops (renamed)' -> renamed back to 'Ops'",
                    "Marketing: deleted in InVision -> created again",
                    "Research Lab: dan.new@example.com: declared, but not in the group in InVision (removed outside the program) -> added back",
                    "T-Design: uma@example.com: declared, but not in the group in InVision (removed outside the program) -> added back",
                ]),
            );
            assert.match(markdown, /#### Changed outside the program/);
            assert.match(markdown, /\| Ops \| renamed from 'Ops \(renamed\)': renamed outside the program \|/);

            await d.pulumi(["up", "--yes", "--skip-preview"]);
            assert.equal(user("alice@example.com")?.active, true);
            assert.ok(user("erin@example.com"), "erin's email changed back");
            assert.deepEqual(members("Design"), ["alice@example.com", "erin@example.com"]);
            assert.deepEqual(members("Ops"), ["gus@example.com", "zoe@example.com"]);
            assert.deepEqual(members("Research Lab"), ["dan.new@example.com"]);
            assert.deepEqual(members("Marketing"), ["alice@example.com"]);
            assert.deepEqual(members("T-Design"), ["tara@example.com", "uma@example.com"]);

            const settled = await accessReview(d);
            assert.equal(settled.review.summary, "no change in access");
            assert.deepEqual(settled.review.handChanges, []);
        });
    });
}
