// The repository is its own first user: the root Pulumi.yaml program (and
// `npm run demo`) imports "pulumi-invision" the way a user's program does, and
// the provider process loads "pulumi-invision/provider/<kind>" by name from
// the program's node_modules.
//
// So node_modules/pulumi-invision is a real directory holding what `npm pack`
// ships (package.json and its "files"), refreshed by every `npm run build`,
// and not a symlink to the checkout: Node resolves a symlink to its real path,
// outside node_modules, so the program would run the checkout (files `npm
// pack` leaves out included) rather than the package as a user installs it.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const target = path.join(root, "node_modules", "pulumi-invision");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

// Built next to the target, then swapped in, so a program starting meanwhile
// never sees a half-copied package.
const staging = `${target}.tmp-${process.pid}`;
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(staging, { recursive: true });
// "!pattern" entries leave files out, as they do from `npm pack` (the plugin's release archive under dist/plugin/).
const leftOut = pkg.files.filter((f) => f.startsWith("!")).map((f) => new RegExp(`^${f.slice(1).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`));
const keep = (src) => !leftOut.some((re) => re.test(path.relative(root, src).split(path.sep).join("/")));
for (const entry of ["package.json", ...pkg.files.filter((f) => !f.startsWith("!"))]) {
    const from = path.join(root, entry);
    if (!fs.existsSync(from)) throw new Error(`link-self: ${entry} is missing; run the build first`);
    fs.cpSync(from, path.join(staging, entry), { recursive: true, filter: keep });
}
// rmSync does not follow a symlink left by older versions of this script: it removes the link only.
fs.rmSync(target, { recursive: true, force: true });
fs.renameSync(staging, target);
