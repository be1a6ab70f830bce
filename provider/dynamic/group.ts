/**
 * `pulumi-invision/provider/group`: the InVisionGroup provider object.
 *
 * COMPATIBILITY PROMISE: this module path is written into the state of every
 * InVisionGroup, so every later version of the package keeps exporting it; see
 * ./user.ts.
 */
import { forward } from "./forward";

export = forward("group");
