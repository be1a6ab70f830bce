import { currentUrn } from "./call-scope";
import { EngineLog, Severity } from "./engine-log";

/**
 * What a provider process says to the person running `pulumi`: warnings that
 * name people, progress lines. Each message goes to the engine's log service
 * under the resource the current call is about (call-scope.ts); without an
 * engine (a test, the export command) or if it cannot be reached, to stderr,
 * in the form the dynamic-provider host's stderr always had.
 */
export interface Said {
    severity: Severity;
    message: string;
    urn?: string;
}

export interface Diagnostics {
    say(severity: Severity, message: string): void;
    /** Resolves when everything said so far has been delivered: a call's result waits for its messages. */
    flush(): Promise<void>;
}

const PREFIX = "[invision] ";

export class EngineDiagnostics implements Diagnostics {
    private pending: Promise<void>[] = [];

    constructor(
        private readonly engine: EngineLog | undefined,
        private readonly stderr: (line: string) => void = (line) => process.stderr.write(line),
    ) {}

    say(severity: Severity, message: string): void {
        const text = PREFIX + message;
        if (!this.engine) return this.toStderr(severity, text);
        const urn = currentUrn();
        this.pending.push(this.engine.log(severity, text, urn).catch(() => this.toStderr(severity, text)));
    }

    async flush(): Promise<void> {
        while (this.pending.length > 0) {
            const batch = this.pending;
            this.pending = [];
            await Promise.all(batch);
        }
    }

    private toStderr(severity: Severity, text: string): void {
        this.stderr(severity === "info" ? `${text}\n` : `${severity}: ${text}\n`);
    }
}

/** Keeps what was said, for tests that play a provider process in-process. */
export class CollectedDiagnostics implements Diagnostics {
    readonly said: Said[] = [];

    say(severity: Severity, message: string): void {
        this.said.push({ severity, message: PREFIX + message, urn: currentUrn() });
    }

    async flush(): Promise<void> {}

    /** The lines as the CLI shows them: `warning: [invision] ...`. */
    lines(): string[] {
        return this.said.map((s) => (s.severity === "info" ? s.message : `${s.severity}: ${s.message}`));
    }
}
