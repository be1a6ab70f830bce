import { parse } from "yaml";
import { SECRET_PLACEHOLDER } from "../state/secrets";

export interface DerivedConfig {
    /** The stack's config with every secure value as the plain placeholder, structure kept. */
    plain: Record<string, unknown>;
    /** Where a secure value was: each becomes a secret placeholder (`pulumi config set --secret [--path]`). */
    secretPaths: { key: string; path: boolean }[];
    /** What was left out, for a note. */
    dropped: string[];
}

function isSecure(v: unknown): boolean {
    return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/**
 * A stack config file (Pulumi.<stack>.yaml) as a preview from a snapshot
 * sees it: every value, every `secure:` one replaced by the placeholder (a
 * secret still, so what the program derives from it stays secret), and none
 * of the real stack's keys (encryptionsalt, secretsprovider, encryptedkey).
 * An `environment:` (Pulumi ESC) is not opened: it needs a credential.
 */
export function derivedConfig(text: string): DerivedConfig {
    const doc = (parse(text) ?? {}) as { config?: Record<string, unknown>; environment?: unknown };
    const secretPaths: DerivedConfig["secretPaths"] = [];
    const dropped = doc.environment !== undefined ? ["the stack's environment: (Pulumi ESC) is not opened in a preview from a snapshot: it needs a credential"] : [];
    const walk = (v: unknown, key: string, at: string): unknown => {
        if (isSecure(v)) {
            secretPaths.push(at === "" ? { key, path: false } : { key: `${key}${at}`, path: true });
            return SECRET_PLACEHOLDER;
        }
        if (Array.isArray(v)) return v.map((x, i) => walk(x, key, `${at}[${i}]`));
        if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, key, `${at}[${JSON.stringify(k)}]`)]));
        return v;
    };
    const plain = Object.fromEntries(Object.entries(doc.config ?? {}).map(([k, v]) => [k, walk(v, k, "")]));
    return { plain, secretPaths, dropped };
}
