/**
 * A local InVision SCIM service for tests, the demo, and users' own tests of
 * their roster programs: `import { startEmulator } from "pulumi-invision/emulator"`.
 */
export { startEmulator, Emulator, EmulatorStats, Fault, RequestRecord } from "./server";
export { EmulatorOptions, ResolvedOptions, Support, ProfileName, PROFILE_NAMES, RateLimitOptions, ChaosOptions, resolveOptions } from "./options";
export { PROFILES, Profile } from "./profiles";
export { EmuUser, EmuGroup } from "./store";
