/**
 * A local InVision SCIM service for tests, the demo, and users' own tests of
 * their roster programs: `import { startEmulator } from "pulumi-invision/emulator"`.
 */
export { startEmulator, Emulator, EmulatorOptions, Fault, RequestRecord, Support } from "./server";
export { EmuUser, EmuGroup } from "./store";
