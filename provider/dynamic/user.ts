/**
 * `pulumi-invision/provider/user`: the InVisionUser provider object.
 *
 * COMPATIBILITY PROMISE: this module path is written into the state of every
 * InVisionUser (`__provider` is `require("pulumi-invision/provider/user")`),
 * so every later version of the package keeps exporting it, with a provider
 * object as its whole `module.exports`. The SDK only emits a `require` (instead
 * of serializing code by value) when the captured value is a module's exports
 * object, hence `export =`.
 */
import { forward } from "./forward";

export = forward("user");
