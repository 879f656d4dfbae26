/** Report: one formatter per output format. */
import type { CheckResult, FailOn } from "../check";
import { formatJson } from "./json";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import { formatSarif } from "./sarif";
import { formatText } from "./text";

export const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  color: boolean;
  failOn: FailOn;
}

export function formatReport(format: Format, result: CheckResult, options: ReportOptions): string {
  switch (format) {
    case "text":
      return formatText(result, options);
    case "json":
      return formatJson(result);
    case "sarif":
      return formatSarif(result);
    case "junit":
      return formatJunit(result, options.failOn);
    case "markdown":
      return formatMarkdown(result);
  }
}
