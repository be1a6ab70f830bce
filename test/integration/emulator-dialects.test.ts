import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Emulator, EmulatorOptions, PROFILES, resolveOptions, startEmulator } from "../../provider/emulator";

/**
 * The emulator's dialects, over a real socket with plain fetch. Deliberately not
 * through the project's SCIM client: the emulator is the client's referee and
 * must be checked on its own. Each option is tested both ways: strict and lenient.
 */

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface Answer {
    status: number;
    headers: Headers;
    body: any;
}

function api(emu: Emulator) {
    const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
        const res = await fetch(emu.url + path, {
            method,
            headers: { Authorization: `Bearer ${emu.token}`, "Content-Type": "application/scim+json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };
    return {
        get: (path: string) => call("GET", path),
        post: (path: string, body: unknown) => call("POST", path, body),
        put: (path: string, body: unknown) => call("PUT", path, body),
        patch: (path: string, ops: unknown[], schemas: string[] | null = [PATCH_OP]) => call("PATCH", path, schemas ? { schemas, Operations: ops } : { Operations: ops }),
        del: (path: string) => call("DELETE", path),
        filter: (collection: string, filter: string) => call("GET", `/${collection}?filter=${encodeURIComponent(filter)}`),
    };
}

async function withEmu(options: EmulatorOptions, fn: (emu: Emulator, x: ReturnType<typeof api>) => Promise<void>): Promise<void> {
    const emu = await startEmulator(options);
    try {
        await fn(emu, api(emu));
    } finally {
        await emu.close();
    }
}

const names = (list: Answer) => (list.body.Resources as { userName?: string; displayName?: string }[]).map((r) => r.userName ?? r.displayName);

describe("emulator options", () => {
    it("never lets an undefined option override a default (npm run emulator without --page-size)", async () => {
        await withEmu({ pageSize: undefined, pagination: undefined, filter: undefined }, async (emu, x) => {
            emu.seedUser({ userName: "a@x.com" });
            const list = await x.get("/Users");
            assert.equal(list.status, 200);
            assert.deepEqual(names(list), ["a@x.com"]);
            assert.equal(emu.options.pageSize, 100);
        });
    });

    it("composes a profile with explicit options, the explicit ones winning", () => {
        const strict = resolveOptions({ profile: "strict" });
        assert.equal(strict.filterCase, "exact");
        assert.equal(strict.ids, "numeric");
        assert.equal(strict.pageSize, 50);
        const mixed = resolveOptions({ profile: "strict", ids: "uuid", pageSize: undefined, filterCase: "insensitive" });
        assert.equal(mixed.ids, "uuid");
        assert.equal(mixed.filterCase, "insensitive");
        assert.equal(mixed.pageSize, 50, "undefined does not undo the profile");
        assert.equal(mixed.opCase, "capitalised");
        assert.deepEqual(resolveOptions({}), resolveOptions({ profile: "standard" }));
        assert.throws(() => resolveOptions({ profile: "lenient" as never }), /unknown emulator profile/);
    });
});

describe("filters", () => {
    it("filterCase exact misses a differently-cased userName; insensitive finds it", async () => {
        await withEmu({ filterCase: "exact" }, async (emu, x) => {
            emu.seedUser({ userName: "alice@x.com" });
            assert.deepEqual(names(await x.filter("Users", 'userName eq "Alice@x.com"')), []);
            assert.deepEqual(names(await x.filter("Users", 'userName eq "alice@x.com"')), ["alice@x.com"]);
            // Uniqueness stays case-insensitive: that is what makes a case-exact filter dangerous.
            assert.equal((await x.post("/Users", { schemas: [USER], userName: "Alice@x.com" })).status, 409);
        });
        await withEmu({}, async (emu, x) => {
            emu.seedUser({ userName: "alice@x.com" });
            assert.deepEqual(names(await x.filter("Users", 'userName eq "Alice@x.com"')), ["alice@x.com"]);
        });
    });

    it("filterOps eq-only takes eq on userName, displayName, externalId (any attribute case) and nothing else", async () => {
        await withEmu({ filterOps: "eq-only" }, async (emu, x) => {
            emu.seedUser({ userName: "alice@x.com", displayName: "Alice", externalId: "ext-1" });
            emu.seedGroup({ displayName: "Design" });
            assert.deepEqual(names(await x.filter("Users", 'USERNAME eq "alice@x.com"')), ["alice@x.com"]);
            assert.deepEqual(names(await x.filter("Users", 'externalId eq "ext-1"')), ["alice@x.com"]);
            assert.deepEqual(names(await x.filter("Groups", 'displayName eq "design"')), ["Design"]);
            for (const f of ['userName co "alice"', 'userName sw "a"', "userName pr", 'userName eq "a" and displayName eq "b"', 'userName eq "a" or userName eq "b"', "active eq true", 'emails.value eq "alice@x.com"', 'id eq "1"']) {
                const r = await x.filter("Users", f);
                assert.equal(r.status, 400, f);
                assert.equal(r.body.scimType, "invalidFilter", f);
            }
        });
        await withEmu({ filterOps: "full" }, async (emu, x) => {
            emu.seedUser({ userName: "alice@x.com", displayName: "Alice" });
            assert.deepEqual(names(await x.filter("Users", 'userName co "lice"')), ["alice@x.com"]);
            assert.deepEqual(names(await x.filter("Users", 'userName pr and displayName eq "alice"')), ["alice@x.com"]);
        });
    });
});

describe("deactivated users", () => {
    it("inactiveUsers hidden: missing from lists and filters, readable by id, 409 without an id on POST", async () => {
        await withEmu({ inactiveUsers: "hidden" }, async (emu, x) => {
            const gone = emu.seedUser({ userName: "gone@x.com", active: false });
            emu.seedUser({ userName: "here@x.com" });
            assert.deepEqual(names(await x.get("/Users")), ["here@x.com"]);
            assert.equal((await x.get("/Users")).body.totalResults, 1);
            assert.deepEqual(names(await x.filter("Users", 'userName eq "gone@x.com"')), []);
            const byId = await x.get(`/Users/${gone.id}`);
            assert.equal(byId.status, 200);
            assert.equal(byId.body.active, false);
            const again = await x.post("/Users", { schemas: [USER], userName: "gone@x.com" });
            assert.equal(again.status, 409);
            assert.equal(again.body.scimType, "uniqueness");
            assert.ok(!JSON.stringify(again.body).includes(gone.id), "the 409 does not give the id away");
        });
        await withEmu({ inactiveUsers: "listed" }, async (emu, x) => {
            emu.seedUser({ userName: "gone@x.com", active: false });
            assert.deepEqual(names(await x.filter("Users", 'userName eq "gone@x.com"')), ["gone@x.com"]);
        });
    });
});

describe("group members in answers", () => {
    it("groupListMembers omitted: lists and filters carry no members, GET by id does", async () => {
        await withEmu({ groupListMembers: "omitted" }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            const g = emu.seedGroup({ displayName: "Design", members: [u.id] });
            assert.equal((await x.get("/Groups")).body.Resources[0].members, undefined);
            assert.equal((await x.filter("Groups", 'displayName eq "Design"')).body.Resources[0].members, undefined);
            assert.deepEqual((await x.get(`/Groups/${g.id}`)).body.members.map((m: { value: string }) => m.value), [u.id]);
        });
        await withEmu({ groupListMembers: "included" }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            emu.seedGroup({ displayName: "Design", members: [u.id] });
            assert.equal((await x.get("/Groups")).body.Resources[0].members.length, 1);
        });
    });

    it("with groupGet unsupported as well, members are readable from nowhere", async () => {
        await withEmu({ groupListMembers: "omitted", groupGet: 405 }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            const g = emu.seedGroup({ displayName: "Design", members: [u.id] });
            assert.equal((await x.get("/Groups")).body.Resources[0].members, undefined);
            assert.equal((await x.get(`/Groups/${g.id}`)).status, 405);
        });
    });

    it("always honours excludedAttributes and attributes on lists and GETs", async () => {
        await withEmu({}, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com", givenName: "A", familyName: "B" });
            const g = emu.seedGroup({ displayName: "Design", members: [u.id] });
            const listed = (await x.get("/Groups?excludedAttributes=members")).body.Resources[0];
            assert.equal(listed.members, undefined);
            assert.equal(listed.displayName, "Design");
            assert.equal((await x.get(`/Groups/${g.id}?excludedAttributes=Members`)).body.members, undefined);
            const only = (await x.get(`/Users/${u.id}?attributes=userName,name.givenName`)).body;
            assert.deepEqual(Object.keys(only).sort(), ["id", "name", "schemas", "userName"]);
            assert.deepEqual(only.name, { givenName: "A" });
            const listOnly = (await x.get("/Users?attributes=userName")).body.Resources[0];
            assert.deepEqual(Object.keys(listOnly).sort(), ["id", "schemas", "userName"]);
        });
    });
});

