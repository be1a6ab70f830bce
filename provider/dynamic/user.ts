/**
 * `pulumi-invision/provider/user`: the InVisionUser provider object.
 *
 * COMPATIBILITY PROMISE: this module path is written into the state of every
 * InVisionUser (`__provider` is `require("pulumi-invision/provider/user")`),
 * so every later version of the package keeps exporting it, with a provider
 * object as its whole `module.exports`. The SDK only emits a `require` (instead
 * of serializing code by value) when the captured value is a module's exports
 * object, hence `export =`.
 *
 * The file's own path, `pulumi-invision/dist/dynamic/user.js`, is exported and
 * promised too: the SDK writes it instead when it fails to find our
 * package.json (it looks for the first "pulumi-invision" in the installed
 * path, so a program directory such as ~/pulumi-invision-access trips it).
 */
import { forward } from "./forward";

export = forward("user");
