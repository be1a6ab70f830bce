/**
 * Who is who, as far as this provider process has seen: SCIM id to sign-in
 * email and back, from listings, reads, writes and the state the engine hands
 * the provider. Two uses: errors and warnings name people by email rather than
 * by SCIM id, and a user a server hides from its lists (deactivated users, on
 * some servers) can still be found by the id we saw for them.
 */
export class PeopleBook {
    private readonly emailById = new Map<string, string>();
    private readonly idByEmail = new Map<string, string>();

    note(id: string | undefined, userName: string | undefined): void {
        if (!id || !userName) return;
        this.emailById.set(id, userName);
        this.idByEmail.set(userName.toLowerCase(), id);
    }

    /** Another email that leads to the same person (InVision's, after a hand change), without renaming them. */
    alias(id: string | undefined, email: string | undefined): void {
        if (!id || !email) return;
        this.idByEmail.set(email.toLowerCase(), id);
        if (!this.emailById.has(id)) this.emailById.set(id, email);
    }

    idOf(userName: string): string | undefined {
        return this.idByEmail.get(userName.toLowerCase());
    }

    emailOf(id: string): string | undefined {
        return this.emailById.get(id);
    }

    /** "bob@example.com" when known, else "user <id>". */
    name(id: string): string {
        return this.emailById.get(id) ?? `user ${id}`;
    }
}