describe("member removal", () => {
    const filterForm = (id: string) => ({ op: "remove", path: `members[value eq "${id}"]` });
    const valueForm = (id: string) => ({ op: "remove", path: "members", value: [{ value: id }] });

    async function setup(emu: Emulator) {
        const a = emu.seedUser({ userName: "a@x.com" });
        const b = emu.seedUser({ userName: "b@x.com" });
        const g = emu.seedGroup({ displayName: "Design", members: [a.id, b.id] });
        return { a, b, g, members: () => emu.store.getGroup(g.id).members.map((m) => m.value) };
    }

    it("filter-path: the filter form removes, the value list is a 400 invalidValue that changes nothing", async () => {
        await withEmu({ memberRemoval: "filter-path" }, async (emu, x) => {
            const s = await setup(emu);
            const refused = await x.patch(`/Groups/${s.g.id}`, [valueForm(s.a.id)]);
            assert.equal(refused.status, 400);
            assert.equal(refused.body.scimType, "invalidValue");
            assert.deepEqual(s.members(), [s.a.id, s.b.id]);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)])).status, 200);
            assert.deepEqual(s.members(), [s.b.id]);
        });
    });

    it("value-list: the value list removes, the filter form is a 400 invalidPath", async () => {
        await withEmu({ memberRemoval: "value-list" }, async (emu, x) => {
            const s = await setup(emu);
            const refused = await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)]);
            assert.equal(refused.status, 400);
            assert.equal(refused.body.scimType, "invalidPath");
            assert.deepEqual(s.members(), [s.a.id, s.b.id]);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [valueForm(s.a.id)])).status, 200);
            assert.deepEqual(s.members(), [s.b.id]);
        });
    });

    it("a one-form server refuses every other removal (remove-all, compound filters); any takes them", async () => {
        for (const memberRemoval of ["filter-path", "value-list"] as const) {
            await withEmu({ memberRemoval }, async (emu, x) => {
                const s = await setup(emu);
                for (const op of [{ op: "remove", path: "members" }, { op: "remove", path: `members[value eq "${s.a.id}" or value eq "${s.b.id}"]` }]) {
                    const r = await x.patch(`/Groups/${s.g.id}`, [op]);
                    assert.equal(r.status, 400, `${memberRemoval} ${JSON.stringify(op)}`);
                }
                assert.equal((await x.patch(`/Groups/${s.g.id}`, [{ op: "remove", path: "members", value: [] }])).status, 400);
                assert.deepEqual(s.members(), [s.a.id, s.b.id]);
            });
        }
        await withEmu({}, async (emu, x) => {
            const s = await setup(emu);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [{ op: "remove", path: `members[value eq "${s.a.id}" or value eq "${s.b.id}"]` }])).status, 200);
            assert.deepEqual(s.members(), []);
        });
    });

    it("any: both forms really remove (never a 200 that removes nothing)", async () => {
        await withEmu({}, async (emu, x) => {
            const s = await setup(emu);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [valueForm(s.a.id)])).status, 200);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [filterForm(s.b.id)])).status, 200);
            assert.deepEqual(s.members(), []);
        });
    });

    it("ignoreUnsupportedRemoval: the refused form answers 2xx and removes nothing (a lying server)", async () => {
        await withEmu({ memberRemoval: "filter-path", ignoreUnsupportedRemoval: true }, async (emu, x) => {
            const s = await setup(emu);
            const lie = await x.patch(`/Groups/${s.g.id}`, [valueForm(s.a.id)]);
            assert.equal(lie.status, 200);
            assert.deepEqual(s.members(), [s.a.id, s.b.id]);
        });
        await withEmu({ memberRemoval: "value-list", ignoreUnsupportedRemoval: true, patchResponse: "no-content" }, async (emu, x) => {
            const s = await setup(emu);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)])).status, 204);
            assert.deepEqual(s.members(), [s.a.id, s.b.id]);
        });
    });

    it("removeMissingMember noTarget: removing a non-member is a 400 noTarget; ignore answers 200", async () => {
        await withEmu({ removeMissingMember: "noTarget" }, async (emu, x) => {
            const s = await setup(emu);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)])).status, 200);
            for (const replay of [filterForm(s.a.id), valueForm(s.a.id)]) {
                const r = await x.patch(`/Groups/${s.g.id}`, [replay]);
                assert.equal(r.status, 400);
                assert.equal(r.body.scimType, "noTarget");
            }
            assert.deepEqual(s.members(), [s.b.id]);
        });
        await withEmu({ removeMissingMember: "ignore" }, async (emu, x) => {
            const s = await setup(emu);
            await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)]);
            assert.equal((await x.patch(`/Groups/${s.g.id}`, [filterForm(s.a.id)])).status, 200);
        });
    });
});

