import axios, { AxiosInstance } from "axios";
import { DEFAULT_MAX_REQUESTS_PER_SECOND, DEFAULT_RETRY_BUDGET_SECONDS } from "../config";
import { BackoffPolicy, defaultBackoff, parseRetryAfter } from "./backoff";
import { describeFailure, describeNetworkFailure, ScimError } from "./errors";
import { withRetry } from "./retry";
import { RequestScheduler, Schedulers, sharedScheduler } from "./scheduler";

export interface TransportOptions {
    baseUrl: string;
    token: string;
    maxConcurrency: number;
    requestTimeoutMs: number;
    /** The adaptive rate's ceiling (config.ts); defaults to the config default. */
    maxRequestsPerSecond?: number;
    /** How long one request may keep retrying (config.ts). */
    retryBudgetSeconds?: number;
    backoff?: BackoffPolicy;
    /** Tests hand in their own scheduler; otherwise one per base URL, from `schedulers` (a provider process's) or the process's. */
    scheduler?: RequestScheduler;
    schedulers?: Schedulers;
    /** Resolves once what `say` said has reached the person. */
    settle?: () => Promise<void>;
    /** Receives one line per attempt (method, path, status, ms); never headers or bodies. */
    log?: (line: string) => void;
    /** Progress a person should see without asking: pauses for the server's limit, the run's figures. */
    say?: (line: string) => void;
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
    /** Response headers, lower-case names. */
    headers?: Record<string, string>;
}

/** Seconds of quiet after activity before the run's figures are printed, if the process has not ended by then. */
const IDLE_SUMMARY_MS = 5_000;

const MEDIA_TYPE = "application/scim+json";

/**
 * Sends SCIM requests: bearer auth, SCIM media type, timeout, the shared
 * concurrency limit, retries (retry.ts), and error mapping (errors.ts). The
 * token lives only in this object's axios instance headers; nothing here
 * copies it into an error or a log line.
 */
export class ScimTransport {
    private readonly http: AxiosInstance;
    readonly scheduler: RequestScheduler;
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
        const schedulerOptions = {
            maxConcurrency: options.maxConcurrency,
            maxRequestsPerSecond: options.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND,
            say: options.say,
            settle: options.settle,
            idleSummaryMs: IDLE_SUMMARY_MS,
        };
        this.scheduler = options.scheduler ?? (options.schedulers ? options.schedulers.get(options.baseUrl, schedulerOptions) : sharedScheduler(options.baseUrl, schedulerOptions));
        this.backoff = options.backoff ?? defaultBackoff;
    }

    /**
     * Sends a request through the shared scheduler; returns the response for
     * 2xx, throws ScimError otherwise. What is retried, and for how long, is
     * decided in retry.ts: a POST only when the server said it did nothing.
     */
    send(req: ScimRequest): Promise<ScimResponse> {
        return withRetry(() => this.once(req), {
            method: req.method,
            path: req.path,
            scheduler: this.scheduler,
            budgetMs: (this.options.retryBudgetSeconds ?? DEFAULT_RETRY_BUDGET_SECONDS) * 1000,
            backoff: this.backoff,
            onRetry: (err, attempt, kind, delay) => {
                const why = kind === "throttled" ? "the server's limit" : String(err.status ?? err.code);
                this.options.log?.(`retry ${attempt} of ${req.method} ${req.path} in ${delay} ms after ${why}`);
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
            const headers = plainHeaders(res.headers);
            return { status: res.status, data, headers, location: headers.location };
        }
        const { message, scimType, detail } = describeFailure(req.method, req.path, res.status, data, this.options.token);
        const retryAfter = parseRetryAfter(res.headers["retry-after"] as string | undefined);
        throw new ScimError(message, res.status, scimType, req.method, req.path, undefined, retryAfter, { detail });
    }
}

function plainHeaders(h: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    return out;
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
