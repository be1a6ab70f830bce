import * as fs from "node:fs";
import { InVisionTeam, plugin } from "pulumi-invision";

// The team-move e2e's program: one InVisionTeam from team.yaml, of the
// dynamic resources or (once spec.json says so) of the invision plugin's,
// with or without the documented option for that move.
const spec = JSON.parse(fs.readFileSync(`${__dirname}/spec.json`, "utf8")) as { classes: "dynamic" | "plugin"; movedFrom?: "dynamic" };
const team = new InVisionTeam("team", { roster: "team.yaml", movedFrom: spec.movedFrom }, {}, spec.classes === "plugin" ? plugin.pluginResources : undefined);

export const access = team.access;
