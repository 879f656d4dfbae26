/** The traffic layer's library API: read WAF logs, evaluate requests, replay a change. */
export { aclFromModel, DEFAULT_BODY_INSPECTION_LIMIT, type AclConfig } from "./acl";
export { compileAcl, evaluateRequest, RateState, type CompileOptions, type CompiledAcl, type Verdict } from "./evaluate";
export { checkWafLogRecord, parseWebAclArn, type LoggedRecord, type LoggedRuleGroup, type LoggedRuleMatch, type WafLogRecord } from "./log-record";
export { readWafLogs, type ReadLogsOptions, type ReadProgress } from "./read-logs";
export { replayChange, type TrafficPath, type TrafficReport, type TrafficRuleGroup, type TrafficSummary } from "./replay";