describe("PATCH and POST answers", () => {
    it("opCase lower / capitalised / any", async () => {
        const cases: [EmulatorOptions["opCase"], string[], string[]][] = [
            ["lower", ["replace"], ["Replace", "REPLACE"]],
            ["capitalised", ["Replace"], ["replace", "REPLACE"]],
            ["any", ["replace", "Replace", "REPLACE"], ["Swap"]],
        ];
        for (const [opCase, accepted, refused] of cases) {
            await withEmu({ opCase }, async (emu, x) => {
                const u = emu.seedUser({ userName: "a@x.com" });
                for (const op of accepted) assert.equal((await x.patch(`/Users/${u.id}`, [{ op, path: "displayName", value: op }])).status, 200, `${opCase} ${op}`);
                for (const op of refused) {
                    const r = await x.patch(`/Users/${u.id}`, [{ op, path: "displayName", value: op }]);
                    assert.equal(r.status, 400, `${opCase} ${op}`);
                    assert.equal(r.body.scimType, "invalidSyntax");
                }
                assert.equal(emu.store.getUser(u.id).displayName, accepted[accepted.length - 1]);
            });
        }
    });

    it("patchResponse no-content answers 204 with no body; resource answers 200 with it", async () => {
        await withEmu({ patchResponse: "no-content" }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            const r = await x.patch(`/Users/${u.id}`, [{ op: "Replace", path: "active", value: "False" }]);
            assert.equal(r.status, 204);
            assert.equal(r.body, undefined);
            assert.equal(emu.store.getUser(u.id).active, false);
        });
        await withEmu({ patchResponse: "resource" }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            const r = await x.patch(`/Users/${u.id}`, [{ op: "replace", path: "active", value: false }]);
            assert.equal(r.status, 200);
            assert.equal(r.body.active, false);
        });
    });

    it("postResponse: resource with Location, empty with Location, empty without", async () => {
        for (const postResponse of ["resource", "empty", "empty-no-location"] as const) {
            await withEmu({ postResponse }, async (emu, x) => {
                const r = await x.post("/Users", { schemas: [USER], userName: "a@x.com" });
                assert.equal(r.status, 201);
                const id = [...emu.store.users.keys()][0];
                assert.equal(r.body?.id, postResponse === "resource" ? id : undefined);
                assert.equal(r.headers.get("location"), postResponse === "empty-no-location" ? null : `${emu.url}/Users/${id}`);
            });
        }
    });

    it("ids numeric: ids and member values are numbers; requests may send either", async () => {
        await withEmu({ ids: "numeric" }, async (_emu, x) => {
            const a = await x.post("/Users", { schemas: [USER], userName: "a@x.com" });
            const b = await x.post("/Users", { schemas: [USER], userName: "b@x.com" });
            assert.equal(typeof a.body.id, "number");
            const g = await x.post("/Groups", { schemas: [GROUP], displayName: "Design", members: [{ value: a.body.id }] });
            assert.equal(typeof g.body.id, "number");
            assert.deepEqual(g.body.members.map((m: { value: unknown }) => m.value), [a.body.id]);
            await x.patch(`/Groups/${g.body.id}`, [{ op: "add", path: "members", value: [{ value: String(b.body.id) }] }]);
            await x.patch(`/Groups/${g.body.id}`, [{ op: "remove", path: `members[value eq ${a.body.id}]` }]);
            const read = await x.get(`/Groups/${g.body.id}`);
            assert.deepEqual(read.body.members.map((m: { value: unknown }) => m.value), [b.body.id]);
            assert.equal(typeof (await x.get("/Users")).body.Resources[0].id, "number");
            assert.equal((await x.get(`/Users/${a.body.id}`)).body.userName, "a@x.com");
            assert.deepEqual(names(await x.filter("Users", `id eq ${a.body.id}`)), ["a@x.com"]);
        });
        await withEmu({ ids: "uuid" }, async (_emu, x) => {
            const a = await x.post("/Users", { schemas: [USER], userName: "a@x.com" });
            assert.match(a.body.id, /^[0-9a-f-]{36}$/);
        });
    });

    it("totalResults page-size reports the page's length; exact reports the whole", async () => {
        for (const [totalResults, expected] of [["page-size", 2], ["exact", 5]] as const) {
            await withEmu({ totalResults }, async (emu, x) => {
                for (let i = 0; i < 5; i++) emu.seedUser({ userName: `u${i}@x.com` });
                const page = await x.get("/Users?startIndex=1&count=2");
                assert.equal(page.body.Resources.length, 2);
                assert.equal(page.body.totalResults, expected);
            });
        }
    });

    it("serviceProviderConfig truthful, absent, lying", async () => {
        await withEmu({ filter: "rejected" }, async (_emu, x) => {
            const r = await x.get("/ServiceProviderConfig");
            assert.equal(r.status, 200);
            assert.equal(r.body.filter.supported, false);
        });
        await withEmu({ serviceProviderConfig: "absent" }, async (_emu, x) => {
            assert.equal((await x.get("/ServiceProviderConfig")).status, 404);
        });
        await withEmu({ serviceProviderConfig: "lying", filter: "rejected", pageSize: 10 }, async (_emu, x) => {
            const r = await x.get("/ServiceProviderConfig");
            assert.equal(r.body.filter.supported, true);
            assert.ok(r.body.filter.maxResults > 10);
            assert.equal(r.body.patch.supported, true);
            assert.equal((await x.filter("Users", 'userName eq "a"')).status, 400, "and it still does what its options say");
        });
    });

    it("externalId ignored: writes succeed, nothing is stored or returned; stored keeps it", async () => {
        await withEmu({ externalId: "ignored" }, async (emu, x) => {
            const r = await x.post("/Users", { schemas: [USER], userName: "a@x.com", externalId: "e1" });
            assert.equal(r.status, 201);
            assert.equal(r.body.externalId, undefined);
            assert.equal((await x.patch(`/Users/${r.body.id}`, [{ op: "replace", path: "externalId", value: "e2" }])).status, 200);
            assert.equal((await x.put(`/Users/${r.body.id}`, { schemas: [USER], userName: "a@x.com", externalId: "e3" })).status, 200);
            assert.equal((await x.get(`/Users/${r.body.id}`)).body.externalId, undefined);
            const g = await x.post("/Groups", { schemas: [GROUP], displayName: "G", externalId: "g1" });
            assert.equal(g.body.externalId, undefined);
            assert.equal(emu.store.getUser(r.body.id).externalId, undefined);
        });
        await withEmu({ externalId: "stored" }, async (_emu, x) => {
            const r = await x.post("/Users", { schemas: [USER], userName: "a@x.com", externalId: "e1" });
            assert.equal((await x.get(`/Users/${r.body.id}`)).body.externalId, "e1");
        });
    });

    it("requireSchemas: writes without the right schemas are 400 invalidSyntax; lenient servers take them", async () => {
        await withEmu({ requireSchemas: true }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            for (const r of [
                await x.post("/Users", { userName: "b@x.com" }),
                await x.post("/Users", { schemas: [GROUP], userName: "b@x.com" }),
                await x.post("/Groups", { displayName: "G" }),
                await x.put(`/Users/${u.id}`, { userName: "a@x.com" }),
                await x.patch(`/Users/${u.id}`, [{ op: "replace", path: "displayName", value: "A" }], null),
            ]) {
                assert.equal(r.status, 400);
                assert.equal(r.body.scimType, "invalidSyntax");
            }
            assert.equal(emu.store.users.size, 1);
        });
        await withEmu({ requireSchemas: false }, async (emu, x) => {
            const u = emu.seedUser({ userName: "a@x.com" });
            assert.equal((await x.post("/Users", { userName: "b@x.com" })).status, 201);
            assert.equal((await x.patch(`/Users/${u.id}`, [{ op: "replace", path: "displayName", value: "A" }], null)).status, 200);
        });
    });
});

