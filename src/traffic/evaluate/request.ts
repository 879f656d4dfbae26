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

  hasLabel(key: string, namespace: boolean): Match {
    const test = (l: string): boolean =>
      namespace ? l.startsWith(key) || l.includes(":" + key) : l === key || l.endsWith(":" + key) || key.endsWith(":" + l);
    for (const l of this.labels) if (test(l)) return YES;
    for (const l of this.maybeLabels) {
      // "ns:" stands for any label of a namespace whose rules the log did not see evaluated.
      if (l.endsWith(":") ? key.startsWith(l) || l.startsWith(key) : test(l)) return this.uncertain(`label ${key} depends on a rule the log cannot decide`);
    }
    return NO;
  }
}

export const isRedacted = (v: string): boolean => v === REDACTED;
