/** The plugin's package name and type tokens. */
export const PACKAGE = "invision";
export const TYPES = { user: "invision:index:User", group: "invision:index:Group", team: "invision:index:Team" } as const;
