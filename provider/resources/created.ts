import type * as dynamic from "@pulumi/pulumi/dynamic";

/** A create's result, and whether it took over an object that existed before (see runtime.ts, hand-over). */
export type Created = dynamic.CreateResult & { adopted: boolean };

/** InVision answered a create with success and kept nothing. */
export function silentFailure(kind: "user" | "group", name: string, id: string): Error {
    return new Error(
        `InVision answered the creation of ${kind} ${name} with success (id ${id}) but does not have it. ` +
            `This is how InVision fails when SAML SSO is not active for the team or the SCIM token was generated before SSO was on: ` +
            `activate SSO, generate a new token, and run \`pulumi up\` again.`,
    );
}
