import { stringify } from "yaml";

/**
 * The synthetic tenant the scale benchmarks share (bench:scale,
 * bench:program-memory): USERS people, each in two of GROUPS groups, so a
 * group has about 2 x USERS / GROUPS members.
 */
export interface Person {
    userName: string;
    givenName: string;
    familyName: string;
}
export interface Spec {
    users: Person[];
    groups: { key: string; displayName: string; members: string[] }[];
}

export function tenant(users: number, groups: number): Spec {
    const people = Array.from({ length: users }, (_, i) => ({ userName: `person${i}@example.com`, givenName: "Person", familyName: `N${i}` }));
    return {
        users: people,
        groups: Array.from({ length: groups }, (_, g) => ({
            key: `Team ${g}`,
            displayName: `Team ${g}`,
            members: people.filter((_, i) => i % groups === g || i % groups === (g + 1) % groups).map((u) => u.userName),
        })),
    };
}

/** The same tenant as a roster file, for InVisionTeam. */
export function rosterYaml(spec: Spec): string {
    return stringify({
        users: spec.users.map((u) => ({ email: u.userName, givenName: u.givenName, familyName: u.familyName })),
        groups: spec.groups.map((g) => ({ name: g.displayName, members: g.members })),
    });
}
