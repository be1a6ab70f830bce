/**
 * A plan's sentences: every person and group a plan touches, named by email
 * and group name, never by SCIM id. The preview prints them (the engine shows
 * only what the inputs say; a re-add, a rename back or a removal of someone
 * the program never declared is not in the inputs), `up` prints what it did,
 * and the access review reads them back.
 *
 * `access` lines are losses or restorations of access (warnings: the engine
 * counts and highlights them); `info` lines are the rest.
 */
export interface PlanLine {
    severity: "warning" | "info";
    text: string;
}

export const access = (text: string): PlanLine => ({ severity: "warning", text });
export const info = (text: string): PlanLine => ({ severity: "info", text });
