import { BackoffPolicy, defaultBackoff, nextDelay } from "./backoff";
import { ScimError } from "./errors";
import type { ScimResponse } from "./http";
import { outcomeUnknown } from "./retry";

/** Without a setting (tests, the export CLI): the config default, 10 minutes. */
export const DEFAULT_CREATE_BUDGET_MS = 600_000;

/** A create either got an answer, or found the object its lost answer had made. */
export type CreateOutcome<T> = { posted: ScimResponse } | { found: T };

/** The POST may or may not have created the object (the same rule the scheduler retries by). */
function mayHaveLanded(e: unknown): e is ScimError {
    return e instanceof ScimError && outcomeUnknown(e);
}

/**
 * The lost-POST policy, in one place. A POST is not idempotent, so the
 * scheduler never re-sends one whose answer may have been lost; here, after
 * such a failure, the object is looked up first (a crash or a dropped
 * connection must never leave a duplicate), and only if it is not there is
 * the POST sent again, with backoff, until the request's retry budget
 * (invision:retryBudgetSeconds) is spent. In Pulumi one failed resource
 * fails the whole run, so a flaky server must cost time, not the deployment.
 */
export async function createWithLookup<T>(
    post: () => Promise<ScimResponse>,
    lookup: () => Promise<T | undefined>,
    budgetMs: number,
    policy: BackoffPolicy = defaultBackoff,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => number = Date.now,
): Promise<CreateOutcome<T>> {
    const deadline = now() + budgetMs;
    for (let attempt = 0; ; attempt++) {
        try {
            return { posted: await post() };
        } catch (e) {
            if (!mayHaveLanded(e)) {
                // After a lost answer, a 409 is most likely our own create: say so, the caller explains it.
                if (attempt > 0 && e instanceof ScimError && e.is(409)) {
                    throw new ScimError(e.message, e.status, e.scimType, e.method, e.path, e.code, e.retryAfterMs, { detail: e.detail, attempts: e.attempts, afterLostAnswer: true });
                }
                throw e;
            }
            const found = await lookup();
            if (found !== undefined) return { found };
            const delay = nextDelay(policy, attempt, deadline - now());
            if (delay === undefined) {
                throw new ScimError(
                    `${e.message} (a create was sent ${attempt + 1} times, looking it up after each failure, within the retry budget of ${Math.round(budgetMs / 1000)} s; raise invision:retryBudgetSeconds to wait longer)`,
                    e.status,
                    e.scimType,
                    e.method,
                    e.path,
                    e.code,
                );
            }
            await sleep(delay);
        }
    }
}
