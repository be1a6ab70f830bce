import groupProvider = require("../dynamic/group");
import userProvider = require("../dynamic/user");

/**
 * The provider objects the SDK serializes into every resource's state
 * (`__provider`, in both inputs and outputs).
 *
 * Each is the whole `module.exports` of a small module that the package
 * exports under a stable path (`pulumi-invision/provider/user` and
 * `pulumi-invision/provider/group`, see package.json "exports"). For such a
 * value the SDK's closure serializer writes `require("<that path>")` instead
 * of code, so `__provider` is about 300 bytes, carries no credential, and state
 * written by one version runs with whatever version is installed next. The
 * provider process resolves the path from the program's node_modules.
 *
 * `import x = require()` on purpose: `import * as` would hand the SDK an
 * interop wrapper, which it cannot name, and it would serialize it by value.
 */
export { groupProvider, userProvider };
