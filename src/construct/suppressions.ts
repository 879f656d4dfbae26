/**
 * WafguardSuppressions: an inline suppression written from the construct, next to the code it is
 * about. It adds `"//": {"wafguard": {"ignore": [...]}}` to the resource's synthesized JSON (through
 * `addOverride`, which CDKTF and CDK Terrain merge with their own `//` metadata), where `wafguard
 * check` and the WafguardValidation aspect read it. Framework-free: both entry points export it.
 *
 *   WafguardSuppressions.of(internalStage).add({ rule: "WG406", reason: "Reachable only through the VPC endpoint", expires: "2027-03-31" });
 */
import type { IConstruct } from "constructs";
import { findRule } from "../rules";
import { MIN_REASON_LENGTH, parseExpiry } from "../waivers";

export interface WafguardSuppression {
  /** The rule ID, such as `WG406`. */
  readonly rule: string;
  /** Why the finding is acceptable here (at least 10 characters). */
  readonly reason: string;
  /** YYYY-MM-DD, the last day it applies; after it the finding counts again. @default - no expiry */
  readonly expires?: string;
}

/** What a Terraform resource construct of cdktf or cdktn offers that this needs. */
interface OverridableResource extends IConstruct {
  readonly terraformResourceType: string;
  addOverride(path: string, value: unknown): void;
}

function isTerraformResource(construct: IConstruct): construct is OverridableResource {
  const c = construct as Partial<OverridableResource>;
  return typeof c.terraformResourceType === "string" && typeof c.addOverride === "function";
}

const byResource = new WeakMap<OverridableResource, WafguardSuppressions>();

export class WafguardSuppressions {
  /** The suppressions of a Terraform resource (a web ACL, a stage, ...). */
  static of(construct: IConstruct): WafguardSuppressions {
    if (!isTerraformResource(construct)) {
      throw new Error(`WafguardSuppressions.of(${construct.node.path}): suppressions go on a Terraform resource (such as an ApiGatewayStage), not on ${construct.constructor.name}`);
    }
    let found = byResource.get(construct);
    if (!found) byResource.set(construct, (found = new WafguardSuppressions(construct)));
    return found;
  }

  private readonly entries: Array<{ rule: string; reason: string; expires?: string }> = [];

  private constructor(private readonly resource: OverridableResource) {}

  /** Suppresses a rule's findings on this resource. Bad input fails here, at construct time. */
  add(suppression: WafguardSuppression): this {
    const where = `WafguardSuppressions.of(${this.resource.node.path}).add`;
    const rule = String(suppression.rule ?? "").toUpperCase();
    if (!findRule(rule)) throw new Error(`${where}: "${suppression.rule}" is not a wafguard rule ID`);
    const reason = String(suppression.reason ?? "").trim();
    if (reason.length < MIN_REASON_LENGTH) throw new Error(`${where}: reason is required, at least ${MIN_REASON_LENGTH} characters`);
    if (suppression.expires !== undefined && !parseExpiry(suppression.expires)) throw new Error(`${where}: expires must be a date, YYYY-MM-DD (got "${suppression.expires}")`);
    this.entries.push({ rule, reason, ...(suppression.expires ? { expires: suppression.expires } : {}) });
    this.resource.addOverride("//.wafguard.ignore", this.entries.map((e) => ({ ...e })));
    return this;
  }
}
