/** The `wafguard` command: check, rules, explain, model. Exit 0 clean, 1 findings, 2 the run failed. */
import { check, exitCodeFor, type CheckOptions, type FailOn } from "./check";
import { UsageError } from "./errors";
import { loadInput } from "./load";
import type { InputKind } from "./model";
import { FORMATS, formatReport, type Format } from "./report";
import { assertWritableReportFile, writeReportFile } from "./report/output-file";
import { readConfig } from "./waivers";
import { readBaseline, writeBaseline } from "./baseline";
import { formatRulesDoc } from "./report/rules-doc";
import { allRules, findRule, unknownOptionProblem } from "./rules";
import { LOGS_USAGE } from "./traffic/logs-usage";
import { oneOf, parse, ProgressLine } from "./command-line";

const USAGE = `Usage: wafguard <command> [options]

Commands:
  check [PATH...]      Check plan JSON files, .tf directories or CDKTF output (default: .)
  rules                List the rules (--format markdown: the RULES.md document)
  explain RULE         Print one rule's full text: what happens, how to confirm, fix, why
  model PATH           Print the Model that the policies see, as JSON
  logs LOGS...         Group what the web ACL blocked; write each pattern's exception, verified by replay

Options for check:
  --input plan|hcl|cdktf          Force the input kind instead of detecting it
  --source DIR                    For a plan: its .tf files, so findings carry file and line
                                  (default: the plan's directory, when it has .tf files)
  --format text|json|sarif|junit|markdown
                                  Output format (default: text)
  --output FILE                   Write the --format report to FILE instead of stdout
  --output FORMAT=FILE            Also write a FORMAT report to FILE (repeatable), such as
                                  --output sarif=wafguard.sarif --output markdown=comment.md
  --baseline FILE                 Report only findings not recorded in FILE, and how many it hid
  --create-baseline FILE          Record the current findings in FILE (this run exits 0)
  --fail-on error|warning|info|never
                                  Exit 1 when a finding is at or above this severity (default: error)
  --rule ID                       Only this rule (repeatable, or comma-separated)
  --skip-rule ID                  Not this rule (repeatable, or comma-separated)
  --option KEY=VALUE              A rule option, such as rate-threshold=500 (repeatable)
  --waivers FILE                  Options and waivers (default: .wafguard.yml, if present)
  --traffic PATH                  AWS WAF log files or directories (.log .json .jsonl .gz):
                                  judge the change against the logged requests (WG120-WG122;
                                  repeatable; option traffic-block-share, default 0.001)
  --no-color                      No colours in text output

${LOGS_USAGE}

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 the run failed.`;

const INPUT_KINDS: InputKind[] = ["plan", "hcl", "cdktf"];
const FAIL_ON: FailOn[] = ["error", "warning", "info", "never"];

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wafguard: ${e.message}\n`);
    } else {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`wafguard: internal error: ${message.split("\n")[0]} (set WAFGUARD_DEBUG=1 for details, and please report it)\n`);
      if (process.env.WAFGUARD_DEBUG) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
    }
    return 2;
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest; // after "--", "-h" is a path
  if ((command === "check" || command === "logs") && options.some((a) => a === "--help" || a === "-h")) {
    process.stdout.write(`${command === "logs" ? LOGS_USAGE : USAGE}\n`);
    return 0;
  }
  switch (command) {
    case "check":
      return await runCheck(rest);
    case "rules":
      return runRules(rest);
    case "explain":
      return runExplain(rest);
    case "model":
      return runModel(rest);
    case "logs": {
      // The log analysis is loaded only for this command: a check does not pay for its start-up.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runLogs } = require("./traffic/logs-command") as typeof import("./traffic/logs-command");
      return await runLogs(rest);
    }
    case "--version":
    case "-v":
      process.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
      // Not a request for help: a CI step that lost its arguments. Usage on stderr, and a failure.
      process.stderr.write(`${USAGE}\n`);
      return 2;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"; run wafguard --help`);
  }
}

