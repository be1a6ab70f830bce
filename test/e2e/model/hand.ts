import type { Emulator } from "../../../provider/emulator";
import type { Declaration } from "../../support/model/declaration";
import type { Random } from "../../support/model/random";

/**
 * Changes someone makes by hand in InVision's console (or through another
 * identity tool) between two runs, straight in the emulator's store: add or
 * remove a member, (de)activate, change a person's email, rename a group,
 * delete a person. People the program does not declare are left alone (a
 * program that names them by email is told when one disappears, and that
 * error is tested elsewhere). Returns what was done, in words.
 */
export function handChanges(emu: Emulator, d: Declaration, r: Random): string[] {
    const done: string[] = [];
    const declared = () => [...emu.store.users.values()].filter((u) => d.users.some((x) => x.userName.toLowerCase() === u.userName.toLowerCase()) || /\.moved\d*@/.test(u.userName));
    const groups = () => [...emu.store.groups.values()];
    const n = r.int(4);
    for (let i = 0; i < n; i++) {
        const kind = r.pick(["addMember", "removeMember", "deactivate", "reactivate", "renamePerson", "renameGroup", "deletePerson"] as const);
        const users = declared();
        const gs = groups();
        switch (kind) {
            case "addMember": {
                if (gs.length === 0) break;
                const g = r.pick(gs);
                const candidates = [...emu.store.users.values()].filter((u) => !g.members.some((m) => String(m.value) === String(u.id)));
                if (candidates.length === 0) break;
                const u = r.pick(candidates);
                g.members.push({ value: String(u.id) });
                done.push(`${u.userName} added to '${g.displayName}'`);
                break;
            }
            case "removeMember": {
                const withMembers = gs.filter((g) => g.members.length > 0);
                if (withMembers.length === 0) break;
                const g = r.pick(withMembers);
                const m = r.pick(g.members);
                g.members = g.members.filter((x) => x !== m);
                done.push(`${emu.store.users.get(String(m.value))?.userName ?? m.value} removed from '${g.displayName}'`);
                break;
            }
            case "deactivate":
            case "reactivate": {
                const want = kind === "reactivate";
                const candidates = users.filter((u) => u.active !== want);
                if (candidates.length === 0) break;
                const u = r.pick(candidates);
                u.active = want;
                done.push(`${u.userName} ${kind}d`);
                break;
            }
            case "renamePerson": {
                if (users.length === 0) break;
                const u = r.pick(users);
                const local = u.userName.split("@")[0].replace(/\.moved\d*$/, "");
                const next = `${local}.moved${r.int(100)}@example.com`;
                if (emu.store.userByName(next)) break;
                done.push(`${u.userName}'s email changed to ${next}`);
                u.userName = next;
                u.emails = [{ value: next, primary: true, type: "work" }];
                break;
            }
            case "renameGroup": {
                if (gs.length === 0) break;
                const g = r.pick(gs);
                const next = `${g.displayName} (renamed)`;
                done.push(`group '${g.displayName}' renamed to '${next}'`);
                g.displayName = next;
                break;
            }
            case "deletePerson": {
                if (users.length <= 1) break;
                const u = r.pick(users);
                emu.store.deleteUser(u.id);
                done.push(`${u.userName} deleted`);
                break;
            }
        }
    }
    return done;
}
