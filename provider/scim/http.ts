import axios, { AxiosInstance } from "axios";
import { BackoffPolicy, defaultBackoff, parseRetryAfter } from "./backoff";
import { describeFailure, describeNetworkFailure, ScimError } from "./errors";
import { sharedLimiter } from "./limiter";
import { RetryHooks, withRetry } from "./retry";

export interface TransportOptions {
    baseUrl: string;
    token: string;
    maxConcurrency: number;
    requestTimeoutMs: number;
    backoff?: BackoffPolicy;
    hooks?: RetryHooks;
    /** Receives one line per attempt (method, path, status, ms); never headers or bodies. */
    log?: (line: string) => void;
}

export interface ScimRequest {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** Relative to the SCIM root, e.g. `/Users/123`. */
    path: string;
    query?: Record<string, string | number>;
    body?: unknown;
}

export interface ScimResponse {
    status: number;
    /** The parsed body; undefined for an empty one (204, or a 201 some servers send bare). */
    data: unknown;
    /** The Location header of a 201: where a created object lives when the body does not say. */
    location?: string;
}

const MEDIA_TYPE = "application/scim+json";

/**
 * Sends SCIM requests: bearer auth, SCIM media type, timeout, the shared
 * concurrency limit, retries (retry.ts), and error mapping (errors.ts). The
 * token lives only in this object's axios instance headers; nothing here
 * copies it into an error or a log line.
 */
export class ScimTransport {
    private readonly http: AxiosInstance;
    private readonly limit: ReturnType<typeof sharedLimiter>;
    private readonly backoff: BackoffPolicy;

    constructor(private readonly options: TransportOptions) {
        this.http = axios.create({
            baseURL: options.baseUrl,
            timeout: options.requestTimeoutMs,
            headers: {
                Authorization: `Bearer ${options.token}`,
                Accept: `${MEDIA_TYPE}, application/json`,
                "Content-Type": MEDIA_TYPE,
            },
            // Every status comes back as a response; we decide what is an error.
            validateStatus: () => true,
            // Never follow a redirect: it could carry the Authorization header to another host.
            maxRedirects: 0,
            // SCIM bodies are small; refuse anything absurd rather than buffer it.
            maxContentLength: 50 * 1024 * 1024,
            transitional: { clarifyTimeoutError: true },
            proxy: false,
        });
        this.limit = sharedLimiter(options.baseUrl, options.maxConcurrency);
        this.backoff = options.backoff ?? defaultBackoff;
    }

    /**
     * Sends a request; returns the response for 2xx, throws ScimError otherwise.
     * POST is not idempotent: it is retried on 429 only (see retry.ts).
     */
    send(req: ScimRequest): Promise<ScimResponse> {
        const idempotent = req.method !== "POST";
        return withRetry(() => this.limit(() => this.once(req)), this.backoff, idempotent, {
            ...this.options.hooks,
            onRetry: (err, attempt, delay) => {
                this.options.log?.(`retry ${attempt} of ${req.method} ${req.path} in ${delay} ms after ${err.status ?? err.code}`);
                this.options.hooks?.onRetry?.(err, attempt, delay);
            },
        });
    }

    private async once(req: ScimRequest): Promise<ScimResponse> {
        const started = Date.now();
        let res;
        try {
            res = await this.http.request({
                method: req.method,
                url: req.path,
                params: req.query,
                data: req.body === undefined ? undefined : JSON.stringify(req.body),
                responseType: "text",
                transformResponse: (x) => x,
            });
        } catch (err) {
            // Build our own error: axios errors carry the request config, headers included.
            const code = (err as { code?: string }).code;
            this.options.log?.(`${req.method} ${req.path} -> ${code ?? "error"} (${Date.now() - started} ms)`);
            throw new ScimError(describeNetworkFailure(req.method, req.path, code, this.options.requestTimeoutMs), undefined, undefined, req.method, req.path, code ?? "ENETWORK");
        }
        this.options.log?.(`${req.method} ${req.path} -> ${res.status} (${Date.now() - started} ms)`);
        const data = parseBody(res.data);
        if (res.status >= 200 && res.status < 300) {
            const location = typeof res.headers.location === "string" ? res.headers.location : undefined;
            return { status: res.status, data, location };
        }
        const { message, scimType } = describeFailure(req.method, req.path, res.status, data, this.options.token);
        const retryAfter = parseRetryAfter(res.headers["retry-after"] as string | undefined);
        throw new ScimError(message, res.status, scimType, req.method, req.path, undefined, retryAfter);
    }
}

function parseBody(text: unknown): unknown {
    if (typeof text !== "string" || text.trim() === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        // Not JSON (an HTML error page, a proxy's text): keep enough to read; scrubbed by describeFailure.
        return { detail: text.slice(0, 2000) };
    }
}
