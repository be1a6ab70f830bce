import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Emulator, startEmulator } from "../../provider/emulator";
import { configSet, createProject, packageVersion, pluginArchive, Project, steps } from "./harness";

const TOKEN = "migrate-SECRET-token-7d2e4f";

/**
 * A TypeScript stack moved from the dynamic resources to the invision plugin's
 * (same names, `aliases` naming the old types): no replacement, no write.
 */
describe("moving a TypeScript stack from the dynamic resources to the plugin", { timeout: 30 * 60_000 }, () => {
    let emu: Emulator;
    let p: Project;

    before(async () => {
        emu = await startEmulator({ token: TOKEN });
        p = await createProject("migrate", path.join(__dirname, "migrate-program"));
        p.writeSpec({ usePlugin: false });
        await p.pulumi(["plugin", "install", "resource", "invision", packageVersion(), "--file", pluginArchive()]);
        await p.pulumi(configSet("invision:scimBaseUrl", emu.url));
        await p.pulumi(configSet("invision:scimToken", TOKEN, { secret: true }));
    });
    after(async () => {
        await emu?.close();
        if (p) fs.writeFileSync(`${p.dir}/transcript.txt`, p.transcript.join("\n"));
    });

    it("with aliases, the preview shows no replacement and up sends no write", async () => {
        await p.pulumi(["up", "--yes"]);
        const before = JSON.parse((await p.pulumi(["stack", "export"])).stdout).deployment.resources as { type: string; id?: string }[];
        const ids = before.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/invision:")).map((r) => r.id).sort();
        assert.equal(ids.length, 3);

        p.writeSpec({ usePlugin: true });
        emu.clearRequests();
        const pv = await p.pulumi(["preview", "--diff"]);
        assert.equal(emu.requests.length, 0);
        assert.doesNotMatch(pv.stdout, /replace/);
        assert.deepEqual(steps(pv.stdout), [], pv.stdout);
        assert.match(pv.stdout, /4 unchanged/);

        const up = await p.pulumi(["up", "--yes"]);
        assert.equal(emu.writes().length, 0, up.stdout);
        const after = JSON.parse((await p.pulumi(["stack", "export"])).stdout).deployment.resources as { type: string; id?: string }[];
        assert.deepEqual(after.filter((r) => r.type.startsWith("invision:index:")).map((r) => r.id).sort(), ids);
        assert.equal(after.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length, 0);

        // And the plugin manages them from then on.
        emu.clearRequests();
        const again = await p.pulumi(["up", "--yes"]);
        assert.match(again.stdout, /4 unchanged/);
        assert.equal(emu.writes().length, 0);
        await p.pulumi(["destroy", "--yes"]);
        assert.ok([...emu.store.users.values()].every((u) => u.active === false));
        assert.equal(emu.store.groups.size, 0);
    });
});
