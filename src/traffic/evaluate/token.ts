/**
 * CAPTCHA and Challenge: whether a request's token lets it pass a rule with that action (AWS WAF Developer
 * Guide, "CAPTCHA and Challenge action behavior": a valid token is handled like Count, a missing, invalid or
 * expired one ends the evaluation; "CAPTCHA and Challenge actions in the logs and metrics",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-logs-metrics.html: a pass is
 * logged as a nonTerminatingMatchingRules entry with action CAPTCHA or CHALLENGE and
 * `captchaResponse`/`challengeResponse` `{ responseCode: 0, solveTimestamp }`; a stop as the terminating rule with
 * a top-level response such as `{ responseCode: 405, failureReason: "TOKEN_MISSING" }`). A token is valid for
 * the immunity time after its solve timestamp ("Timestamp expiration: token immunity times": the rule's setting,
 * else the web ACL's, default 300 s), and travels in the `aws-waf-token` cookie ("Token characteristics").
 * YES: the token passes; NO: the action ends the evaluation; UNKNOWN: the log cannot tell.
 */

import { first } from "../acl";
import type { WafLogRecord } from "../log-record";
import { isRedacted, NO, UNKNOWN, YES, type Match, type Request } from "./request";

export type TokenAction = "CAPTCHA" | "CHALLENGE";

export const isTokenAction = (a: string): a is TokenAction => a === "CAPTCHA" || a === "CHALLENGE";

export const DEFAULT_IMMUNITY_SECONDS = 300;

type Obj = Record<string, unknown>;

interface Evidence {
  /** solve timestamps (s) of logged passes of this action; null when the entry has none */
  passes: Array<number | null>;
  /** failureReason of the logged stop by this action (top-level response), if any */
  failure: string | null;
}

const responseField = (kind: TokenAction): "captchaResponse" | "challengeResponse" => (kind === "CAPTCHA" ? "captchaResponse" : "challengeResponse");

/** What the record shows of the token for `kind`: passes logged in any rule or rule group, and a logged stop. */
function evidence(record: WafLogRecord, kind: TokenAction): Evidence {
  const field = responseField(kind);
  const passes: Array<number | null> = [];
  const scan = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const m of list as unknown[]) {
      if (m === null || typeof m !== "object") continue;
      const e = m as Obj;
      if (typeof e.action !== "string" || e.action.toUpperCase() !== kind) continue;
      const r = e[field];
      if (r === null || typeof r !== "object") continue;
      const code = (r as Obj).responseCode;
      if (code !== 0) continue;
      const solve = (r as Obj).solveTimestamp;
      passes.push(typeof solve === "number" && Number.isFinite(solve) && solve > 0 ? solve : null);
    }
  };
  scan(record.nonTerminatingMatchingRules);
  for (const g of record.ruleGroupList ?? []) scan((g as unknown as Obj | null)?.nonTerminatingMatchingRules);
  let failure: string | null = null;
  const top = (record as unknown as Obj)[field];
  if (top !== null && typeof top === "object") {
    const t = top as Obj;
    if (t.responseCode === 0) {
      // Not AWS's documented shape (a pass is logged in the matching rule's entry), read all the same.
      const solve = t.solveTimestamp;
      passes.push(typeof solve === "number" && Number.isFinite(solve) && solve > 0 ? solve : null);
    } else if (typeof t.responseCode === "number") failure = typeof t.failureReason === "string" ? t.failureReason : "";
  }
  return { passes, failure };
}

export interface TokenRule {
  kind: TokenAction;
  /** the rule's immunity time in seconds; null when not known (a managed rule may set its own) */
  immunity: number | null;
  /** the web ACL's token settings (token domains, immunity times) are those of the ACL that wrote the log */
  sameTokenSettings: boolean;
}

/**
 * Whether the request passes a rule with a CAPTCHA or Challenge action that matched it. `loggedPass`: the logged
 * ACL had this very rule and logged it as a pass (non-terminating match); `loggedStop`: it ended the logged
 * evaluation with this action.
 */
export function tokenPasses(req: Request, rule: TokenRule, loggedPass: boolean, loggedStop: boolean): Match {
  if (loggedPass && rule.sameTokenSettings) return YES;
  if (loggedStop && rule.sameTokenSettings) return NO;
  const record = req.record;
  const ev = evidence(record, rule.kind);
  if (ev.failure === "TOKEN_MISSING") return NO;
  const token = hasToken(req);
  if (token === NO) return NO;
  if (rule.sameTokenSettings && rule.immunity !== null) {
    // The token passed another rule of the logged ACL: valid (domain, integrity), solved at solveTimestamp.
    let best: number | null = null;
    for (const s of ev.passes) if (s !== null && (best === null || s > best)) best = s;
    if (best !== null) {
      const age = record.timestamp / 1000 - best;
      // solveTimestamp is in seconds: within a second of the limit the log cannot tell.
      if (age <= rule.immunity - 1) return YES;
      if (age > rule.immunity + 1) return NO;
    }
  }
  if (token === UNKNOWN) return req.uncertain("the token cookie is redacted in the log");
  return req.uncertain(`${rule.kind === "CAPTCHA" ? "CAPTCHA" : "challenge"} token of the request (aws-waf-token) cannot be validated from the log`);
}

/** YES: the request carries an aws-waf-token (cookie, or the x-aws-waf-token header); UNKNOWN: redacted. */
function hasToken(req: Request): Match {
  for (const v of req.header("cookie")) if (isRedacted(v)) return UNKNOWN;
  if (req.cookies().some((c) => c.name === "aws-waf-token")) return YES;
  const h = req.header("x-aws-waf-token");
  if (h.some(isRedacted)) return UNKNOWN;
  return h.length > 0 ? YES : NO;
}

/** The immunity time of a rule with this action: the rule's own setting, else the web ACL's, else 300 s. */
export function immunityOf(kind: TokenAction, rule: Obj | undefined, acl: Obj | undefined): number {
  const key = kind === "CAPTCHA" ? "captcha_config" : "challenge_config";
  for (const holder of [rule, acl]) {
    const n = Number(first(first(holder, key), "immunity_time_property")?.immunity_time ?? NaN);
    if (Number.isFinite(n) && n > 0) return n;
  }
  return DEFAULT_IMMUNITY_SECONDS;
}

/** Fields of a web ACL that decide whether a token is valid: token domains and immunity times. */
export function tokenSettings(values: Obj | undefined): string {
  return JSON.stringify([values?.token_domains ?? null, values?.captcha_config ?? null, values?.challenge_config ?? null].map(normal));
}

/** Empty lists, nulls and absent keys are one "unset" (plans write them in several ways); keys sorted. */
export function normal(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normal).filter((x) => x !== null);
    return items.length ? items : null;
  }
  if (v !== null && typeof v === "object") {
    const out: Obj = {};
    for (const k of Object.keys(v as Obj).sort()) {
      const x = normal((v as Obj)[k]);
      if (x !== null) out[k] = x;
    }
    return out;
  }
  return v === undefined ? null : v;
}
