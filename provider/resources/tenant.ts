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
 *
 * InVision V7's SCIM endpoint (scim.invisionapp.com) is one host for every
 * team and tells them apart by the token alone, which nothing here records:
 * there, another team's token is not caught (the plugin's preview says so
 * when the token changes, plugin/diff-config.ts), and its 404s look like
 * people deleted by hand.
 */
export function sameTenant(ctx: ProviderContext, kind: "user" | "group", label: unknown, recorded: string | undefined): void {
    const now = ctx.tenant();
    if (recorded === undefined || now === undefined || recorded === now) return;
    const name = kind === "user" ? `user ${String(label)}` : `group '${String(label)}'`;
    throw new Error(
        `${name} lives in the InVision tenant at ${hostOf(recorded)}, but this provider is now configured for ${hostOf(now)} (invision:scimBaseUrl). ` +
            `Refusing to act on it there: nothing was sent. A stack manages one tenant. To keep this one, set invision:scimBaseUrl back to ${hostOf(recorded)} ` +
            `and run \`pulumi up\` (\`destroy\` and \`refresh\` use the configuration the last update recorded, so it must record ${hostOf(recorded)} again first). ` +
            (ctx.door === "plugin"
                ? `To move the people to ${hostOf(now)}, change the URL in the provider's configuration (invision:scimBaseUrl in the stack's config, or an explicit provider's scimBaseUrl), not the environment: ` +
                  `the plugin then replaces its provider, which creates each person in the new tenant and removes them from the old.`
                : `To move the people to ${hostOf(now)}: \`pulumi destroy\` this stack with ${hostOf(recorded)} configured (which removes their access there), ` +
                  `then a stack pointed at ${hostOf(now)} creates or adopts them; or \`pulumi state delete\` the resources to leave them in ${hostOf(recorded)} as they are.`),
    );
}

/** In a diff: the same refusal, so the preview (not only `up`) says it. */
export const tenantMoved = sameTenant;

/** A tenant's host (and path, when it is not the usual /scim/v2) for messages: never a token, which no URL this package takes carries. */
export function hostOf(root: string): string {
    try {
        const u = new URL(root);
        return `${u.host}${u.pathname === "/scim/v2" ? "" : u.pathname}`;
    } catch {
        return "(an unreadable URL)";
    }
}
