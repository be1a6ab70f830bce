import type * as dynamic from "@pulumi/pulumi/dynamic";
import { after } from "node:test";
import { groupProvider, userProvider } from "../../provider";
import { Emulator, EmulatorOptions, startEmulator } from "../../provider/emulator";
// The providers imported above load this very module (provider/dynamic/forward.ts): one instance.
import * as runtime from "../../provider/runtime";

/**
 * Drives the providers exactly as the SDK's dynamic-provider host does:
 * configure with stack config, then check -> create/read/update/delete with
 * the checked inputs. Everything goes over a real socket to the emulator.
 */
export interface Harness {
    emu: Emulator;
    user: Required<dynamic.ResourceProvider>;
    group: Required<dynamic.ResourceProvider>;
    checkedUser(inputs: Record<string, unknown>): Promise<Record<string, unknown>>;
    checkedGroup(inputs: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** As between two `pulumi` operations: a fresh provider process, with nothing learned or listed. */
    newRun(): void;
    close(): Promise<void>;
}

export async function harness(options: EmulatorOptions = {}, config: Record<string, string> = {}): Promise<Harness> {
    const emu = await startEmulator(options);
    // Each harness plays one `pulumi` run: a fresh deletion budget, no claims or names from earlier tests.
    runtime.newRun();
    const values: Record<string, string> = { "invision:scimBaseUrl": emu.url, "invision:scimToken": emu.token, ...config };
    const req: dynamic.ConfigureRequest = {
        config: {
            get: (k: string) => values[k],
            require: (k: string) => {
                if (values[k] === undefined) throw new Error(`missing ${k}`);
                return values[k];
            },
        },
    };
    await userProvider.configure!(req);
    const user = userProvider as Required<dynamic.ResourceProvider>;
    const group = groupProvider as Required<dynamic.ResourceProvider>;
    const checked = (p: Required<dynamic.ResourceProvider>) => async (inputs: Record<string, unknown>) => {
        const r = await p.check({}, inputs);
        if (r.failures && r.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
        return r.inputs as Record<string, unknown>;
    };
    return { emu, user, group, checkedUser: checked(user), checkedGroup: checked(group), newRun: () => runtime.newRun(), close: () => emu.close() };
}

/** SCIM requests other than the one /ServiceProviderConfig probe a process sends first. */
export const calls = (emu: Emulator) => emu.requests.filter((r) => r.path !== "/ServiceProviderConfig");
export const count = (emu: Emulator, method: string, path?: RegExp) => calls(emu).filter((r) => r.method === method && (!path || path.test(r.path))).length;

/** A harness factory for one test file: every emulator it starts is closed when the file's tests end. */
export function harnesses(): (...args: Parameters<typeof harness>) => Promise<Harness> {
    const open: Harness[] = [];
    after(async () => {
        await Promise.all(open.map((x) => x.close()));
    });
    return async (...args) => {
        const x = await harness(...args);
        open.push(x);
        return x;
    };
}

/** A group's state by SCIM id: `members` and `unmanagedMembers` are emails, their ids sit beside them in `memberIds`. */
export function idsIn(state: Record<string, unknown> | undefined): { members: string[]; unmanagedMembers: string[] } {
    const s = (state ?? {}) as { members?: string[]; memberIds?: string[] };
    const ids = s.memberIds ?? [];
    const n = (s.members ?? []).length;
    return { members: ids.slice(0, n), unmanagedMembers: ids.slice(n) };
}
