/** The plugin's package name and type tokens. */
export const PACKAGE = "invision";
export const TYPES = { user: "invision:index:User", group: "invision:index:Group", team: "invision:index:Team" } as const;

/** The SDK's marker of a secret value in a provider's property values (`rpc.specialSigKey` / `specialSecretSig`). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
