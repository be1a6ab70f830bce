import { BackoffPolicy, nextDelay } from "./backoff";
import { ScimError } from "./errors";

/**
 * The one place a SCIM request is retried.
 *
 * Retried: 429 and 5xx answers, and failures with no answer at all. A request
 * that is not idempotent (POST) is retried only on 429, where the server says it
 * did nothing; after a 5xx or a lost connection the object may exist, so the
 * caller must look it up before trying again (see client.createUser).
 */
export function isRetryable(err: unknown, idempotent: boolean): boolean {
    if (!(err instanceof ScimError)) return false;
    if (err.status === 429) return true;
    if (!idempotent) return false;
    return err.isNetwork || (err.status !== undefined && err.status >= 500 && err.status !== 501 && err.status !== 505);
}

export interface RetryHooks {
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
    onRetry?: (err: ScimError, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(
    attempt: () => Promise<T>,
    policy: BackoffPolicy,
    idempotent: boolean,
    hooks: RetryHooks = {},
): Promise<T> {
    const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let waited = 0;
    for (let retry = 0; ; retry++) {
        try {
            return await attempt();
        } catch (err) {
            if (!isRetryable(err, idempotent)) throw err;
            const e = err as ScimError;
            const delay = nextDelay(policy, retry, waited, e.retryAfterMs, hooks.random);
            if (delay === undefined) {
                const asked = e.retryAfterMs !== undefined && waited + e.retryAfterMs > policy.maxTotalWaitMs ? `; the server asked to wait ${Math.ceil(e.retryAfterMs / 1000)} s more` : "";
                throw new ScimError(
                    `${e.message} (gave up after ${retry + 1} attempts and ${Math.round(waited / 1000)} s of backoff${asked})`,
                    e.status,
                    e.scimType,
                    e.method,
                    e.path,
                    e.code,
                );
            }
            hooks.onRetry?.(e, retry + 1, delay);
            waited += delay;
            await sleep(delay);
        }
    }
}