async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    input: { type: "string" },
    source: { type: "string" },
    format: { type: "string", default: "text" },
    output: { type: "string", multiple: true },
    baseline: { type: "string" },
    "create-baseline": { type: "string" },
    "fail-on": { type: "string", default: "error" },
    rule: { type: "string", multiple: true },
    "skip-rule": { type: "string", multiple: true },
    option: { type: "string", multiple: true },
    waivers: { type: "string" },
    traffic: { type: "string", multiple: true },
    "no-color": { type: "boolean" },
  });
  for (const flag of ["source", "output", "waivers", "baseline", "create-baseline"] as const) {
    const given = values[flag];
    if (given === "" || (Array.isArray(given) && given.includes(""))) throw new UsageError(`--${flag} needs a path (got an empty one)`);
  }
  const kind = oneOf("--input", values.input as string | undefined, INPUT_KINDS);
  const format = oneOf("--format", values.format as string, FORMATS) as Format;
  const failOn = oneOf("--fail-on", values["fail-on"] as string, FAIL_ON) as FailOn;
  const config = readConfig(values.waivers as string | undefined);
  const outputs = parseOutputs(values.output as string[] | undefined, format);
  const createBaseline = values["create-baseline"] as string | undefined;
  if (createBaseline && values.baseline) throw new UsageError("--baseline and --create-baseline do not go together: create the baseline once, then check against it");
  const baseline = values.baseline !== undefined ? readBaseline(values.baseline as string) : undefined;
  for (const out of outputs) if (out.file !== undefined) assertWritableReportFile(out.file, "--output");
  if (createBaseline !== undefined) assertWritableReportFile(createBaseline, "--create-baseline");
  const progress = new ProgressLine();
  const result = await check(positionals.length ? positionals : ["."], {
    kind,
    source: values.source as string | undefined,
    rules: values.rule as string[] | undefined,
    skipRules: values["skip-rule"] as string[] | undefined,
    options: { ...config.options, ...parseOptions(values.option as string[] | undefined) }, // flags win over the file
    waivers: config.waivers,
    baseline,
    ...trafficOptions(values.traffic as string[] | undefined, progress),
  }).finally(() => progress.clear());
  printNotes(result.inputs);
  const color = !values["no-color"] && process.stdout.isTTY === true && !process.env.NO_COLOR;
  for (const out of outputs) {
    if (out.file === undefined) process.stdout.write(formatReport(out.format, result, { color, failOn }));
    else writeReportFile(out.file, formatReport(out.format, result, { color: false, failOn }));
  }
  if (createBaseline) {
    const recorded = writeBaseline(createBaseline, result.findings);
    process.stderr.write(`wafguard: recorded ${recorded} finding${recorded === 1 ? "" : "s"} in ${createBaseline}; check against it with --baseline ${createBaseline}\n`);
    return 0; // what the baseline records does not fail the run that records it
  }
  return exitCodeFor(result.findings, failOn);
}

/**
 * `--output FORMAT=FILE` (repeatable) writes that format to FILE, and the --format report still goes
 * to the terminal; a plain `--output FILE` (the original contract) writes the --format report to FILE
 * instead of the terminal.
 */
function parseOutputs(values: string[] | undefined, format: Format): Array<{ format: Format; file?: string }> {
  const outputs: Array<{ format: Format; file?: string }> = [];
  let plain: string | undefined;
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    const named = eq > 0 ? value.slice(0, eq) : "";
    if ((FORMATS as readonly string[]).includes(named)) {
      if (eq === value.length - 1) throw new UsageError(`--output ${value} needs a file name after "="`);
      outputs.push({ format: named as Format, file: value.slice(eq + 1) });
    } else if (/^[a-z]+=/.test(value) && !value.includes("/")) {
      throw new UsageError(`--output ${value}: "${named}" is not a format; use one of ${FORMATS.join(", ")} (FORMAT=FILE), or ./${value} for a file of that name`);
    } else if (plain !== undefined) {
      throw new UsageError(`--output ${value}: the --format report already goes to ${plain}; name the format of further reports (--output sarif=FILE)`);
    } else plain = value;
  }
  const files = outputs.map((o) => o.file).concat(plain ?? []);
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice) throw new UsageError(`--output: ${twice} is given twice`);
  return [{ format, ...(plain !== undefined ? { file: plain } : {}) }, ...outputs];
}

