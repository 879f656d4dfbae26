/**
 * Every address in a Model is unique: the policy indexes resources by address, and Terraform itself
 * never has two objects at one address. A configuration that declares a resource twice is refused as
 * Terraform refuses it; a plan that lists an address twice was not written by Terraform.
 */
import { InputError } from "../errors";
import type { ModelResource } from "../model";

/** .tf, .tf.json and CDKTF: Terraform's "Duplicate resource" error, in its words. */
export function assertUniqueConfigAddresses(path: string, resources: ModelResource[]): void {
  const duplicate = firstDuplicate(resources);
  if (!duplicate) return;
  const [first, second] = duplicate;
  const where = (r: ModelResource) => (r.source?.file ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ""}` : path);
  const kind = second.mode === "data" ? "data" : "resource";
  throw new InputError(
    where(second),
    `Duplicate ${kind} "${second.type}" configuration: a ${second.type} ${kind} named "${second.name}" was already declared at ${where(first)}. Resource names must be unique per type in each module. (Terraform's error; terraform plan stops here too)`,
  );
}

/** Plan JSON: an address listed twice (in resource_changes, or planned_values) is not a plan Terraform wrote. */
export function assertUniquePlanAddresses(path: string, resources: ModelResource[]): void {
  const duplicate = firstDuplicate(resources);
  if (duplicate) throw new InputError(path, `lists ${duplicate[1].address} twice; Terraform writes each resource instance once (was the plan edited or merged?)`);
}

function firstDuplicate(resources: ModelResource[]): [ModelResource, ModelResource] | undefined {
  const seen = new Map<string, ModelResource>();
  for (const r of resources) {
    const earlier = seen.get(r.address);
    if (earlier) return [earlier, r];
    seen.set(r.address, r);
  }
  return undefined;
}
