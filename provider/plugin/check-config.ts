import { ConfigLookup, normaliseBaseUrl, settingKeys } from "../config";
import { isUnknown } from "../resources/validate";
import { PACKAGE, SECRET_SIG, SECRET_VALUE } from "./types";

/**
 * What the engine may store of the plugin's configuration. A provider's
 * checked configuration is its inputs in state, so:
 *
 *  - CheckConfig refuses a `scimBaseUrl` this package cannot use (most often
 *    the token pasted into the wrong setting) as a failure of the provider
 *    as a whole (a failure that names its property has the engine print the
 *    value beside it), and sends the refused value back marked secret.
 *  - A token given in plain text is refused, with how to set it as a
 *    secret, before the first request. CheckConfig cannot see how it was
 *    given (the engine strips the secret marks from what it sends there, and
 *    puts them back on what it returns, key by key); Configure, the next
 *    call, can. So CheckConfig seals the token: it returns `{ sealed:
 *    <secret> }`, which the state stores encrypted whatever happens next
 *    (`up --skip-preview` records the provider even when Configure refuses).
 *    The engine marks that object secret as a whole only when the token it
 *    was given was a secret: Configure reads that mark, and refuses an
 *    unmarked one.
 */

type Props = Record<string, unknown>;
export interface Failure {
    property: string;
    reason: string;
}

const key = (k: keyof typeof settingKeys) => settingKeys[k].config.slice(`${PACKAGE}:`.length);
const URL_KEY = key("baseUrl");
const TOKEN_KEY = key("token");

const secret = (value: unknown) => ({ [SECRET_SIG]: SECRET_VALUE, value });
const isSecret = (v: unknown): v is { value: unknown } => v !== null && typeof v === "object" && (v as Props)[SECRET_SIG] === SECRET_VALUE;
const isSealed = (v: unknown): v is { sealed: unknown } => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "sealed" in v;

export function checkConfig(news: Props): { inputs: Props; failures: Failure[] } {
    const url = news[URL_KEY];
    if (typeof url === "string" && !isUnknown(url)) {
        try {
            normaliseBaseUrl(url);
        } catch (e) {
            // normaliseBaseUrl's reasons never quote the value.
            return {
                inputs: { ...news, [URL_KEY]: secret(url) },
                failures: [{ property: "", reason: `${settingKeys.baseUrl.config} (or the provider's scimBaseUrl) cannot be used: ${(e as Error).message}` }],
            };
        }
    }
    const token = news[TOKEN_KEY];
    if (typeof token !== "string" || isUnknown(token)) return { inputs: news, failures: [] };
    return { inputs: { ...news, [TOKEN_KEY]: { sealed: secret(token) } }, failures: [] };
}

/**
 * Why Configure refuses the configuration, or undefined. `args` are the
 * provider's checked inputs as the engine hands them to Configure, secrets
 * still marked. A token from the environment (INVISION_SCIM_TOKEN) is not
 * among them.
 */
export function plainTokenRefusal(args: Props): string | undefined {
    const token = args[TOKEN_KEY];
    // Given as a secret: marked as a whole (the engine's mark on the sealed object, or a secret string from an older state).
    if (token === undefined || isSecret(token) || (typeof token === "string" && isUnknown(token))) return undefined;
    return (
        `${settingKeys.token.config} (or the provider's scimToken) is given in plain text, so it is in clear wherever the configuration is: ` +
        `Pulumi.<stack>.yaml, and the history the backend keeps of each update. Nothing was sent to InVision. Set it as a secret: \`pulumi config set --secret ${settingKeys.token.config}\` ` +
        `(paste the token at the prompt; this replaces the plain value in Pulumi.<stack>.yaml, which then holds only ciphertext), ` +
        `or for an explicit provider pass a secret (YAML: a config value declared \`secret: true\`, or \`fn::secret\`), ` +
        `or leave it out of the configuration and set ${settingKeys.token.env} in the environment. ` +
        `If the plain value was ever committed or shared, rotate the token in InVision.`
    );
}

/** A configuration value as the settings read it: secrets and the seal taken off, numbers and booleans as text. */
export function settingOf(v: unknown): string | undefined {
    if (isSecret(v)) return settingOf(v.value);
    if (isSealed(v)) return settingOf(v.sealed);
    if (v === undefined || v === null || typeof v === "object") return undefined;
    return String(v);
}

/** The settings by the names runtime.ts asks for (`invision:scimBaseUrl`), from Configure's arguments. */
export function lookupOfArgs(args: Props): ConfigLookup {
    return (name) => (name.startsWith(`${PACKAGE}:`) ? settingOf(args[name.slice(PACKAGE.length + 1)]) : undefined);
}

/** Configure's variables render the sealed token as JSON text: its value is inside. */
export function unsealed(value: string | undefined): string | undefined {
    if (value === undefined || !value.startsWith("{")) return value;
    try {
        const parsed = JSON.parse(value) as unknown;
        return isSealed(parsed) && typeof parsed.sealed === "string" ? parsed.sealed : value;
    } catch {
        return value;
    }
}
