import { compareDeployments } from "./compare";
import type { StackExport } from "./deployment";
import { checkProviderTexts, Finding } from "./module-reference";
import { redactSecrets } from "./secrets";

export interface Verdict {
    /** Every dynamic resource's `__provider` is this package's. Never waived. */
    providers: Finding[];
    /** Differences from the trusted snapshot; empty when none was given (`--providers-only`). */
    differences: Finding[];
}

/**
 * The apply's check of the backend's state before anything runs from it:
 * pure, on parsed JSON; it loads, evaluates and contacts nothing. `expected`
 * is the last trusted snapshot, `actual` the backend's export (secrets are
 * redacted the way a snapshot's are before comparing).
 */
export function verifyState(actual: StackExport, expected?: StackExport): Verdict {
    const providers = checkProviderTexts(actual.deployment.resources);
    const differences = expected ? compareDeployments(redactSecrets(expected.deployment), redactSecrets(actual.deployment)) : [];
    return { providers, differences };
}

export function passed(v: Verdict): boolean {
    return v.providers.length === 0 && v.differences.length === 0;
}

/** The report a person reads in the job's log: every finding on its own line, URN and property first. */
export function formatVerdict(v: Verdict, snapshotName: string): string {
    const lines: string[] = [];
    if (v.providers.length > 0) {
        lines.push(`Refused: ${v.providers.length} resource propert${v.providers.length === 1 ? "y holds" : "ies hold"} code that is not pulumi-invision's; nothing from this state may run:`);
        for (const f of v.providers) lines.push(`  ${f.urn}\n    ${f.property} ${f.message}`);
    }
    if (v.differences.length > 0) {
        lines.push(`Refused: the backend's state is not the one the last trusted job published (${snapshotName}); ${v.differences.length} difference(s):`);
        for (const f of v.differences) lines.push(`  ${f.urn}\n    ${f.property}: ${f.message}`);
        lines.push("State changed outside the apply and drift workflows. Find out who changed it and why before anything runs from it; see \"When the state check refuses\" in the pulumi-invision README.");
    }
    return lines.join("\n");
}
