/**
 * pulumi-invision: InVision users and groups as Pulumi resources, over SCIM 2.0.
 * This file is the whole public surface.
 */
export { InVisionUser, InVisionUserArgs } from "./resources/user";
export { InVisionGroup, InVisionGroupArgs } from "./resources/group";
export { userProvider, groupProvider } from "./resources/providers";
export { normaliseBaseUrl, resolveSettings, settingKeys, ConfigurationError, ConnectionSettings } from "./config";
export { ScimError } from "./scim/errors";
export { InVisionTeam, InVisionTeamArgs, TeamResourceClasses, accessOf } from "./roster/team";
export { Roster, RosterInput, rosterSchema } from "./roster/schema";
export { loadRosterFile, parseRoster, checkRoster, RosterError } from "./roster/load";
export { exportTenant, rosterFromTenant } from "./roster/export";
/** The `invision` plugin's resources (invision:index:User, invision:index:Group) for TypeScript programs using the plugin. */
export * as plugin from "./plugin/resources";
