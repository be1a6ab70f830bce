/**
 * Writes the `invision` plugin's Pulumi package schema (what its GetSchema
 * answers) to the path given, for the SDK generators (`npm run gen:sdk`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../provider/plugin/schema";

const out = process.argv[2];
if (!out) throw new Error("usage: write-schema.ts <schema.json>");
const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
fs.writeFileSync(out, `${JSON.stringify(packageSchema(version), null, 2)}\n`);
