/** The inputs fuzz cases start from: one of every kind wafguard reads, built from the examples. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers";

type Json = Record<string, unknown>;

export const PLAN_TEXT = readFileSync(join(ROOT, "examples", "broken", "plan.json"), "utf8");
export const PLAN = JSON.parse(PLAN_TEXT) as Json;
export const TF_TEXT = readFileSync(join(ROOT, "examples", "broken", "main.tf"), "utf8");
export const WAIVERS_TEXT = readFileSync(join(ROOT, "test", "fixtures", "waivers", "valid.yml"), "utf8");

/** The example plan's resources as Terraform JSON configuration (resource.type.name = values). */
export function tfJsonOf(plan: Json = PLAN, metadata = false): Json {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const rc of plan.resource_changes as Json[]) {
    const after = ((rc.change as Json).after ?? {}) as Json;
    const body: Json = metadata ? { ...after, "//": { metadata: { path: `stack/${String(rc.name)}` } } } : { ...after };
    (resource[String(rc.type)] ??= {})[String(rc.name)] = body;
  }
  return { provider: { aws: [{ region: "us-east-1" }] }, resource };
}

export const TF_JSON_TEXT = JSON.stringify(tfJsonOf(), null, 1);
export const CDK_TF_JSON_TEXT = JSON.stringify({ "//": { metadata: { stackName: "stack" } }, terraform: {}, ...tfJsonOf(PLAN, true) }, null, 1);
export const MANIFEST_TEXT = JSON.stringify({ version: "0.21.0", stacks: { stack: { name: "stack", synthesizedStackPath: "stacks/stack/cdk.tf.json", workingDirectory: "stacks/stack" } } }, null, 1);

/** A copy of the plan with `edit` applied to the web ACL's `after` values. */
export function planWithAcl(edit: (acl: Json) => void): string {
  const plan = JSON.parse(PLAN_TEXT) as Json;
  const acl = (plan.resource_changes as Json[]).find((r) => r.type === "aws_wafv2_web_acl") as Json;
  edit((acl.change as Json).after as Json);
  return JSON.stringify(plan);
}

export function aclRule(acl: Json): Json {
  return (acl.rule as Json[])[0];
}
