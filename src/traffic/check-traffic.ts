/**
 * `check --traffic LOGS`: reads the WAF logs, replays them through the logged and the planned web
 * ACLs of one loaded input, and joins the summaries to its Model (`model.traffic`), where rules
 * WG120-WG122 read them. Everything the logs held is accounted for: records of web ACLs that are
 * not in the plan are counted and reported, and logs that match no web ACL of the plan say so.
 */
import type { InputTraffic } from "../findings";
import type { LoadedInput } from "../model";
import { noRecordsError, readWafLogs } from "./read-logs";
import { replayChange } from "./replay";


export interface TrafficOptions {
  /** Rule options (checked where they are read: rules.ts, optionValueProblem). */
  options?: Record<string, unknown>;
  /** One line for the user (the CLI prints it on stderr). */
  onNotice?: (message: string) => void;
  onProgress?: (p: { files: number; bytes: number; records: number }) => void;
}

export async function joinTraffic(loaded: LoadedInput, paths: string[], options: TrafficOptions = {}): Promise<InputTraffic> {
  const report = await replayChange(loaded.model, readWafLogs(paths, { onProgress: options.onProgress }));
  if (report.records === 0) {
    throw noRecordsError(paths);
  }
  loaded.model.traffic = Object.fromEntries(report.acls);
  const matched: Record<string, number> = {};
  for (const [address, summary] of [...report.acls].sort((a, b) => (a[0] < b[0] ? -1 : 1))) matched[address] = summary.records;
  const unmatched = [...report.unmatched].sort((a, b) => b.records - a.records || (a.webaclId < b.webaclId ? -1 : 1));
  const notes: string[] = [];
  const unmatchedRecords = unmatched.reduce((n, u) => n + u.records, 0);
  if (report.acls.size === 0) {
    notes.push(
      `none of the ${report.records} logged records is of a web ACL in ${loaded.path} (the logs are of ${list(unmatched.map((u) => u.webaclId))}): ` +
        `WG120-WG122 had nothing to judge; pass the logs of its web ACLs`,
    );
  } else if (unmatchedRecords > 0) {
    notes.push(`${unmatchedRecords} of ${report.records} logged records are of web ACLs not in ${loaded.path} and were not replayed: ${list(unmatched.map((u) => `${u.webaclId} (${u.records})`))}`);
  }
  if (loaded.kind !== "plan" && report.acls.size > 0) {
    notes.push(`${loaded.path} is not a plan, so it has no "before": the logged verdicts are the baseline the configuration is compared with`);
  }
  for (const note of notes) options.onNotice?.(note);
  return { files: report.files, records: report.records, matched, unmatched, notes };
}


function list(items: string[]): string {
  return items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`;
}
