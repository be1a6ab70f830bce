import { isDeepStrictEqual } from "node:util";
import type { Deployment, StateResource } from "./deployment";
import type { Finding } from "./module-reference";

/**
 * "The same state": the backend's deployment, secrets redacted, deep-equal to
 * the trusted snapshot in everything but `manifest`.
 *
 * Nothing writes state between the trusted job's export and the next apply's
 * check, so there is nothing volatile to forgive: timestamps, ids, every
 * input and output, the order of resources, pending operations and the
 * secrets provider are all compared. `manifest` is the one exception: it
 * describes the write (time, CLI version, its checksum, plugin versions),
 * the engine plans nothing from it, and a backend that re-serializes a
 * checkpoint may rewrite it. JSON key order never matters (deep equality).
 */
export function compareDeployments(expected: Deployment, actual: Deployment): Finding[] {
    const findings: Finding[] = [];
    const { resources: expectedResources, manifest: _m1, ...expectedRest } = expected;
    const { resources: actualResources, manifest: _m2, ...actualRest } = actual;
    void _m1;
    void _m2;

    const byUrn = (rs: readonly StateResource[]) => {
        const m = new Map<string, StateResource[]>();
        for (const r of rs) m.set(r.urn, [...(m.get(r.urn) ?? []), r]);
        return m;
    };
    const want = byUrn(expectedResources);
    const have = byUrn(actualResources);
    for (const [urn, rs] of have) {
        const olds = want.get(urn) ?? [];
        rs.forEach((r, i) => {
            const old = olds[i];
            if (!old) findings.push({ urn, property: "resource", message: "is in the backend's state but not in the trusted snapshot (added)" });
            else findings.push(...resourceDifferences(urn, old, r));
        });
    }
    for (const [urn, rs] of want) {
        const extra = rs.length - (have.get(urn)?.length ?? 0);
        if (extra > 0) findings.push({ urn, property: "resource", message: "is in the trusted snapshot but not in the backend's state (removed)" });
    }
    if (findings.length === 0 && !isDeepStrictEqual(expectedResources.map((r) => r.urn), actualResources.map((r) => r.urn))) {
        findings.push({ urn: "(deployment)", property: "resources", message: "the same resources, in a different order" });
    }
    for (const key of new Set([...Object.keys(expectedRest), ...Object.keys(actualRest)])) {
        const a = (expectedRest as Record<string, unknown>)[key];
        const b = (actualRest as Record<string, unknown>)[key];
        if (!isDeepStrictEqual(a, b)) findings.push({ urn: "(deployment)", property: key, message: `differs: snapshot ${show(a)}, backend ${show(b)}` });
    }
    return findings;
}

/** Per field, and per property inside inputs and outputs: which property, with both values. */
function resourceDifferences(urn: string, old: StateResource, now: StateResource): Finding[] {
    const out: Finding[] = [];
    for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
        const a = (old as Record<string, unknown>)[key];
        const b = (now as Record<string, unknown>)[key];
        if (isDeepStrictEqual(a, b)) continue;
        if ((key === "inputs" || key === "outputs") && isRecord(a ?? {}) && isRecord(b ?? {})) {
            const pa = (a ?? {}) as Record<string, unknown>;
            const pb = (b ?? {}) as Record<string, unknown>;
            for (const p of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
                if (!isDeepStrictEqual(pa[p], pb[p])) out.push({ urn, property: `${key}.${p}`, message: `snapshot ${show(pa[p])}, backend ${show(pb[p])}` });
            }
        } else {
            out.push({ urn, property: key, message: `snapshot ${show(a)}, backend ${show(b)}` });
        }
    }
    return out;
}

function isRecord(v: unknown): boolean {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value in a message: compact JSON, cut short (a __provider can be kilobytes). */
function show(v: unknown): string {
    if (v === undefined) return "(absent)";
    const s = JSON.stringify(v);
    return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
