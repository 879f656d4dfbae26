/**
 * The pull-request comment of the GitHub Action: one comment per pull request, found again on every
 * push by a hidden marker and updated in place, so the conversation holds one current report.
 */
import type { getOctokit } from "@actions/github";

export type Octokit = ReturnType<typeof getOctokit>;

/** An HTML comment: invisible in the rendered comment, and how the action finds its own. */
export const COMMENT_MARKER = "<!-- wafguard:pr-report -->";

/** GitHub rejects comment bodies over 65,536 characters. */
const MAX_BODY = 65536;

export interface PullRequest {
  owner: string;
  repo: string;
  issue_number: number;
}

export interface CommentResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url: string;
}

export function commentBody(markdown: string): string {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  if (body.length <= MAX_BODY) return body;
  const note = "\n\n… the report is longer than a comment can hold; the whole report is in the job summary.\n";
  return body.slice(0, MAX_BODY - note.length) + note;
}

/** Creates the report comment, or updates the one an earlier run of the action left on the pull request. */
export async function upsertReportComment(octokit: Octokit, pr: PullRequest, markdown: string): Promise<CommentResult> {
  const body = commentBody(markdown);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...pr, per_page: 100 });
  const own = comments.find((c) => c.body?.startsWith(COMMENT_MARKER));
  if (own && own.body === body) return { action: "unchanged", id: own.id, url: own.html_url };
  if (own) {
    const { data } = await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: own.id, body });
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...pr, body });
  return { action: "created", id: data.id, url: data.html_url };
}
