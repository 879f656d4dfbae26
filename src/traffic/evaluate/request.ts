/**
 * One logged request as the evaluator sees it: the request components of the WAF log record (as binary
 * strings, see transform.ts), parsed lazily, plus the evaluation's state (labels, and the first reason the
 * verdict is uncertain).
 */

import { REDACTED, type WafLogRecord } from "../log-record";
import { toBinary } from "./transform";

/** Three-valued match: what the log cannot decide is UNKNOWN, not guessed. */
export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
export type Match = typeof NO | typeof YES | typeof UNKNOWN;

export class Request {
  readonly method: string;
  readonly uri: string;
  readonly args: string;
  /** Labels added so far; `maybeLabels`: added by a rule whose match the log cannot decide. */
  readonly labels = new Set<string>();
  readonly maybeLabels = new Set<string>();
  /** Why the statement being evaluated is UNKNOWN (reset before each rule). */
  pending: string | null = null;
  private headerList: Array<{ name: string; lname: string; value: string }> | null = null;
  private query: Array<{ name: string; value: string }> | null = null;
  private cookieList: Array<{ name: string; value: string }> | null = null;

  constructor(readonly record: WafLogRecord) {
    const h = record.httpRequest;
    this.method = h.httpMethod;
    this.uri = toBinary(h.uri);
    this.args = toBinary(h.args);
  }

  uncertain(reason: string): typeof UNKNOWN {
    this.pending ??= reason;
    return UNKNOWN;
  }

  headers(): Array<{ name: string; lname: string; value: string }> {
    return (this.headerList ??= this.record.httpRequest.headers.map((x) => ({ name: toBinary(x.name), lname: x.name.toLowerCase(), value: toBinary(x.value) })));
  }

  /** Values of one header (names are case-insensitive). */
  header(name: string): string[] {
    const l = name.toLowerCase();
    const out: string[] = [];
    for (const x of this.headers()) if (x.lname === l) out.push(x.value);
    return out;
  }

  queryArgs(): Array<{ name: string; value: string }> {
    if (this.query) return this.query;
    this.query = [];
    if (this.args === "") return this.query;
    for (const part of this.args.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      this.query.push(eq < 0 ? { name: part, value: "" } : { name: part.slice(0, eq), value: part.slice(eq + 1) });
    }
    return this.query;
  }

  cookies(): Array<{ name: string; value: string }> {
    if (this.cookieList) return this.cookieList;
    this.cookieList = [];
    for (const h of this.header("cookie")) {
      for (const part of h.split(";")) {
        const p = part.trim();
        if (p === "") continue;
        const eq = p.indexOf("=");
        this.cookieList.push(eq < 0 ? { name: p, value: "" } : { name: p.slice(0, eq), value: p.slice(eq + 1) });
      }
    }
    return this.cookieList;
  }

  /** Whether a label on the request matches (label match statement, LabelMatcher). */
  hasLabel(m: LabelMatcher): Match {
    for (const l of this.labels) if (m.matches(l)) return YES;
    if (m.otherAccount) for (const l of this.labels) if (m.otherAccount.matches(l)) return this.uncertain(ACCOUNT_UNKNOWN_WHY);
    for (const l of this.maybeLabels) {
      // "ns:" stands for any label of a namespace whose rules the log did not see evaluated.
      const may = l.endsWith(":") ? m.overlaps(l) || m.otherAccount?.overlaps(l) : m.matches(l) || m.otherAccount?.matches(l);
      if (may) return this.uncertain(`label ${m.key} depends on a rule the log cannot decide`);
    }
    return NO;
  }
}

/** Stands for the account in label prefixes when the plan does not tell it (a web ACL the plan creates). */
export const UNKNOWN_ACCOUNT = "<account>";
const ACCOUNT_UNKNOWN_WHY = "the account of the web ACL is not known from the plan (label prefix)";

/**
 * A label match statement's key (AWS WAF Developer Guide, "Matching against a label",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-match.html, and "Label match examples"):
 * labels are fully qualified (`awswaf:<account>:webacl:<name>:` or `awswaf:<account>:rulegroup:<name>:`, or
 * `awswaf:managed:...`); a key without that prefix gets the prefix of the context of the label match rule, so it
 * never matches a label of another context (a managed rule group, another rule group). LABEL: the key is the end
 * of the label after its prefix (any number of the namespaces before the name, then the name), or the whole
 * fully qualified label; NAMESPACE: contiguous namespaces after the prefix, or a fully qualified namespace.
 */
export class LabelMatcher {
  /** prefix of the context for a key without one ("" when the key is fully qualified) */
  private readonly prefix: string;
  private readonly rest: string;
  /** The same key with the account unknown to wafguard (UNKNOWN_ACCOUNT) in place of the key's account. */
  readonly otherAccount: LabelMatcher | null = null;

  constructor(
    readonly key: string,
    private readonly namespace: boolean,
    contextPrefix: string,
  ) {
    const k = namespace && !key.endsWith(":") ? key + ":" : key;
    const fq = k.startsWith("awswaf:");
    this.prefix = fq ? "" : contextPrefix;
    this.rest = k;
    if (fq && contextPrefix.includes(`:${UNKNOWN_ACCOUNT}:`)) {
      const m = /^awswaf:(\d{12}):(webacl|rulegroup):/.exec(k);
      if (m) this.otherAccount = new LabelMatcher(k.replace(m[1]!, UNKNOWN_ACCOUNT), namespace, contextPrefix);
    }
  }

  matches(label: string): boolean {
    const { prefix, rest } = this;
    if (prefix === "") return this.namespace ? label.startsWith(rest) : label === rest;
    if (!label.startsWith(prefix)) return false;
    if (this.namespace) return label.startsWith(rest, prefix.length) || label.indexOf(":" + rest, prefix.length) >= 0;
    return label.length === prefix.length + rest.length ? label.endsWith(rest) : label.endsWith(":" + rest);
  }

  /** Whether a label of namespace `ns` (a fully qualified namespace) could match. */
  overlaps(ns: string): boolean {
    const head = this.prefix === "" ? this.rest : this.prefix;
    return head.startsWith(ns) || ns.startsWith(head);
  }
}

export const isRedacted = (v: string): boolean => v === REDACTED;
