import { createHash } from "node:crypto";

/**
 * Secret values in a Pulumi deployment: `{ [SIG_KEY]: SECRET_SIG, ciphertext }`
 * as the backend stores them (or `plaintext` instead of `ciphertext`, which
 * `pulumi stack import` accepts and encrypts with the stack's key).
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What a preview from a snapshot sees for every secret, in state and in config alike. */
export const SECRET_PLACEHOLDER = "[secret]";
const REDACTED = /^\[secret sha256:[0-9a-f]{64}\]$/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class PlaintextSecretError extends Error {}

function isSecret(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function plaintextSecret(value: string): Json {
    return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
}

function mapSecrets(value: unknown, at: string, f: (secret: Record<string, unknown>, at: string) => Json): Json {
    if (isSecret(value)) return f(value, at);
    if (Array.isArray(value)) return value.map((v, i) => mapSecrets(v, `${at}[${i}]`, f));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, at ? `${at}.${k}` : k, f)]));
    return value as Json;
}

/**
 * Every secret value replaced by `[secret sha256:<digest of its ciphertext>]`:
 * a snapshot holds no secret, not even encrypted, yet a ciphertext swapped in
 * the backend still differs from the snapshot. Idempotent, so a snapshot and
 * a fresh export redact to the same thing. A plaintext secret other than our
 * own mark is refused: it means an export made with `--show-secrets`.
 */
export function redactSecrets<T>(value: T): T {
    return mapSecrets(value, "", (secret, at) => {
        if (typeof secret.ciphertext === "string") return plaintextSecret(`[secret sha256:${createHash("sha256").update(secret.ciphertext).digest("hex")}]`);
        if (typeof secret.plaintext === "string" && REDACTED.test(safeParse(secret.plaintext))) return secret as Json;
        throw new PlaintextSecretError(`${at || "a value"} holds a secret in plaintext: export the stack without --show-secrets`);
    }) as T;
}

/** Every secret (redacted or not) as the one placeholder a preview from a snapshot uses, so a config secret and the state it produced still match. */
export function placeholderSecrets<T>(value: T): T {
    return mapSecrets(value, "", () => plaintextSecret(SECRET_PLACEHOLDER)) as T;
}

function safeParse(text: string): string {
    try {
        const v = JSON.parse(text);
        return typeof v === "string" ? v : "";
    } catch {
        return "";
    }
}
