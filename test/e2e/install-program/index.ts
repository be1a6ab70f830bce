import { InVisionTeam, plugin } from "pulumi-invision";

// The plugin-install e2e's TypeScript program: the plugin's resources with
// no source named, so each asks for this package's own release.
const alice = new plugin.User("alice@example.com", { userName: "alice@example.com", givenName: "Alice" });
const team = new InVisionTeam(
    "team",
    { roster: { users: [{ email: "carol@example.com", givenName: "Carol" }], groups: [{ name: "Research", members: ["carol@example.com"] }] } },
    {},
    plugin.pluginResources,
);

export const aliceId = alice.id;
export const access = team.access;
