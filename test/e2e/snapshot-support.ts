import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A preview's text as a reviewer reads it, for comparing two previews of the
 * same change: every line but the header, which names the backend
 * ("Previewing update (e2e)", a "View in Browser" link), the one thing meant
 * to differ between the backend and a snapshot, and the CLI's "@ previewing
 * update...." ticks, which come and go with the machine's speed.
 */
export function previewBody(stdout: string): string[] {
    return stdout
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => l !== "" && !/^(Previewing |View (in|Live) |@ )/.test(l.trim()));
}

export interface StateResource {
    urn: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}
type Pulumi = (args: string[]) => Promise<unknown>;

/** The resource whose URN ends with `suffix`. */
export function resource(d: { resources: StateResource[] }, suffix: string): StateResource {
    const r = d.resources.find((x) => x.urn.endsWith(suffix));
    if (!r) throw new Error(`no resource ending ${suffix} in state`);
    return r;
}

/** A group's state edited to say that an earlier run found `email` added by hand: the next up removes her. */
export function recordHandAdded(d: { resources: StateResource[] }, groupSuffix: string, email: string, id: string): void {
    const g = resource(d, groupSuffix).outputs;
    g.unmanagedMembers = [...((g.unmanagedMembers as string[] | undefined) ?? []), email];
    g.memberIds = [...((g.memberIds as string[] | undefined) ?? []), id];
}

/**
 * Edits the backend's state as anyone holding the backend's credential can
 * (export, edit, import); returns a file with the state as it was before.
 */
export async function tamper(pulumi: Pulumi, dir: string, edit: (deployment: { resources: StateResource[] }) => void): Promise<string> {
    const before = path.join(dir, `before-tamper-${Date.now()}.json`);
    await pulumi(["stack", "export", "--file", before]);
    const doc = JSON.parse(fs.readFileSync(before, "utf8"));
    edit(doc.deployment);
    const edited = path.join(dir, "tampered.json");
    fs.writeFileSync(edited, JSON.stringify(doc, null, 2));
    await pulumi(["stack", "import", "--file", edited]);
    return before;
}
