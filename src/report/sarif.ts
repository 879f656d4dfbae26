/** `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. */
import { fingerprint, FINGERPRINT_KEY } from "../baseline";
import type { CheckResult, Finding, Notice } from "../check";
import { allRules, type Rule } from "../rules";
import { HOMEPAGE, repositoryPath, ruleHelpUri, VERSION } from "./locations";

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

export function formatSarif(result: CheckResult): string {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "wafguard",
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: HOMEPAGE,
            rules: rules.map(describeRule),
          },
        },
        artifacts: result.inputs.map((i) => ({ location: { uri: repositoryPath(i.path) } })),
        results: result.findings.map((f) => toResult(f, index.get(f.rule) ?? 0)),
        ...(result.notices?.length ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: result.notices.map(toNotification) }] } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

function describeRule(rule: Rule) {
  const help = [`What happens: ${rule.happens}`, `How to confirm it: ${rule.confirm}`, `How to fix it:\n${rule.fix}`, `Why the fix works: ${rule.why}`].join("\n\n");
  const markdown = [
    `**What happens.** ${rule.happens}`,
    `**How to confirm it.** ${rule.confirm}`,
    `**How to fix it.**\n\n\`\`\`hcl\n${rule.fix}\n\`\`\``,
    `**Why the fix works.** ${rule.why}`,
    rule.sources.map((s) => `- ${s}`).join("\n"),
  ].join("\n\n");
  return {
    id: rule.id,
    name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.happens },
    help: { text: help, markdown },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ["terraform", "aws-waf", "api-gateway", `symptom:${rule.symptom}`], precision: "high" },
  };
}

function toResult(f: Finding, ruleIndex: number) {
  const file = f.location?.file ?? f.input;
  const region = f.location?.line ? { startLine: f.location.line } : { startLine: 1 };
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.address} ${f.message}. Symptom: ${f.symptom}. ${f.fix.split("\n")[0]}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: repositoryPath(file) }, region },
        logicalLocations: [{ fullyQualifiedName: f.address, kind: "resource" }],
        ...(f.location?.construct ? { message: { text: `construct ${f.location.construct}` } } : {}),
      },
    ],
    // The baseline's fingerprint (rule, address, subject): code scanning tracks a result across runs by it.
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    ...(f.waived ? { suppressions: [{ kind: f.waived.inline ? "inSource" : "external", status: "accepted", justification: f.waived.reason }] } : {}),
    // A property bag holds any JSON (SARIF 2.1.0 §3.8): the traffic summary travels as it is.
    ...(f.traffic ? { properties: { traffic: f.traffic } } : {}),
  };
}

/** A stale inline suppression: a note about the run, not a result. */
function toNotification(n: Notice) {
  return {
    level: "note",
    message: { text: n.message },
    descriptor: { id: "stale-suppression" },
    associatedRule: { id: n.rule },
    locations: [{ physicalLocation: { artifactLocation: { uri: repositoryPath(n.at.file) }, ...(n.at.line ? { region: { startLine: n.at.line } } : {}) } }],
  };
}
