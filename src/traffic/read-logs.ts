/** Reads AWS WAF log records from files and directories, streaming (see README, "Traffic: how logs are read"). */

import type { LoggedRecord } from "./log-record";

export interface ReadProgress {
  files: number;
  bytes: number;
  records: number;
}

export interface ReadLogsOptions {
  onProgress?: (p: ReadProgress) => void;
}

export async function* readWafLogs(paths: string[], options: ReadLogsOptions = {}): AsyncGenerator<LoggedRecord> {
  void options;
  throw new Error(`readWafLogs: not implemented yet (${paths.join(", ")})`);
}