describe("profiles", () => {
    it("strict: an Entra-style lifecycle works, and every lenient form is refused", async () => {
        await withEmu({ profile: "strict" }, async (emu, x) => {
            const a = await x.post("/Users", { schemas: [USER], userName: "Alice@x.com" });
            const b = await x.post("/Users", { schemas: [USER], userName: "bob@x.com", name: { givenName: "Bob", familyName: "Hu" } });
            assert.equal(a.status, 201);
            assert.equal(typeof a.body.id, "number");
            assert.deepEqual(names(await x.filter("Users", 'userName eq "alice@x.com"')), []);
            assert.equal((await x.filter("Users", 'userName co "x"')).status, 400);
            const g = await x.post("/Groups", { schemas: [GROUP], displayName: "Design" });
            const add = await x.patch(`/Groups/${g.body.id}`, [{ op: "Add", path: "members", value: [{ value: a.body.id }, { value: b.body.id }] }]);
            assert.equal(add.status, 204);
            assert.equal((await x.patch(`/Groups/${g.body.id}`, [{ op: "add", path: "members", value: [{ value: a.body.id }] }])).status, 400);
            assert.equal((await x.patch(`/Groups/${g.body.id}`, [{ op: "Remove", path: `members[value eq "${a.body.id}"]` }])).status, 400);
            assert.equal((await x.patch(`/Groups/${g.body.id}`, [{ op: "Remove", path: "members", value: [{ value: a.body.id }] }])).status, 204);
            assert.equal((await x.patch(`/Groups/${g.body.id}`, [{ op: "Remove", path: "members", value: [{ value: a.body.id }] }])).body.scimType, "noTarget");
            assert.equal((await x.get("/Groups")).body.Resources[0].members, undefined);
            assert.deepEqual((await x.get(`/Groups/${g.body.id}`)).body.members, [{ value: b.body.id, display: "Bob Hu" }], "display is a name (RFC 7643), not the email");
            assert.equal((await x.patch(`/Users/${b.body.id}`, [{ op: "Replace", path: "active", value: false }])).status, 204);
            assert.deepEqual(names(await x.get("/Users")), ["Alice@x.com"]);
            assert.equal((await x.get("/ServiceProviderConfig")).status, 404);
            assert.equal((await x.post("/Users", { userName: "c@x.com" })).status, 400);
            for (let i = 0; i < 60; i++) emu.seedUser({ userName: `u${i}@x.com` });
            const page = await x.get("/Users?count=500");
            assert.equal(page.body.Resources.length, 50);
            assert.equal(page.body.totalResults, 50);
        });
    });

    it("okta-like: lower-case ops, filter-path removal, PATCH answers the resource", async () => {
        await withEmu({ profile: "okta-like" }, async (emu, x) => {
            const a = emu.seedUser({ userName: "alice@x.com" });
            const g = emu.seedGroup({ displayName: "Design", members: [a.id] });
            assert.deepEqual(names(await x.filter("Users", 'userName eq "ALICE@x.com"')), ["alice@x.com"]);
            assert.equal((await x.patch(`/Groups/${g.id}`, [{ op: "Remove", path: `members[value eq "${a.id}"]` }])).status, 400);
            assert.equal((await x.patch(`/Groups/${g.id}`, [{ op: "remove", path: "members", value: [{ value: a.id }] }])).status, 400);
            const ok = await x.patch(`/Groups/${g.id}`, [{ op: "remove", path: `members[value eq "${a.id}"]` }]);
            assert.equal(ok.status, 200);
            assert.deepEqual(ok.body.members, []);
            await x.patch(`/Users/${a.id}`, [{ op: "replace", path: "active", value: false }]);
            assert.deepEqual(names(await x.get("/Users")), ["alice@x.com"], "inactive users stay listed");
        });
    });

    it("entra-like: value-list removal, 204 PATCH, no members in lists, inactive hidden", async () => {
        await withEmu({ profile: "entra-like" }, async (emu, x) => {
            const a = emu.seedUser({ userName: "alice@x.com" });
            const g = emu.seedGroup({ displayName: "Design", members: [a.id] });
            assert.equal((await x.get("/Groups")).body.Resources[0].members, undefined);
            assert.equal((await x.patch(`/Groups/${g.id}`, [{ op: "Remove", path: `members[value eq "${a.id}"]` }])).status, 400);
            assert.equal((await x.patch(`/Groups/${g.id}`, [{ op: "Remove", path: "members", value: [{ value: a.id }] }])).status, 204);
            assert.deepEqual(emu.store.getGroup(g.id).members, []);
            assert.equal((await x.patch(`/Users/${a.id}`, [{ op: "Replace", path: "active", value: "False" }])).status, 204);
            assert.deepEqual(names(await x.get("/Users")), []);
        });
    });

    it("invision-documented: no pagination, no group GET or DELETE, no SPC, eq filters", async () => {
        await withEmu({ profile: "invision-documented", pageSize: 2 }, async (emu, x) => {
            for (let i = 0; i < 5; i++) emu.seedUser({ userName: `u${i}@x.com` });
            const g = emu.seedGroup({ displayName: "Design" });
            const all = await x.get("/Users?startIndex=3&count=1");
            assert.equal(all.body.Resources.length, 5);
            assert.equal((await x.get(`/Groups/${g.id}`)).status, 405);
            assert.equal((await x.del(`/Groups/${g.id}`)).status, 405);
            assert.equal((await x.get("/ServiceProviderConfig")).status, 404);
            assert.equal((await x.filter("Users", 'userName eq "U1@x.com"')).body.Resources.length, 1);
            assert.equal((await x.filter("Users", 'userName sw "u"')).status, 400);
        });
    });

    it("the table names every profile", () => {
        assert.deepEqual(Object.keys(PROFILES).sort(), ["entra-like", "invision-documented", "okta-like", "standard", "strict"]);
    });
});

