import { scimErrorSchema } from "./schemas";

/**
 * A failed SCIM call, with a message a person can act on. It carries the
 * method, the path (never the host's query string nor any header) and the
 * status, so it is safe to print: no token can reach it.
 */
export class ScimError extends Error {
    override readonly name = "ScimError";
    constructor(
        message: string,
        readonly status: number | undefined,
        readonly scimType: string | undefined,
        readonly method: string,
        readonly path: string,
        /** Network-level code (ECONNRESET, ETIMEDOUT, ...) when no response came back. */
        readonly code?: string,
        readonly retryAfterMs?: number,
        more: ScimErrorDetails = {},
    ) {
        super(message);
        this.detail = more.detail;
        this.attempts = more.attempts ?? 1;
        this.rateLimited = more.rateLimited ?? false;
    }

    /** The server's `detail`, unshortened: it tells an overload 500/503 from a real failure. */
    readonly detail: string | undefined;
    /** Attempts made before this error was final (1: not retried). */
    readonly attempts: number;
    /** The server said "too many" (429, or a 500/503 whose body says so). */
    readonly rateLimited: boolean;

    /** True when the request was sent more than once. */
    get retried(): boolean {
        return this.attempts > 1;
    }

    /** True when the server answered with this status. */
    is(status: number): boolean {
        return this.status === status;
    }

    /** No response arrived: the request may or may not have reached the server. */
    get isNetwork(): boolean {
        return this.status === undefined;
    }
}

/**
 * Removes a secret from text a server sent. Servers echo requests in their
 * errors (some quote the Authorization header back); whatever they say must
 * never carry the token into a message, a log line or the engine's output.
 * The token is replaced wherever it appears, also URL-encoded, before any
 * truncation could cut it into an unrecognisable piece.
 */
export function scrubSecret(text: string, secret: string | undefined): string {
    if (!secret || secret.length < 4) return text;
    let out = text;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("[redacted]");
    return out;
}

export interface ScimErrorDetails {
    detail?: string;
    attempts?: number;
    rateLimited?: boolean;
}

/** Builds the message for a response with an HTTP error status; `secret` is scrubbed from what the server said. */
export function describeFailure(method: string, path: string, status: number, body: unknown, secret?: string): { message: string; scimType?: string; detail?: string } {
    const parsed = scimErrorSchema.safeParse(body);
    const scimType = parsed.success ? parsed.data.scimType : undefined;
    // Scrubbed once, here: the detail also travels on the error (the scheduler reads it).
    const said = parsed.success && parsed.data.detail ? scrubSecret(parsed.data.detail, secret) : undefined;
    const detail = said ? `: ${truncate(said)}` : "";
    const what = `InVision SCIM ${method} ${path} failed with ${status}${scimType ? ` (${scimType})` : ""}${detail}`;
    return { message: `${what}. ${advice(status, scimType)}`.trim(), scimType, detail: said };
}

export function describeNetworkFailure(method: string, path: string, code: string | undefined, timeoutMs: number): string {
    if (code === "ECONNABORTED" || code === "ETIMEDOUT") {
        return `InVision SCIM ${method} ${path} timed out after ${timeoutMs} ms. Check the base URL and network, or raise invision:requestTimeoutMs.`;
    }
    return `InVision SCIM ${method} ${path} got no response (${code ?? "connection failed"}). Check invision:scimBaseUrl and that the host is reachable.`;
}

function advice(status: number, scimType: string | undefined): string {
    switch (status) {
        case 401:
            return "The SCIM token was refused: it is wrong, was regenerated, or SCIM provisioning is disabled for this team. Copy a fresh token from InVision (People > ... > SCIM Provisioning) into `pulumi config set --secret invision:scimToken`.";
        case 403:
            return "InVision refused the operation: SCIM needs SAML SSO configured and active on an Enterprise plan; a token generated while SSO was inactive does not work. Activate SSO, then generate a new token.";
        case 404:
            return "The object does not exist in InVision (it may have been deleted outside Pulumi; `pulumi refresh` drops it from state).";
        case 409:
            return scimType === "uniqueness" || scimType === undefined
                ? "An object with this name already exists. Set onExisting: \"adopt\" to manage it, or pick another name."
                : "The request conflicts with the current state in InVision.";
        case 429:
            return "InVision is rate limiting requests; lower invision:maxRequestsPerSecond, or raise invision:retryBudgetSeconds to wait longer.";
        case 400:
            return "InVision rejected the request body or filter.";
        default:
            return status >= 500 ? "InVision's SCIM service failed; this is usually temporary, retry later." : "";
    }
}

function truncate(s: string): string {
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
