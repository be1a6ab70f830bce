/**
 * What a `pulumi preview --diff` (or `pulumi up`) printed, as the model-based
 * test's oracle reads it: the resource blocks the engine drew (operation,
 * kind, resource name, SCIM id, the lines under it) and every line the
 * provider said (`[invision] ...`, warnings and the rest). Works for both
 * doors' type tokens.
 */
export interface Block {
    op: string;
    kind: "User" | "Group" | "other";
    name?: string;
    id?: string;
    lines: string[];
}
export interface PreviewText {
    blocks: Block[];
    messages: string[];
}

const HEADER = /^\s*([-+~]{1,2}|<=|=>)\s*([\w\-./:]+):\s+\(([\w-]+)\)\s*$/;

export function parsePreview(text: string): PreviewText {
    const blocks: Block[] = [];
    const messages: string[] = [];
    let current: Block | undefined;
    for (const raw of text.split("\n")) {
        const line = raw.replace(/\s+$/, "");
        const said = line.indexOf("[invision] ");
        if (said >= 0) {
            messages.push(line.slice(said + "[invision] ".length));
            continue;
        }
        const h = HEADER.exec(line);
        if (h) {
            const type = h[2];
            const kind = /:User$/.test(type) ? "User" : /:Group$/.test(type) ? "Group" : "other";
            current = { op: h[3], kind, lines: [] };
            blocks.push(current);
            continue;
        }
        if (!current) continue;
        if (/^(Resources|Outputs|Diagnostics|Duration):/.test(line.trim()) || /^\S/.test(line)) {
            current = undefined;
            continue;
        }
        const urn = /\[urn=.*::([^\]]+)\]/.exec(line);
        if (urn) current.name = urn[1];
        const id = /^\s*\[id=([^\]]+)\]/.exec(line);
        if (id) current.id = id[1];
        current.lines.push(line);
    }
    return { blocks, messages: [...new Set(messages)] };
}

/** An email as a whole word in a text (not p1@ inside p11@). */
export function mentionsEmail(text: string, email: string): boolean {
    const e = email.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // A sentence may end right after an email: a full stop then a space (or the end) is not part of it.
    return new RegExp(`(^|[^\\w.+-])${e}($|[^\\w.-]|\\.(\\s|$))`, "i").test(text);
}

/** A group's name as the provider quotes it ('Design'), or as a property value ("Design"). */
export function mentionsGroup(text: string, name: string): boolean {
    return text.includes(`'${name}'`) || text.includes(`"${name}"`);
}
