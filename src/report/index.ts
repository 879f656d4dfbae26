/** Report: one formatter per output format. */
import type { CheckResult } from "../check";
import { formatJson } from "./json";
import { formatText } from "./text";

export const FORMATS = ["text", "json"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  color: boolean;
}

export function formatReport(format: Format, result: CheckResult, options: ReportOptions): string {
  switch (format) {
    case "text":
      return formatText(result, options);
    case "json":
      return formatJson(result);
  }
}
