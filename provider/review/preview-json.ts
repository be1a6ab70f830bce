import { z } from "zod";

/**
 * The part of `pulumi preview --json` an access review reads, in either door:
 * the steps of InVision users and groups (the dynamic resources'
 * `pulumi-nodejs:dynamic/invision:User|Group`, the plugin's
 * `invision:index:User|Group`, inside a Team or not), the stack config, and
 * whether the preview failed. A step carries state as the engine handed it to
 * the provider (`oldState.outputs`), the inputs that state was written from
 * (`oldState.inputs`), and the checked declaration (`newState.inputs`).
 *
 * What the engine prints for a value: secrets as "[secret]" (both doors),
 * values not known until apply as the SDK's unknown marker (plan code reads it
 * as it reads it in `check`). Steps of unchanged resources are there only with
 * `--show-sames`.
 */

const props = z.record(z.string(), z.unknown());
const state = z.looseObject({ type: z.string().optional(), id: z.string().optional(), inputs: props.optional(), outputs: props.optional() });
const step = z.looseObject({ op: z.string(), urn: z.string(), oldState: state.optional(), newState: state.optional() });

export const previewJsonSchema = z.looseObject({
    config: z.record(z.string(), z.unknown()).optional(),
    steps: z.array(step).optional(),
    diagnostics: z.array(z.looseObject({ severity: z.string().optional() })).optional(),
    changeSummary: z.record(z.string(), z.number()).optional(),
});

export type PreviewJson = z.infer<typeof previewJsonSchema>;
export type Props = Record<string, unknown>;

export type Kind = "user" | "group";

/** One InVision resource's step: what the engine will do, from what state, to what declaration. */
export interface ResourceStep {
    kind: Kind;
    op: string;
    /** The resource's name in the program (the URN's last part): used to pair steps, never printed. */
    urn: string;
    /** SCIM id, from state: what identifies a person or group across steps; never printed. */
    id?: string;
    olds?: Props;
    oldInputs?: Props;
    news?: Props;
}

export interface Preview {
    steps: ResourceStep[];
    config: (key: string) => string | undefined;
    /** Error diagnostics: the preview stopped, and its steps are not the whole plan. */
    errors: number;
    /** Unchanged resources are listed (`--show-sames`): the review knows everyone state records. */
    sames: boolean;
}

export class PreviewJsonError extends Error {}

const TYPE = /^(?:pulumi-nodejs:dynamic\/invision|invision:index):(User|Group)$/;

/** The InVision kind of a resource type, in either door. */
export function kindOf(type: string | undefined): Kind | undefined {
    const m = type === undefined ? null : TYPE.exec(type);
    return m ? (m[1] === "User" ? "user" : "group") : undefined;
}

function typeOfUrn(urn: string): string | undefined {
    // urn:pulumi:stack::project::parent$type::name: the type is the last `$` segment of the part before the name.
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[parts.length - 2].split("$").pop() : undefined;
}

/** Reads the text `pulumi preview --json` printed. */
export function readPreview(text: string): Preview {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new PreviewJsonError(`not the JSON of \`pulumi preview --json\` (${(e as Error).message})`);
    }
    const parsed = previewJsonSchema.safeParse(raw);
    if (!parsed.success) throw new PreviewJsonError(`not the JSON of \`pulumi preview --json\`: ${parsed.error.issues[0]?.message ?? "unexpected shape"}`);
    const doc = parsed.data;
    const steps: ResourceStep[] = [];
    let sames = 0;
    for (const s of doc.steps ?? []) {
        if (s.op === "same") sames++;
        const kind = kindOf(s.newState?.type ?? s.oldState?.type ?? typeOfUrn(s.urn));
        if (!kind) continue;
        steps.push({ kind, op: s.op, urn: s.urn, id: s.oldState?.id, olds: s.oldState?.outputs, oldInputs: s.oldState?.inputs, news: s.newState?.inputs });
    }
    const config = doc.config ?? {};
    return {
        steps,
        config: (key) => {
            const v = config[key];
            return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
        },
        errors: (doc.diagnostics ?? []).filter((d) => d.severity === "error").length,
        // Without --show-sames the engine still lists the stack itself as `same`, and counts every unchanged resource.
        sames: sames >= (doc.changeSummary?.same ?? 0),
    };
}
