/** What the safety e2e tests share: their spec.json's users (safety-program), the provider's warnings, and notes for the log. */

export const note = (s: string) => process.stdout.write(`# ${s.split("\n").join("\n# ")}\n`);

/** The provider's warnings, as the CLI prints them under Diagnostics, each once. */
export const warnings = (out: string) => [...new Set(out.split("\n").filter((l) => /warning: \[invision\]/.test(l)).map((l) => l.trim().replace(/^.*?(warning: \[invision\])/, "$1")))];

export interface SpecUser {
    name: string;
    userName: string;
    active?: boolean;
    givenName?: string;
}

export const user = (n: string, over: Partial<SpecUser> = {}): SpecUser => ({ name: `${n}@example.com`, userName: `${n}@example.com`, ...over });
