/** `--format json`: the machine-readable contract (DESIGN.md, CLI contract). Deterministic. */
import { summarize, type CheckResult } from "../check";

export function formatJson(result: CheckResult): string {
  const out = {
    version: 1,
    inputs: result.inputs.map((i) => ({ path: i.path, kind: i.kind, resources: i.resources, ...(i.notes ? { notes: i.notes } : {}) })),
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      address: f.address,
      message: f.message,
      symptom: f.symptom,
      fix: f.fix,
      title: f.title,
      input: f.input,
      related: f.related,
      ...(f.location ? { location: f.location } : {}),
      ...(f.conditional ? { conditional: f.conditional } : {}),
      ...(f.waived ? { waived: f.waived } : {}),
      ...(f.waiver_expired ? { waiver_expired: f.waiver_expired } : {}),
    })),
    summary: summarize(result.findings),
  };
  return JSON.stringify(out, null, 2) + "\n";
}
