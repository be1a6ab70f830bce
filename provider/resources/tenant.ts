import type { ProviderContext } from "../context";

/**
 * One tenant per state. Every resource records the tenant it lives in (the
 * normalised SCIM root, never the token). If the provider now points at
 * another tenant, an operation on a recorded object would act on the wrong
 * tenant: a read would report it gone, an update would fail or, worse, find
 * someone else by the same id, and a delete would take the other tenant's 404
 * as done and forget people who keep their access. So every operation on a
 * recorded object refuses, naming both tenants' hosts, before any request.
 * (The plugin door previews a changed tenant as a replacement of the
 * provider, see plugin/diff-config.ts, so resources move the way the engine
 * moves them: created in the new tenant, deleted in the old.)
 */
export function sameTenant(ctx: ProviderContext, kind: "user" | "group", label: unknown, recorded: string | undefined): void {
    const now = ctx.tenant();
    if (recorded === undefined || now === undefined || recorded === now) return;
    const name = kind === "user" ? `user ${String(label)}` : `group '${String(label)}'`;
    throw new Error(
        `${name} lives in the InVision tenant at ${host(recorded)}, but this provider is now configured for ${host(now)} (invision:scimBaseUrl). ` +
            `Refusing to act on it there: nothing was sent. A stack manages one tenant; to move to another, ` +
            (ctx.door === "plugin"
                ? `preview the change of invision:scimBaseUrl (the plugin replaces its provider: the people are created in the new tenant and deactivated in the old one), `
                : `set invision:scimBaseUrl back, run \`pulumi destroy\` (or move the resources out of the stack with \`pulumi state delete\`), then point a new stack at the new tenant, `) +
            `or set invision:scimBaseUrl back to ${host(recorded)}.`,
    );
}

/** In a diff: the same refusal, so the preview (not only `up`) says it. */
export const tenantMoved = sameTenant;

function host(root: string): string {
    try {
        const u = new URL(root);
        return `${u.host}${u.pathname === "/scim/v2" ? "" : u.pathname}`;
    } catch {
        return "(an unreadable URL)";
    }
}
