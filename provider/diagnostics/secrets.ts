import { SECRET_SIG, SECRET_VALUE } from "../plugin/types";
import type { Diagnostics } from "./sink";

/**
 * The values a provider process was handed as secrets, kept out of every
 * message it says and every error it answers with. The plugin door sees a
 * secret marked in each call's inputs and state (`fn::secret` on a
 * `userName`, a member from secret config); the handlers see plain values and
 * name people in their sentences, so each call hands its properties here
 * first, and a secret string is written `[secret]` from then on, in any letter
 * case and percent-encoded (as a request path or filter carries it).
 *
 * The dynamic door never sees the marks (the SDK's dynamic-provider host
 * strips them before calling the provider), so nothing is collected there.
 * Strings shorter than MIN_LENGTH are not collected: redacting `a` or `42`
 * everywhere would garble every sentence.
 */
export const MIN_LENGTH = 3;
export const REDACTED = "[secret]";

export class Secrets {
    private readonly values = new Set<string>();
    private pattern?: RegExp;

    /** Remembers every string inside a secret mark in `value` (a call's properties, as the engine sent them). */
    collect(value: unknown, inSecret = false): void {
        if (typeof value === "string") {
            if (inSecret && value.length >= MIN_LENGTH && !this.values.has(value)) {
                this.values.add(value);
                this.pattern = undefined;
            }
            return;
        }
        if (Array.isArray(value)) {
            for (const v of value) this.collect(v, inSecret);
            return;
        }
        if (value !== null && typeof value === "object") {
            const o = value as Record<string, unknown>;
            if (o[SECRET_SIG] === SECRET_VALUE) return this.collect(o.value, true);
            for (const v of Object.values(o)) this.collect(v, inSecret);
        }
    }

    redact(text: string): string {
        if (this.values.size === 0) return text;
        this.pattern ??= new RegExp(
            [...this.values]
                .flatMap((v) => [v, encodeURIComponent(v)])
                // Longest first, so a secret that contains another is redacted whole.
                .sort((a, b) => b.length - a.length)
                .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                .join("|"),
            "gi",
        );
        return text.replace(this.pattern, REDACTED);
    }

    /** An error with its message (and stack) redacted; the same object, so its kind and fields stay. */
    redactError(e: unknown): unknown {
        if (this.values.size === 0 || !(e instanceof Error)) return e;
        e.message = this.redact(e.message);
        if (e.stack) e.stack = this.redact(e.stack);
        return e;
    }
}

/** What a process says, redacted. */
export function redacting(inner: Diagnostics, secrets: Secrets): Diagnostics {
    return {
        say: (severity, message) => inner.say(severity, secrets.redact(message)),
        flush: () => inner.flush(),
    };
}
