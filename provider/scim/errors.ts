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
        this.afterLostAnswer = more.afterLostAnswer ?? false;
    }

    /** A create's answer to an earlier attempt was lost: this error (a 409) is most likely about that create. */
    readonly afterLostAnswer: boolean;

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
 * errors (some quote the Authorization header back, in any field, escaped
 * for the page or the URL they render it in); whatever they say must never
 * carry the token into a message, a log line or the engine's output. Every
 * echo form is replaced before any truncation could cut it into an
 * unrecognisable piece: as sent, percent-encoded in either case,
 * HTML-escaped (named, decimal or hex entities), in any letter case, and
 * base64 or base64url at any alignment (a server logging the header base64
 * encoded, "Bearer " prefix included).
 */
export function scrubSecret(text: string, secret: string | undefined): string {
    if (!secret || secret.length < 4) return text;
    let out = text.replace(echoPattern(secret), "[redacted]");
    // Base64 is case-sensitive; shorter tokens give fragments too short to tell from other text.
    if (secret.length >= 8) for (const form of base64Forms(secret)) out = out.split(form).join("[redacted]");
    return out;
}

const HTML_NAMES: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" };

/**
 * One pattern for every textual echo: each character of the token as sent,
 * percent-encoded, or as an HTML entity (named, decimal, hex), mixed freely
 * (escapers differ in which characters they touch), in any letter case.
 */
function echoPattern(secret: string): RegExp {
    const parts = [...secret].map((ch) => {
        const code = ch.codePointAt(0) ?? 0;
        const forms = [escapeRegExp(ch), escapeRegExp(encodeURIComponent(ch)), `%${code.toString(16).padStart(2, "0")}`, `&#0*${code};`, `&#x0*${code.toString(16)};`];
        if (HTML_NAMES[ch]) forms.push(`&${HTML_NAMES[ch]};`);
        return `(?:${[...new Set(forms)].join("|")})`;
    });
    return new RegExp(parts.join(""), "gi");
}

/**
 * The base64 text that encodes the token wherever it sits in a longer string:
 * one run per alignment, keeping only the characters the token alone
 * decides (the first and last few depend on the bytes around it).
 */
function base64Forms(secret: string): string[] {
    const bytes = Buffer.from(secret, "utf8");
    const forms: string[] = [];
    for (let pad = 0; pad < 3; pad++) {
        const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
        const start = Math.ceil((pad * 4) / 3);
        const end = Math.floor((pad + bytes.length) / 3) * 4;
        const run = b64.slice(start, end);
        forms.push(run, run.replace(/\+/g, "-").replace(/\//g, "_"));
    }
    return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * InVision took a create (the object exists, with this id) and what should
 * have followed failed: the read-back, or adding the members the create left
 * out. State never records an object whose create failed, so the message
 * names it with its id; the next run's lookup finds and adopts it.
 */
export class CreatedNotVerifiedError extends Error {
    override readonly name = "CreatedNotVerifiedError";
    constructor(
        readonly kind: "user" | "group",
        /** The email or group name. */
        readonly objectName: string,
        readonly objectId: string,
        override readonly cause: unknown,
    ) {
        const why = cause instanceof Error ? cause.message : String(cause);
        const what = kind === "user" ? `user ${objectName}` : `group '${objectName}'`;
        super(
            `InVision created ${what} (id ${objectId}), but then: ${why} ` +
                `The ${kind} exists in InVision and is not in Pulumi's state yet; the next \`pulumi up\` looks it up first and adopts it (or delete it in InVision's admin console if it should not exist).`,
        );
    }
}

export interface ScimErrorDetails {
    detail?: string;
    attempts?: number;
    rateLimited?: boolean;
    afterLostAnswer?: boolean;
}

/** Builds the message for a response with an HTTP error status; `secret` is scrubbed from what the server said. */
export function describeFailure(method: string, path: string, status: number, body: unknown, secret?: string): { message: string; scimType?: string; detail?: string } {
    const parsed = scimErrorSchema.safeParse(body);
    // Scrubbed once, here: scimType and detail also travel on the error (the scheduler and handlers read them).
    const scimType = parsed.success && parsed.data.scimType ? scrubSecret(parsed.data.scimType, secret) : undefined;
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
            // The server's reason (above) is the message: a 409 that reaches a person is one the
            // client could not resolve (an adoptable object is adopted), so no guessed remedy.
            return scimType === "uniqueness" ? "InVision already holds an object with this name." : "The request conflicts with what InVision holds.";
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