describe("rate limit", () => {
    async function burst(emu: Emulator, n: number): Promise<Answer[]> {
        const x = api(emu);
        return Promise.all(Array.from({ length: n }, () => x.get("/Users")));
    }

    it("refuses past the bucket with 429 and no Retry-After by default, and counts each refusal", async () => {
        await withEmu({ rateLimit: { perSecond: 0.5, burst: 3 } }, async (emu) => {
            const answers = await burst(emu, 8);
            const refused = answers.filter((a) => a.status === 429);
            assert.equal(refused.length, 5);
            assert.equal(answers.filter((a) => a.status === 200).length, 3);
            for (const r of refused) {
                assert.equal(r.headers.get("retry-after"), null);
                assert.equal(r.body.scimType, "tooMany");
            }
            assert.equal(emu.stats.rateLimited, 5);
            assert.equal(emu.requests.filter((r) => r.fault === "rate-limited" && r.status === 429).length, 5);
        });
    });

    it("sends Retry-After in seconds (rounded up) or as an HTTP date when asked", async () => {
        await withEmu({ rateLimit: { perSecond: 0.5, burst: 1, retryAfter: "seconds" } }, async (emu) => {
            const answers = await burst(emu, 2);
            const refused = answers.find((a) => a.status === 429)!;
            assert.equal(refused.headers.get("retry-after"), "2");
        });
        await withEmu({ rateLimit: { perSecond: 0.5, burst: 1, retryAfter: "date" } }, async (emu) => {
            const refused = (await burst(emu, 2)).find((a) => a.status === 429)!;
            const at = Date.parse(refused.headers.get("retry-after")!);
            assert.ok(at > Date.now() - 1000 && at < Date.now() + 5000, refused.headers.get("retry-after")!);
        });
    });

    it("can signal overload with 503 or 500 and a body that says so", async () => {
        for (const status of [503, 500] as const) {
            await withEmu({ rateLimit: { perSecond: 0.5, burst: 1, status } }, async (emu) => {
                const refused = (await burst(emu, 3)).filter((a) => a.status === status);
                assert.equal(refused.length, 2);
                assert.equal(refused[0].body.scimType, "tooMany");
                assert.match(refused[0].body.detail, /overloaded|too many/i);
                assert.equal(emu.stats.rateLimited, 2);
            });
        }
    });

    it("refills at the given rate", async () => {
        await withEmu({ rateLimit: { perSecond: 20, burst: 1 } }, async (emu) => {
            const x = api(emu);
            assert.equal((await x.get("/Users")).status, 200);
            assert.equal((await x.get("/Users")).status, 429);
            await new Promise((r) => setTimeout(r, 120));
            assert.equal((await x.get("/Users")).status, 200);
        });
    });
});

