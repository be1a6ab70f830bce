import { normaliseBaseUrl, settingKeys } from "../config";
import { hostOf } from "../resources/tenant";
import { isUnknown } from "../resources/validate";
import { settingOf } from "./check-config";
import { PACKAGE } from "./types";

/**
 * The plugin's DiffConfig: what a change of the provider's configuration
 * does to the resources it manages. A different tenant (the normalised SCIM
 * root of `scimBaseUrl`) replaces the provider, so the engine replaces every
 * resource that uses it: created (or adopted) in the new tenant by the new
 * configuration, removed from the old one by the old configuration, which the
 * engine keeps in state for exactly that. The preview shows each of those
 * replacements. Anything else (a new token, a rate) configures the same
 * provider anew: whether anything changed is then left to the engine, which
 * compares the inputs with their secret marks (this call sees none), so a
 * token once given in plain text and now as a secret reconfigures the
 * provider with the secret (check-config.ts).
 *
 * The old inputs may be another provider's (the engine asks the new provider
 * when a resource moves from the dynamic resources' `pulumi-nodejs` provider
 * to this one): they name no `scimBaseUrl`, and no tenant change is read into
 * them. The resources then guard their own tenant (resources/tenant.ts).
 */

type Props = Record<string, unknown>;

const key = (k: keyof typeof settingKeys) => settingKeys[k].config.slice(`${PACKAGE}:`.length);
const URL_KEY = key("baseUrl");
const TOKEN_KEY = key("token");
/** The engine's own keys among a provider's inputs: never a change of ours. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

export interface ConfigDiff {
    /** The configuration keys whose values differ. */
    diffs: string[];
    replaces: string[];
    /** When the tenant changes: the old and the new SCIM roots. */
    moved?: { from: string; to: string };
    /** The token changed on a shared endpoint that tells tenants apart by token alone (InVision V7's). */
    tokenOnSharedEndpoint?: string;
}

/** The tenant a configuration names, or undefined (not set, not known yet, not a URL this package takes). */
function tenantOf(config: Props): string | undefined {
    const raw = config[URL_KEY];
    if (typeof raw !== "string" || isUnknown(raw)) return undefined;
    try {
        return normaliseBaseUrl(raw);
    } catch {
        return undefined;
    }
}

/**
 * InVision V7's SCIM endpoint is one host for every team: the token alone
 * says which team a request acts on, so a changed token there may be another
 * tenant, and nothing this package may store (never the token, nor anything
 * derived from it) can tell.
 */
export const SHARED_ENDPOINT_HOST = "scim.invisionapp.com";

export function diffConfig(oldInputs: Props, news: Props): ConfigDiff {
    const diffs = [...new Set([...Object.keys(oldInputs), ...Object.keys(news)])]
        // By value: the token is sealed in what CheckConfig returned (check-config.ts), and may not be in an older state.
        .filter((k) => !ENGINE_KEYS.has(k) && settingOf(oldInputs[k]) !== settingOf(news[k]))
        .sort();
    const from = tenantOf(oldInputs);
    const to = tenantOf(news);
    const newUrl = news[URL_KEY];
    // A URL not known until another resource is created may name another tenant: the preview says it may move.
    const unknownUrl = typeof newUrl === "string" && isUnknown(newUrl);
    const result: ConfigDiff = { diffs, replaces: [] };
    if (from !== undefined && ((to !== undefined && to !== from) || unknownUrl)) {
        result.replaces = [URL_KEY];
        result.moved = { from, to: to ?? "(a URL known only after another resource is created)" };
    } else if (from !== undefined && from === to && diffs.includes(TOKEN_KEY) && new URL(from).hostname === SHARED_ENDPOINT_HOST) {
        result.tokenOnSharedEndpoint = from;
    }
    return result;
}

/** What the preview says of a tenant change: the engine shows the replacements, this says what they do to people. */
export function movedWords(moved: { from: string; to: string }): string {
    const [a, b] = [hostOf(moved.from), /^https?:/.test(moved.to) ? hostOf(moved.to) : moved.to];
    return (
        `invision:scimBaseUrl moves this provider from the InVision tenant at ${a} to the one at ${b}, so Pulumi replaces every user and group it manages: ` +
        `each is created in ${b} (an account or group already there is adopted), then removed from ${a} as its onDelete says (by default, users deactivated and groups deleted), ` +
        `with the configuration recorded for ${a}, whose deletion guard applies (for this run, INVISION_MAX_DEACTIVATIONS and INVISION_MAX_MEMBERSHIP_REMOVALS raise it where that configuration does not set it). ` +
        `If this is not intended, set invision:scimBaseUrl back to ${a}.`
    );
}

export function sharedEndpointWords(root: string): string {
    return (
        `invision:scimToken changed for ${hostOf(root)}, InVision's shared SCIM endpoint, which tells teams apart by the token alone: ` +
        `if the new token belongs to another InVision team, this stack's people are not in it, and this provider cannot tell (it stores nothing derived from a token). ` +
        `A rotated token of the same team is fine. To move to another team, use a new stack.`
    );
}
