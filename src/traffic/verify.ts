/**
 * Verification by replay: every logged request goes through the web ACL as it is and through the ACL
 * with a candidate exception applied. An exception is offered only when what it unblocks is exactly its
 * pattern's requests: nothing else that was blocked gets through, nothing that passed gets blocked.
 */
import type { AclConfig } from "./acl";
import { compileAcl, evaluateRequest, RateState, type CompiledAcl, type Verdict } from "./evaluate";
import type { LoggedRecord, WafLogRecord } from "./log-record";

export interface Verification {
  /** Logged blocked, let through with the exception: the pattern's requests (must equal them). */
  unblocked: number;
  /** Of `unblocked`, how many the replay could not judge exactly (a sub-rule's later siblings were never evaluated, ...). */
  uncertain: number;
  /** Logged blocked and still blocked with the exception. */
  still_blocked: number;
  /** Requests outside the pattern that the exception would let through: must be 0. */
  other_unblocked: number;
  /** Requests the ACL let through that the exception would block: must be 0. */
  newly_blocked: number;
  /** Pattern requests the exception does not unblock: must be 0. */
  pattern_still_blocked: number;
  /** Why requests were uncertain, with counts. */
  uncertain_reasons: Record<string, number>;
}

export interface Candidate {
  id: string;
  /** Web ACL address the records belong to. */
  acl: string;
  patched: AclConfig;
  /** Pattern keys whose requests the exception is meant to unblock. */
  patterns: Set<string>;
  /** How many logged requests those patterns hold. */
  expected: number;
}

const BLOCKING = new Set(["BLOCK", "CAPTCHA", "CHALLENGE"]);

/** Replays `logs` through each ACL unchanged and through each candidate; counts per candidate. */
export async function verifyCandidates(
  acls: Map<string, AclConfig>,
  candidates: Candidate[],
  logs: AsyncIterable<LoggedRecord>,
  aclOf: (r: WafLogRecord) => string | null,
  patternOf: (r: WafLogRecord) => string | null,
): Promise<{ results: Map<string, Verification>; baselineMismatch: Map<string, number> }> {
  const baseline = new Map<string, { compiled: CompiledAcl; rate: RateState }>();
  for (const [address, acl] of acls) baseline.set(address, { compiled: compileAcl(acl), rate: new RateState() });
  const byAcl = new Map<string, Array<{ c: Candidate; compiled: CompiledAcl; rate: RateState; v: Verification }>>();
  const results = new Map<string, Verification>();
  for (const c of candidates) {
    const v: Verification = { unblocked: 0, uncertain: 0, still_blocked: 0, other_unblocked: 0, newly_blocked: 0, pattern_still_blocked: 0, uncertain_reasons: {} };
    results.set(c.id, v);
    // What the log knows holds only for the rules the exception leaves as the logging ACL had them.
    const compiled = compileAcl(c.patched, { logged: acls.get(c.acl) ?? null });
    (byAcl.get(c.acl) ?? byAcl.set(c.acl, []).get(c.acl)!).push({ c, compiled, rate: new RateState(), v });
  }
  const baselineMismatch = new Map<string, number>();
  for await (const { record } of logs) {
    const address = aclOf(record);
    const runs = address ? byAcl.get(address) : undefined;
    const base = address ? baseline.get(address) : undefined;
    if (!runs || !base) continue;
    const before = evaluateRequest(base.compiled, record, base.rate);
    const loggedBlocked = BLOCKING.has(record.action);
    if (before.certain && BLOCKING.has(before.action) !== loggedBlocked) baselineMismatch.set(address!, (baselineMismatch.get(address!) ?? 0) + 1);
    const pattern = loggedBlocked ? patternOf(record) : null;
    for (const run of runs) {
      const after = evaluateRequest(run.compiled, record, run.rate);
      tally(run.v, record, loggedBlocked, blocks(before), after, pattern !== null && run.c.patterns.has(pattern));
    }
  }
  return { results, baselineMismatch };
}

function blocks(v: Verdict): boolean {
  return BLOCKING.has(v.action);
}

function tally(v: Verification, record: WafLogRecord, loggedBlocked: boolean, blockedBefore: boolean, after: Verdict, inPattern: boolean): void {
  const blockedAfter = blocks(after);
  if (loggedBlocked) {
    if (blockedAfter) {
      v.still_blocked++;
      if (inPattern) v.pattern_still_blocked++;
      return;
    }
    if (inPattern) {
      v.unblocked++;
      if (!after.certain) {
        v.uncertain++;
        const why = after.why ?? "the logs cannot tell";
        v.uncertain_reasons[why] = (v.uncertain_reasons[why] ?? 0) + 1;
      }
    } else if (blockedBefore) v.other_unblocked++; // the exception's doing; a replay that disagrees with the log is counted apart
    return;
  }
  if (blockedAfter && !blockedBefore && record.action !== "COUNT") v.newly_blocked++;
}

/** The exception does exactly what it should. */
export function isExact(v: Verification, expected: number): boolean {
  return v.other_unblocked === 0 && v.newly_blocked === 0 && v.pattern_still_blocked === 0 && v.unblocked === expected;
}
