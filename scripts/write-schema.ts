/**
 * Writes the `invision` plugin's Pulumi package schema (what its GetSchema
 * answers) to the path given, for the SDK generators (`npm run gen:sdk`),
 * with the plugin download URL of INVISION_PLUGIN_DOWNLOAD_URL (this
 * project's GitHub releases when unset).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DOWNLOAD_URL_ENV, resolveDownloadURL } from "../provider/plugin/download";
import { packageSchema } from "../provider/plugin/schema";

const out = process.argv[2];
if (!out) throw new Error("usage: write-schema.ts <schema.json>");
const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
fs.writeFileSync(out, `${JSON.stringify(packageSchema(version, resolveDownloadURL(process.env[DOWNLOAD_URL_ENV])), null, 2)}\n`);
