import * as pulumi from "@pulumi/pulumi";
import { InVisionTeam } from "pulumi-invision";

// Everyone with InVision access, from a roster file kept in this repository.
// Change the file in a pull request; the preview shows who gains and loses
// access; merging applies it.
const config = new pulumi.Config();
const team = new InVisionTeam("invision", { roster: config.get("roster") ?? "team.yaml" });

/** Per person: their groups, or "deactivated". The first thing to read in a preview. */
export const access = team.access;
export const userIds = team.userIds;
export const groupIds = team.groupIds;
