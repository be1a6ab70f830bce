import { InVisionTeam } from "pulumi-invision";

// Everyone with InVision access is in team.yaml; change it by pull request.
const team = new InVisionTeam("invision", { roster: "team.yaml" });

/** Per person: their groups, or "deactivated". Read this first in a preview. */
export const access = team.access;
export const userIds = team.userIds;
export const groupIds = team.groupIds;
