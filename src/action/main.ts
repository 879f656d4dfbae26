/**
 * The GitHub Action's report step (action.yml runs it after `wafguard check`): the Markdown report
 * into the job summary and, on a pull request, into the one comment the action keeps up to date.
 */
import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import * as github from "@actions/github";
import { upsertReportComment, type Octokit } from "./pr-comment";

export async function run(makeOctokit: (token: string) => Octokit = (token) => github.getOctokit(token), context = github.context): Promise<void> {
  const reportFile = core.getInput("report", { required: true });
  const markdown = readFileSync(reportFile, "utf8");
  await core.summary.addRaw(markdown).write();
  if (core.getInput("comment") !== "true") return;
  const pr = context.payload.pull_request;
  if (!pr) {
    core.info(`wafguard: ${context.eventName} is not a pull request event; no comment`);
    return;
  }
  const token = core.getInput("token");
  if (!token) {
    core.warning("wafguard: no github-token; the report is in the job summary only");
    return;
  }
  try {
    const result = await upsertReportComment(makeOctokit(token), { ...context.repo, issue_number: pr.number }, markdown);
    core.info(`wafguard: ${result.action} the pull-request comment ${result.url}`);
    core.setOutput("comment-url", result.url);
  } catch (e) {
    // A fork's pull request gets a read-only token: the check still counts, the comment is a bonus.
    core.warning(`wafguard: could not comment on the pull request (${(e as Error).message}); the report is in the job summary. The job needs permissions: pull-requests: write`);
  }
}

if (require.main === module) {
  run().catch((e: Error) => core.setFailed(`wafguard: ${e.message}`));
}
