import { randomBytes } from "node:crypto";
import { ConfigLookup, ConnectionSettings, resolveSafetyLimits, resolveSettings, resolveTenant, SafetyLimits } from "./config";
import { redacting, Secrets } from "./diagnostics/secrets";
import type { Diagnostics } from "./diagnostics/sink";
import { fullCollection, GarbageBound } from "./garbage-bound";
import type { PlanLine } from "./plan/lines";
import type { Directory } from "./plan/members";
import { ScimClient } from "./scim/client";
import { PeopleBook } from "./scim/people";
import { Schedulers } from "./scim/scheduler";
import { DeletionGuard } from "./safety/guard";
import { Claims, ClaimStore } from "./safety/handover";

/** Which door a provider process serves: the dynamic resources, or the `invision` plugin. Only wording differs. */
export type Door = "dynamic" | "plugin";

export interface ContextOptions {
    door: Door;
    diagnostics: Diagnostics;
    env?: NodeJS.ProcessEnv;
    /** Claims the other door's process of the same run can read (a move between doors). */
    sharedClaims?: ClaimStore;
    /** Tests: a fixed run id. */
    run?: string;
}

/**
 * Everything one provider process keeps: one `pulumi` command is one process
 * per provider, so this is one run. Its settings, its SCIM client (with what
 * it learned about the server, its scheduler and listings), its deletion
 * budget, the objects declared resources own, who is who, and where its
 * words go. Each door creates one and hands every call to the operations in
 * runtime.ts with it; a test creates one per simulated run, or one per door.
 */
export class ProviderContext {
    /** This run, as `was` records in state name it (plan/basis.ts). */
    readonly run: string;
    readonly door: Door;
    readonly guard = new DeletionGuard();
    readonly claims: Claims;
    /** Everyone this process has seen: for resolving emails to ids, and naming people. */
    readonly people = new PeopleBook();
    /**
     * Who is who as state records it (what the diffs and reads of this run
     * were handed): what plans match members by. Accounts this run creates are
     * not in it, so a plan made at `up` matches as the preview's did.
     */
    readonly recorded = new PeopleBook();
    /** Values handed over as secrets: never in a message or an error (diagnostics/secrets.ts). */
    readonly secrets = new Secrets();
    /** Where its words go, with every secret it was handed redacted. */
    readonly diagnostics: Diagnostics;
    private readonly env: NodeJS.ProcessEnv;
    private config: ConfigLookup = () => undefined;
    /**
     * Whether the program has declared a resource yet in this run (a check
     * was called). The engine also diffs each resource it refreshes, to draw
     * the refresh, with the refreshed outputs as olds and removed resources
     * included; with `up --refresh` every refresh comes before the program
     * runs. Such a diff must not claim an object (its delete would then be
     * skipped) nor print a plan nobody asked for.
     */
    programRunning = false;
    private client?: { key: string; scim: ScimClient };
    /** One request scheduler per tenant, for this process's clients. */
    private readonly schedulers = new Schedulers();
    private garbage?: GarbageBound;

    constructor(options: ContextOptions) {
        this.run = options.run ?? randomBytes(6).toString("hex");
        this.door = options.door;
        this.diagnostics = redacting(options.diagnostics, this.secrets);
        this.env = options.env ?? process.env;
        this.claims = new Claims(options.sharedClaims, () => this.tenant() ?? "");
    }

    /** The engine's configuration for this provider (stack config, or an explicit provider's arguments). */
    configure(lookup: ConfigLookup): void {
        this.config = lookup;
    }

    configLookup(): ConfigLookup {
        return this.config;
    }

    settings(): ConnectionSettings {
        return resolveSettings(this.config, this.env);
    }

    limits(): SafetyLimits {
        return resolveSafetyLimits(this.config, this.env);
    }

    /** The tenant this provider talks to (the normalised SCIM root), when configured; needs no token. */
    tenant(): string | undefined {
        return resolveTenant(this.config, this.env);
    }

    /**
     * The client, created on first use (check and diff never need it, so a
     * preview works with no token and no network) and kept while the settings
     * stay the same, so what it learned serves every resource of the run.
     */
    scim(): ScimClient {
        const settings = this.settings();
        const key = JSON.stringify(settings);
        if (this.client?.key !== key) {
            const line = (l: string) => this.diagnostics.say("info", l);
            const log = this.env.PULUMI_INVISION_LOG ? line : undefined;
            this.client = {
                key,
                scim: new ScimClient({ ...settings, log, warn: (m) => this.warn(m), say: line, settle: () => this.diagnostics.flush(), people: this.people, schedulers: this.schedulers }),
            };
        }
        return this.client.scim;
    }

    warn(message: string): void {
        this.diagnostics.say("warning", message);
    }

    /** A plan's sentences, each at its own severity. */
    tell(lines: readonly PlanLine[]): void {
        for (const l of lines) this.diagnostics.say(l.severity, l.text);
    }

    /** Users this run has seen in InVision (created, adopted, read): their accounts exist, no need to look again. */
    readonly seen = new Set<string>();

    /** A person as state records them (their email, and InVision's when a hand change made it differ). */
    recordPerson(id: string | undefined, email: string | undefined, alias?: string): void {
        this.recorded.note(id, email);
        this.recorded.alias(id, alias);
        this.people.note(id, email);
        this.people.alias(id, alias);
    }

    /** Who is who for plans: as state records it. */
    directory(): Directory {
        return { idOf: (email) => this.recorded.idOf(email), emailOf: (id) => this.recorded.emailOf(id) ?? this.people.emailOf(id) };
    }

    /** Who is who for the ids a write sends: everyone this run has seen, newest first (an account this run made included). */
    resolver(): Directory {
        return { idOf: (email) => this.people.idOf(email) ?? this.recorded.idOf(email), emailOf: (id) => this.people.emailOf(id) };
    }

    /** After each call: collects when thousands of calls in a row leave garbage behind (garbage-bound.ts). */
    afterCall(): void {
        (this.garbage ??= new GarbageBound(fullCollection())).check();
    }
}
