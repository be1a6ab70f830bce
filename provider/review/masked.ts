import { SECRET_PLACEHOLDER } from "../state/secrets";

/**
 * How `pulumi preview --json` shows a secret, in both doors ("[secret]",
 * unless run with --show-secrets): the same text a preview from a snapshot
 * gives every secret. The review never sees a secret's value, so it cannot
 * print one; it must only not mistake the mask for a value.
 */
export const MASK = SECRET_PLACEHOLDER;

export function isMasked(v: unknown): boolean {
    return v === MASK;
}

/** The fields of `props` (of those named) the preview shows masked. */
export function maskedFields(props: Record<string, unknown> | undefined, fields: readonly string[]): string[] {
    if (!props) return [];
    return fields.filter((f) => isMasked(props[f]) || (Array.isArray(props[f]) && (props[f] as unknown[]).some(isMasked)));
}
