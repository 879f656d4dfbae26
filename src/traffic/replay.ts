/** Logs vs. a change, per web ACL: what the planned ACL does differently with the logged requests. */

import type { Model } from "../model";
import type { LoggedRecord } from "./log-record";

export interface TrafficPath {
  method: string;
  path: string;
  requests: number;
}
export interface TrafficRuleGroup {
  rule: string;
  managed_rule: string | null;
  requests: number;
  clients: number;
  paths: TrafficPath[];
}
/** Becomes model.traffic[<web ACL address>] (snake_case: Rego reads it). */
export interface TrafficSummary {
  records: number;
  /** ISO-8601 */
  from: string | null;
  to: string | null;
  /** exact: logged as let through, planned BLOCK/CAPTCHA/CHALLENGE */
  newly_blocked: number;
  /** exact: logged as blocked, planned let through */
  newly_allowed: number;
  /** the logs cannot say */
  uncertain: number;
  /** distinct clientIp among newly_blocked */
  clients: number;
  /** newly blocked, by the planned terminating rule; paths top 10 by requests */
  by_rule: TrafficRuleGroup[];
  /** WG121: newly allowed that the log blocked with an attack-signature rule */
  newly_allowed_attacks: TrafficRuleGroup[];
  /** WG122 */
  uncertain_by_reason: Array<{ reason: string; requests: number }>;
}
export interface TrafficReport {
  records: number;
  files: number;
  /** by web ACL address */
  acls: Map<string, TrafficSummary>;
  /** records of ACLs not in the plan: reported, not dropped */
  unmatched: Array<{ webaclId: string; records: number }>;
}

export async function replayChange(model: Model, logs: AsyncIterable<LoggedRecord>): Promise<TrafficReport> {
  void model;
  void logs;
  throw new Error("replayChange: not implemented yet");
}
