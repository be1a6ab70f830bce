import * as fs from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { Roster, rosterSchema } from "./schema";

/** Everything wrong with a roster, each problem with its file and line. */
export class RosterError extends Error {
    override readonly name = "RosterError";
    constructor(
        readonly source: string,
        readonly problems: { line?: number; path: string; message: string }[],
    ) {
        super(
            `The roster ${source} is not valid:\n${problems.map((p) => `  ${source}${p.line ? `:${p.line}` : ""}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n")}`,
        );
    }
}

/** Reads and validates a roster YAML file. */
export function loadRosterFile(file: string): Roster {
    return parseRoster(fs.readFileSync(file, "utf8"), file);
}

/** Validates roster YAML text; `source` names it in errors. */
export function parseRoster(text: string, source = "roster.yaml"): Roster {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
        throw new RosterError(
            source,
            doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, path: "", message: e.message.split("\n")[0] })),
        );
    }
    const result = rosterSchema.safeParse(doc.toJS() ?? {});
    if (result.success) return result.data;
    const lineOf = (path: PropertyKey[], key?: string): number | undefined => {
        const node = doc.getIn(path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
        let offset = node?.range?.[0];
        if (key !== undefined && isMap(node)) {
            const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
            offset = (pair?.key as { range?: [number] } | undefined)?.range?.[0] ?? offset;
        }
        for (let i = path.length; offset === undefined && i > 0; i--) {
            offset = (doc.getIn(path.slice(0, i - 1) as (string | number)[], true) as { range?: [number] } | undefined)?.range?.[0];
        }
        return offset === undefined ? undefined : lines.linePos(offset).line;
    };
    throw new RosterError(source, problemsOf(result.error, lineOf));
}

/** Validates a roster given as an object (no lines to point at). */
export function checkRoster(roster: unknown, source = "roster"): Roster {
    const result = rosterSchema.safeParse(roster);
    if (result.success) return result.data;
    throw new RosterError(source, problemsOf(result.error, () => undefined));
}

function problemsOf(error: z.ZodError, lineOf: (path: PropertyKey[], key?: string) => number | undefined) {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((k) => ({ line: lineOf(issue.path, k), path: pathText([...issue.path, k]), message: `unknown key '${k}'` }));
        }
        return [{ line: lineOf(issue.path), path: pathText(issue.path), message: issue.message }];
    });
}

function pathText(path: PropertyKey[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}