/** What an input could not read (a module not downloaded): one notice line each, on stderr. */
function printNotes(inputs: Array<{ path: string; notes?: string[] }>): void {
  for (const input of inputs) for (const note of input.notes ?? []) process.stderr.write(`wafguard: notice: ${input.path}: ${note}\n`);
}

/** `--traffic`: notices on stderr, and a progress line only when stderr is a terminal. */
function trafficOptions(paths: string[] | undefined, progress: ProgressLine): Pick<CheckOptions, "traffic" | "onNotice" | "onProgress"> {
  if (!paths?.length) return {};
  return {
    traffic: paths,
    onNotice: (message) => {
      progress.clear();
      process.stderr.write(`wafguard: notice: ${message}\n`);
    },
    onProgress: progress.enabled ? (p) => progress.show(`reading WAF logs: ${p.files} files, ${(p.bytes / 1048576).toFixed(1)} MB, ${p.records} records`) : undefined,
  };
}

function runExplain(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError("explain takes one rule ID, such as: wafguard explain WG402");
  const rule = findRule(positionals[0]);
  if (!rule) throw new UsageError(`unknown rule ID "${positionals[0]}"; wafguard rules lists them`);
  const section = (title: string, body: string) => `${title}\n${body.replace(/^/gm, "  ")}\n`;
  process.stdout.write(
    [
      `${rule.id} · ${rule.severity} · symptom: ${rule.symptom} · guide cause ${rule.cause}`,
      rule.title,
      "",
      section("What happens", rule.happens),
      section("How to confirm it", rule.confirm),
      section("How to fix it", rule.fix),
      section("Why the fix works", rule.why),
      section("Sources", rule.sources.join("\n")),
    ].join("\n"),
  );
  return 0;
}

function runModel(args: string[]): number {
  const { values, positionals } = parse(args, { input: { type: "string" }, option: { type: "string", multiple: true } });
  if (positionals.length !== 1) throw new UsageError("model takes one PATH");
  const loaded = loadInput(positionals[0], { kind: oneOf("--input", values.input as string | undefined, INPUT_KINDS) });
  loaded.model.options = parseOptions(values.option as string[] | undefined);
  process.stdout.write(JSON.stringify(loaded.model, null, 2) + "\n");
  return 0;
}

function runRules(args: string[]): number {
  const { values, positionals } = parse(args, { format: { type: "string", default: "text" } });
  if (positionals.length) throw new UsageError("rules takes no arguments");
  const format = oneOf("--format", values.format as string, ["text", "markdown"] as const);
  process.stdout.write(format === "markdown" ? formatRulesDoc() : listRules());
  return 0;
}

function listRules(): string {
  const rows = allRules().map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.symptom.padEnd(13)}  ${r.title}`);
  return `${rows.join("\n")}\n`;
}

/** `--option rate-threshold=500` → { "rate-threshold": 500 }. Numbers and booleans are typed. */
export function parseOptions(pairs: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--option takes KEY=VALUE (got "${pair}")`);
    const key = pair.slice(0, eq);
    const problem = unknownOptionProblem(key);
    if (problem) throw new UsageError(`--option ${key}=...: ${problem}`);
    const raw = pair.slice(eq + 1);
    out[key] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw === "true" ? true : raw === "false" ? false : raw;
  }
  return { ...out };
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}
