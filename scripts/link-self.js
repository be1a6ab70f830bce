// The repository is its own first user: the root Pulumi.yaml program imports
// "pulumi-invision" the way a user's program does, and the provider process
// loads "pulumi-invision/runtime" by name from the program's node_modules.
// A link node_modules/pulumi-invision -> .. makes both resolve to this checkout.
const fs = require("node:fs");
const path = require("node:path");

const link = path.join(__dirname, "..", "node_modules", "pulumi-invision");
try {
    const target = fs.readlinkSync(link);
    if (path.resolve(path.dirname(link), target) === path.resolve(__dirname, "..")) process.exit(0);
    fs.unlinkSync(link);
} catch (e) {
    if (e.code === "EINVAL") fs.rmSync(link, { recursive: true, force: true });
    else if (e.code !== "ENOENT") throw e;
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
