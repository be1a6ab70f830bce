import type { z } from "zod";
import type { ServerCapabilities } from "./capabilities";
import { ScimError } from "./errors";
import type { ScimRequest, ScimResponse } from "./http";
import { listResponseSchema } from "./schemas";
import { parse } from "./wire";

/**
 * `GET /Users?filter=userName eq "…"` (or a group's displayName): the lookup
 * every IdP connector does before a create, which InVision may or may not
 * honour. Answers "unsupported" (and switches the process to list-and-match)
 * when the server rejects filters or visibly ignores them. The first query
 * settles that; queries asked meanwhile wait for it rather than each sending
 * a request the server may reject.
 */
export class FilteredLookup<T> {
    private verdict?: Promise<void>;

    constructor(
        private readonly send: (req: ScimRequest) => Promise<ScimResponse>,
        private readonly capabilities: ServerCapabilities,
        private readonly fact: "userFilter" | "groupFilter",
        private readonly path: "/Users" | "/Groups",
        private readonly attribute: "userName" | "displayName",
        private readonly schema: z.ZodType<T>,
        private readonly nameOf: (item: T) => string,
        /** Settles once /ServiceProviderConfig has been read: its hint decides whether to try filters at all. */
        private readonly ready: () => Promise<void> = async () => undefined,
    ) {}

    /** Items whose name equals `value` ignoring case, or "unsupported". */
    async query(value: string, literal: string): Promise<T[] | "unsupported"> {
        await this.ready();
        const pending = this.verdict;
        if (pending) await pending;
        if (this.capabilities.facts[this.fact] === "no") return "unsupported";
        const attempt = this.sendQuery(value, literal);
        if (!pending) this.verdict = attempt.then(() => undefined, () => undefined);
        return attempt;
    }

    private async sendQuery(value: string, literal: string): Promise<T[] | "unsupported"> {
        const caps = this.capabilities;
        let items: T[];
        try {
            const res = await this.send({ method: "GET", path: this.path, query: { filter: `${this.attribute} eq ${literal}` } });
            items = parse(listResponseSchema(this.schema), res.data, "list").Resources ?? [];
        } catch (e) {
            if (e instanceof ScimError && (e.is(400) || e.is(403) || e.is(404) || e.is(405) || e.is(501))) {
                caps.learn(this.fact, "no", `filtering ${this.path} was refused with ${e.status}; looking objects up in the list instead`);
                return "unsupported";
            }
            throw e;
        }
        const key = value.toLowerCase();
        if (items.some((item) => this.nameOf(item).toLowerCase() !== key)) {
            caps.learn(this.fact, "no", `the server returned objects the filter excludes: it ignores filters on ${this.path}; looking objects up in the list instead`);
            return "unsupported";
        }
        caps.learn(this.fact, "yes", `a ${this.attribute} filter was answered`);
        return items;
    }
}
