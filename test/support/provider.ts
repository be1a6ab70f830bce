import type * as dynamic from "@pulumi/pulumi/dynamic";
import { after } from "node:test";
import { groupProvider, userProvider } from "../../provider";
import { Emulator, EmulatorOptions, startEmulator } from "../../provider/emulator";

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
    close(): Promise<void>;
}

export async function harness(options: EmulatorOptions = {}, config: Record<string, string> = {}): Promise<Harness> {
    const emu = await startEmulator(options);
    // Each harness plays one `pulumi` run: a fresh deletion budget, no claims or names from earlier tests.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("pulumi-invision/runtime") as { resetRun(): void }).resetRun();
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
    return { emu, user, group, checkedUser: checked(user), checkedGroup: checked(group), close: () => emu.close() };
}

export const count = (emu: Emulator, method: string, path?: RegExp) => emu.requests.filter((r) => r.method === method && (!path || path.test(r.path))).length;

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
