import * as fs from "node:fs";
import { settingKeys } from "../config";
import { buildReview } from "../review/build";
import { renderMarkdown } from "../review/markdown";
import { isMasked } from "../review/masked";
import { PreviewJsonError, readPreview } from "../review/preview-json";
import { parseStrict, UsageError } from "./args";

export const ACCESS_REVIEW_USAGE = `       pulumi-invision access-review [--in PREVIEW_JSON] [--out FILE] [--format markdown|json]

access-review: who gains and who loses InVision access, for people who
approve it: reads the JSON of \`pulumi preview --json --show-sames\` (stdin, or
--in; either door, a Team or not) and writes a Markdown report (stdout, or
--out): a row per person whose access changes, the hand changes state records
and what the next up does with them, and the deletion guard's counts.
Emails and group names only; --format json writes the same as data.
`;

/** `pulumi-invision access-review`. */
export function runAccessReview(argv: string[]): number {
    try {
        const { values, positionals } = parseStrict(argv, { in: { type: "string" }, out: { type: "string" }, format: { type: "string" } });
        if (positionals.length > 0) throw new UsageError(`${positionals.length} unexpected argument(s) after access-review`);
        const format = values.format ?? "markdown";
        if (format !== "markdown" && format !== "json") throw new UsageError('--format is "markdown" (the default) or "json"');
        const preview = readPreview(readInput(values.in));
        const token = preview.config(settingKeys.token.config);
        if (token !== undefined && !isMasked(token)) {
            // Never echoed. The report prints no config value; the preview's own output is another matter.
            process.stderr.write(`pulumi-invision access-review: warning: the preview shows ${settingKeys.token.config} unmasked (run with --show-secrets, or stored without --secret): do not publish that preview's output.\n`);
        }
        const review = buildReview(preview);
        const text = format === "json" ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review);
        if (values.out) fs.writeFileSync(values.out, text);
        else process.stdout.write(text);
        if (values.out) process.stderr.write(`Wrote ${values.out}: ${review.summary}.\n`);
        return 0;
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`pulumi-invision access-review: ${e.message}\n\n${ACCESS_REVIEW_USAGE}`);
            return 2;
        }
        if (e instanceof PreviewJsonError) {
            process.stderr.write(`pulumi-invision access-review: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
}

function readInput(file: string | undefined): string {
    if (file === undefined || file === "-") {
        if (process.stdin.isTTY) throw new UsageError("give --in FILE, or pipe `pulumi preview --json --show-sames` into this command");
        return fs.readFileSync(0, "utf8");
    }
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PreviewJsonError(`cannot read --in ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}
