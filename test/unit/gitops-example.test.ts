import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadRosterFile } from "../../provider/roster/load";
import { assertApplyOnMain, assertDriftCheck, assertPullRequestWorkflowHoldsNoCredential, assertTrustedWorkflowChecksThenPublishes } from "../support/workflows";

const dir = path.resolve(__dirname, "..", "..", "examples", "gitops");
describe("examples/gitops", () => {
    it("previews pull requests from the last trusted snapshot, with no credential at all, and comments the diff from a job that runs none of its code", () => {
        assertPullRequestWorkflowHoldsNoCredential(dir);
    });
    it("apply and drift check the state before anything runs from it, and publish the snapshot after", () => {
        assertTrustedWorkflowChecksThenPublishes(dir, "invision-apply.yml");
        assertTrustedWorkflowChecksThenPublishes(dir, "invision-drift.yml");
    });
    it("applies on main, one run at a time, in a protected environment", () => assertApplyOnMain(dir));
    it("checks main for drift on a schedule, with the token, and reports it as an issue", () => assertDriftCheck(dir));
    it("ships a valid sample roster, the same as the root one", () => {
        assert.ok(loadRosterFile(path.join(dir, "team.yaml")).users.length > 0);
        assert.equal(fs.readFileSync(path.join(dir, "team.yaml"), "utf8"), fs.readFileSync(path.join(dir, "..", "..", "team.yaml"), "utf8"));
    });
});
