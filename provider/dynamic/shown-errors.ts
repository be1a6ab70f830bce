/**
 * How a failed provider call reaches the person running `pulumi`. The SDK's
 * dynamic-provider host answers the engine with the error's message, and for
 * check, diff and delete it also prints `${e}: ${e.stack}` to stderr, which
 * the engine shows under Diagnostics: an expected refusal (the deletion
 * guard, a validation, a server refusal the provider explains) appeared
 * twice, the second time with a JavaScript stack trace of node_modules paths.
 *
 * A refusal is shown once, as its message. A programming error (TypeError and
 * its kind) keeps its stack: that is what a bug report needs.
 */

const PROGRAMMING_ERRORS: readonly (new (...args: never[]) => Error)[] = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

/** An error the provider raised on purpose, with a message written for a person. */
export function isDeliberate(e: unknown): e is Error {
    return e instanceof Error && !PROGRAMMING_ERRORS.some((c) => e instanceof c) && e.name !== "AssertionError";
}

/** The exact lines the host is about to print for refusals, each dropped once. */
const expected = new Set<string>();
let installed = false;

function install(): void {
    if (installed) return;
    installed = true;
    const print = console.error.bind(console);
    console.error = (...args: unknown[]) => {
        if (args.length === 1 && typeof args[0] === "string" && expected.delete(args[0])) return;
        print(...args);
    };
}

/** Runs a provider call; a refusal it throws is shown by the engine once, without a stack. */
export async function shownOnce<T>(call: () => Promise<T>): Promise<T> {
    install();
    try {
        return await call();
    } catch (e) {
        if (isDeliberate(e)) {
            expected.add(`${e}: ${e.stack}`);
            // Not kept past this turn of the host's handler: a line that is never printed must not linger.
            setTimeout(() => expected.delete(`${e}: ${e.stack}`), 1000).unref();
        }
        throw e;
    }
}
