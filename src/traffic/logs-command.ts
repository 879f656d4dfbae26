/** The `wafguard logs` command: flags → analyzeLogs → report. Exit 0 when it ran, 2 on bad input (logs without a record included). */
import { oneOf, parse, ProgressLine } from "../command-line";
import { UsageError } from "../errors";
import { loadInputAsync } from "../load";
import { modelTypes } from "../rules";
import type { ExceptionMode } from "./exceptions";
import { analyzeLogs } from "./logs";
import { formatLogs, LOGS_FORMATS, type LogsFormat } from "./logs-report";
import { noRecordsError, readWafLogs } from "./read-logs";
import { assertWritableReportFile, writeReportFile } from "../report/output-file";

/** Resource types the logs command reads beyond the rules' own: the API's resources, for route templates. */
const API_TYPES = ["aws_api_gateway_resource", "aws_api_gateway_rest_api"];

export async function runLogs(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    plan: { type: "string" },
    source: { type: "string" },
    format: { type: "string", default: "text" },
    diff: { type: "boolean" },
    "exception-mode": { type: "string", default: "block" },
    output: { type: "string" },
    pattern: { type: "string", multiple: true },
  });
  if (positionals.length === 0) throw new UsageError("logs takes one or more WAF log files or directories, such as: wafguard logs ./waf-logs --source .");
  const format = oneOf("--format", values.format as string, LOGS_FORMATS) as LogsFormat;
  const mode = oneOf("--exception-mode", values["exception-mode"] as string, ["block", "count"] as const) as ExceptionMode;

  const select = (values.pattern as string[] | undefined)?.flatMap((v) => v.split(",")).map((v) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--pattern takes pattern numbers as the report shows them (got "${v}")`);
    return Number(v);
  });
  const output = values.output as string | undefined;
  if (output !== undefined) assertWritableReportFile(output, "--output"); // before the logs are read, not after
  const types = new Set([...modelTypes(), ...API_TYPES]);
  const plan = values.plan as string | undefined;
  const source = values.source as string | undefined;
  const loaded = plan
    ? await loadInputAsync(plan, { kind: "plan", source, types })
    : source
      ? await loadInputAsync(source, { types })
      : null;

  const progress = new ProgressLine();
  const onProgress = (p: { files: number; bytes: number; records: number }) => progress.show(`${p.records.toLocaleString("en-US")} records, ${(p.bytes / 1e6).toFixed(0)} MB, ${p.files} file(s)`);
  const result = await analyzeLogs({
    model: loaded?.model ?? null,
    mode,
    ...(select ? { select } : {}),
    logs: () => readWafLogs(positionals, progress.enabled ? { onProgress } : {}),
  }).finally(() => progress.clear());
  if (result.records === 0) throw noRecordsError(positionals);
  const missing = select?.find((n) => n > result.patterns.length);
  if (missing !== undefined) throw new UsageError(`--pattern ${missing}: the report has ${result.patterns.length === 0 ? "no patterns" : `patterns 1 to ${result.patterns.length}`}`);

  let report: string;
  if (values.diff) {
    report = result.combined.map((c) => c.diff ?? "").join("");
    if (!report) process.stderr.write(`wafguard: no patch: ${result.combined.map((c) => c.diff_error).find(Boolean) ?? (loaded ? "no exception was verified, or the web ACL's .tf file is not known (use --source)" : "give --plan or --source so the exception can be written into your files")}\n`);
  } else report = formatLogs(format, result);
  if (output) writeReportFile(output, report);
  else process.stdout.write(report);
  return 0;
}
