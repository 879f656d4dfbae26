/**
 * The Action's pull-request comment, against GitHub REST interactions replayed by a fake fetch under
 * the real Octokit of @actions/github (no network): created on the first push, found by its hidden
 * marker (across pages) and updated on later pushes, left alone when unchanged, and a read-only
 * token is a warning, not a failed job.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getOctokit } from "@actions/github";
import { COMMENT_MARKER, commentBody, upsertReportComment } from "../src/action/pr-comment";
import { FIXTURES, ROOT, runCli } from "./helpers";

interface Exchange {
  request: { method: string; url: string; body?: string };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** A fetch that answers with the recorded responses, in order, and fails on any request it does not expect. */
function replay(name: string) {
  const { exchanges } = JSON.parse(readFileSync(join(FIXTURES, "github", name), "utf8")) as { exchanges: Exchange[] };
  const sent: Array<{ method: string; url: string; body?: { body: string }; authorization?: string }> = [];
  const fetch = async (url: string | URL, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
    const method = init.method ?? "GET";
    const expected = exchanges[sent.length];
    assert.ok(expected, `unexpected request ${method} ${String(url)}`);
    assert.equal(`${method} ${String(url)}`, `${expected.request.method} ${expected.request.url}`);
    const body = init.body ? (JSON.parse(init.body) as { body: string }) : undefined;
    sent.push({ method, url: String(url), body, authorization: init.headers?.authorization });
    // The recorded body says "<report>" where GitHub echoes what was sent.
    const text = JSON.stringify(expected.response.body).split(JSON.stringify("<report>")).join(JSON.stringify(body?.body ?? ""));
    return new Response(text, { status: expected.response.status, headers: expected.response.headers });
  };
  const octokit = getOctokit("ghs_test-token", { baseUrl: "https://api.github.com", request: { fetch } });
  return { octokit, sent, fetch, all: () => assert.equal(sent.length, exchanges.length, "not every recorded request was made") };
}

const PR = { owner: "acme", repo: "orders-api", issue_number: 42 };
const report = runCli(["check", join(ROOT, "examples", "broken", "plan.json"), "--format", "markdown"]).stdout;

describe("GitHub Action: the pull-request comment", () => {
  it("on the first push: lists the comments, finds none of its own, creates one with the marker", async () => {
    const r = replay("first-push.json");
    const result = await upsertReportComment(r.octokit, PR, report);
    r.all();
    assert.deepEqual(result, { action: "created", id: 2468100001, url: "https://github.com/acme/orders-api/pull/42#issuecomment-2468100001" });
    assert.equal(r.sent[1].body?.body, `${COMMENT_MARKER}\n${report}`);
    assert.equal(r.sent[0].authorization, "token ghs_test-token");
  });

  it("on a later push: finds its comment by the marker on the second page and updates it, never a second comment", async () => {
    const r = replay("later-push.json");
    const result = await upsertReportComment(r.octokit, PR, report);
    r.all();
    assert.equal(result.action, "updated");
    assert.equal(result.id, 2468100001);
    assert.deepEqual(
      r.sent.map((s) => s.method),
      ["GET", "GET", "PATCH"],
    );
    assert.equal(r.sent[2].body?.body, commentBody(report));
  });

  it("when the report has not changed: no write", async () => {
    const r = replay("later-push.json");
    const old = "❌ **wafguard**: 2 errors would break the API or its protection\n";
    const result = await upsertReportComment(r.octokit, PR, old);
    assert.equal(result.action, "unchanged");
    assert.deepEqual(
      r.sent.map((s) => s.method),
      ["GET", "GET"],
    );
  });

  it("a report longer than GitHub accepts is cut with a note, marker kept", () => {
    const body = commentBody("x".repeat(70000));
    assert.ok(body.length <= 65536);
    assert.ok(body.startsWith(COMMENT_MARKER));
    assert.match(body, /the whole report is in the job summary/);
  });

  it("the report step: job summary, comment on a pull_request event, a warning (not a failure) on a read-only token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-action-"));
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 42 }, repository: { name: "orders-api", owner: { login: "acme" } } }));
    const reportFile = join(dir, "report.md");
    writeFileSync(reportFile, report);
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const outputs = join(dir, "outputs");
    writeFileSync(outputs, "");
    Object.assign(process.env, {
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: "acme/orders-api",
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: outputs,
      INPUT_REPORT: reportFile,
      INPUT_COMMENT: "true",
      INPUT_TOKEN: "ghs_test-token",
    });
    const log: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => log.push(s) > 0) as typeof process.stdout.write;
    try {
      const { run } = await import("../src/action/main");
      const { Context } = await import("@actions/github/lib/context");
      const created = replay("first-push.json");
      await run(() => created.octokit, new Context()); // the event as the runner gives it
      created.all();
      const forbidden = replay("fork-pull-request.json");
      await run(() => forbidden.octokit, new Context());
      forbidden.all();
    } finally {
      process.stdout.write = write;
      for (const k of ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "INPUT_REPORT", "INPUT_COMMENT", "INPUT_TOKEN"]) delete process.env[k];
    }
    assert.equal(readFileSync(summary, "utf8"), report + report);
    assert.match(readFileSync(outputs, "utf8"), /comment-url<<.*\nhttps:\/\/github\.com\/acme\/orders-api\/pull\/42#issuecomment-2468100001\n/);
    assert.match(log.join(""), /wafguard: created the pull-request comment https:\/\/github\.com\/acme\/orders-api\/pull\/42#issuecomment-2468100001/);
    assert.match(log.join(""), /::warning::wafguard: could not comment on the pull request \(Resource not accessible by integration.*permissions: pull-requests: write/);
    assert.equal(process.exitCode ?? 0, 0);
  });
});
