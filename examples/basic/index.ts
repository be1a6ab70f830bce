import * as pulumi from "@pulumi/pulumi";
import { InVisionGroup, InVisionUser } from "pulumi-invision";

// Three people and two InVision teams. Set the connection once per stack:
//   pulumi config set -- invision:scimBaseUrl https://<team>.invisionapp.com
//   pulumi config set --secret -- invision:scimToken <token from InVision>
// ("--" ends the flags, so a token that starts with "-" is taken as the value.)
const alice = new InVisionUser("alice@example.com", { userName: "alice@example.com", givenName: "Alice", familyName: "Ng" });
const bob = new InVisionUser("bob@example.com", { userName: "bob@example.com", givenName: "Bob", familyName: "Okafor" });
const carol = new InVisionUser("carol@example.com", {
    userName: "carol@example.com",
    givenName: "Carol",
    familyName: "Silva",
    // Leaving the company: keep her account and content, block sign-in.
    active: false,
});

// Members by email: the pull request's preview names the people. Passing the
// user's output (not the string) makes Pulumi create the user first.
const design = new InVisionGroup("Design", { displayName: "Design", members: [alice.userName, bob.userName] });
const research = new InVisionGroup("Research", {
    displayName: "Research",
    // A person provisioned by your identity provider, not declared here, is listed the same way.
    members: [carol.userName, "dana@example.com"],
    // Others may add people to Research in InVision; we only make sure ours are there.
    membershipMode: "additive",
});

export const userIds = { alice: alice.id, bob: bob.id, carol: carol.id };
export const groups = pulumi.all([design.displayName, design.members, research.displayName, research.members]).apply(([d, dm, r, rm]) => ({
    [d]: dm.length,
    [r]: rm.length,
}));