describe("seeded chaos", () => {
    /** Sends the same requests one by one; returns each one's fate. */
    async function run(options: EmulatorOptions): Promise<{ fates: string[]; stats: Emulator["stats"]; users: number }> {
        const emu = await startEmulator(options);
        try {
            const x = api(emu);
            const fates: string[] = [];
            for (let i = 0; i < 40; i++) {
                try {
                    const r = await x.post("/Users", { schemas: [USER], userName: `u${i}@x.com` });
                    fates.push(String(r.status));
                } catch {
                    fates.push("no answer");
                }
            }
            return { fates, stats: { ...emu.stats }, users: emu.store.users.size };
        } finally {
            await emu.close();
        }
    }

    it("is deterministic for a seed, and records and counts every fault", async () => {
        const chaos = { seed: 42, errorRate: 0.2, dropRate: 0.1, lostResponseRate: 0.15 };
        const one = await run({ chaos });
        const two = await run({ chaos });
        assert.deepEqual(one.fates, two.fates);
        assert.deepEqual({ ...one.stats, inFlight: 0, maxInFlight: 0 }, { ...two.stats, inFlight: 0, maxInFlight: 0 });
        assert.ok(one.stats.injectedErrors > 0 && one.stats.dropped > 0 && one.stats.lost > 0, JSON.stringify(one.stats));
        assert.equal(one.fates.filter((f) => f === "500" || f === "503").length, one.stats.injectedErrors);
        assert.equal(one.fates.filter((f) => f === "no answer").length, one.stats.dropped + one.stats.lost);
        // A lost answer is a create that happened: the user exists though the client heard nothing.
        assert.equal(one.users, one.fates.filter((f) => f === "201").length + one.stats.lost);
        const other = await run({ chaos: { ...chaos, seed: 7 } });
        assert.notDeepEqual(other.fates, one.fates);
    });

    it("marks faults in the request log, status 0 for connections it destroyed", async () => {
        await withEmu({ chaos: { seed: 3, dropRate: 0.5, errorStatuses: [502] , errorRate: 0.5 } }, async (emu, x) => {
            for (let i = 0; i < 20; i++) await x.get("/Users").catch(() => undefined);
            const dropped = emu.requests.filter((r) => r.fault === "dropped");
            const errors = emu.requests.filter((r) => r.fault === "injected-error");
            assert.equal(dropped.length, emu.stats.dropped);
            assert.ok(dropped.every((r) => r.status === 0));
            assert.equal(errors.length, emu.stats.injectedErrors);
            assert.ok(errors.every((r) => r.status === 502));
        });
    });

    it("adds seeded latency within the range", async () => {
        await withEmu({ chaos: { seed: 1, latencyMs: [30, 60] } }, async (_emu, x) => {
            const t = Date.now();
            await x.get("/Users");
            assert.ok(Date.now() - t >= 29);
        });
    });
});
