/**
 * Rate-based rules replayed over the logged timestamps: per rule and aggregation key, the requests in the
 * trailing evaluation window (AWS WAF Developer Guide, "Rate-based rule statement"). AWS counts
 * approximately, so a count near the limit is uncertain rather than guessed.
 */

/** Within this share of the limit the replayed count cannot tell AWS's decision. */
export const RATE_UNCERTAIN_BAND = 0.1;

/**
 * AWS acts on a rate after a delay: requests can come "at too high a rate for up to several minutes
 * before AWS WAF detects and rate limits them", and likewise after the rate drops; "Usually, this
 * delay is below 30 seconds" (AWS WAF Developer Guide, "Rate-based rule caveats"). A count is certain
 * only where it was on the same side of the limit this long before too.
 */
export const RATE_DETECTION_LAG_MS = 30_000;

/** One key's timestamps, sorted; `start` skips expired ones without shifting the array on every expiry. */
interface Times {
  t: number[];
  start: number;
}

interface RuleCounts {
  windowMs: number;
  keys: Map<string, Times>;
  /** The last request counted, and its count (for a state that mirrors this rule). */
  lastRecord: object | null;
  lastCount: number;
  lastEarlier: number;
}

/** Per-ACL memory of rate-based rules across records (timestamps per rule and aggregation key). */
export class RateState {
  private readonly rules = new Map<string, RuleCounts>();
  /** Rules whose counts repeat another state's rule exactly (see `mirror`). */
  private readonly mirrors = new Map<string, { state: RateState; rule: string }>();
  /** Keys in arrival order (parallel arrays, no object per request): expired keys leave in O(1) each. */
  private qKeys: string[] = [];
  private qTimes: number[] = [];
  private qRules: RuleCounts[] = [];
  private head = 0;
  private latest = -Infinity;
  /**
   * For the request count() last counted: its key's requests in the window that ended
   * RATE_DETECTION_LAG_MS before it (what AWS may still be acting on).
   */
  lastEarlier = 0;

  /**
   * This state's `rule` sees exactly the requests that `source`'s `sourceRule` sees, with the same window and
   * key (the first rule of both web ACLs, unchanged, without a scope-down statement): its count for a record
   * is taken from `source` instead of being kept twice.
   */
  mirror(rule: string, source: RateState, sourceRule: string): void {
    this.mirrors.set(rule, { state: source, rule: sourceRule });
  }

  /**
   * Adds one request at `ts` and returns how many requests of this key fall in the window ending at `ts`.
   * `record` identifies the request for `mirror`.
   */
  count(rule: string, key: string, ts: number, windowMs: number, record?: object): number {
    if (this.mirrors.size > 0 && record !== undefined) {
      const m = this.mirrors.get(rule);
      const source = m ? m.state.rules.get(m.rule) : undefined;
      if (source !== undefined && source.lastRecord === record) {
        if (ts > this.latest) this.latest = ts;
        if (this.head < this.qTimes.length && this.qTimes[this.head]! <= this.latest - windowMs - RATE_DETECTION_LAG_MS) this.expire();
        this.lastEarlier = source.lastEarlier;
        return source.lastCount;
      }
    }
    let r = this.rules.get(rule);
    if (!r) this.rules.set(rule, (r = { windowMs, keys: new Map(), lastRecord: null, lastCount: 0, lastEarlier: 0 }));
    r.lastRecord = record ?? null;
    let times = r.keys.get(key);
    if (times === undefined) r.keys.set(key, (times = { t: [ts], start: 0 }));
    else {
      // Logs of several files arrive nearly sorted: insert from the end.
      const t = times.t;
      let i = t.length;
      while (i > times.start && t[i - 1]! > ts) i--;
      if (i === t.length) t.push(ts);
      else t.splice(i, 0, ts);
    }
    if (ts > this.latest) this.latest = ts;
    this.qKeys.push(key);
    this.qTimes.push(ts);
    this.qRules.push(r);
    if (this.qTimes[this.head]! <= this.latest - windowMs - RATE_DETECTION_LAG_MS) this.expire();
    const t = times.t;
    // Sorted: the requests in (ts - windowMs, ts] by two binary searches, not a walk over the window.
    if (t.length - times.start === 1) {
      this.lastEarlier = r.lastEarlier = 0;
      return (r.lastCount = 1);
    }
    const earlier = ts - RATE_DETECTION_LAG_MS;
    this.lastEarlier = r.lastEarlier = firstAfter(t, times.start, earlier) - firstAfter(t, times.start, earlier - windowMs);
    return (r.lastCount = firstAfter(t, times.start, ts) - firstAfter(t, times.start, ts - windowMs));
  }

  /** Drops timestamps that no later request's window can reach, and keys left empty. */
  private expire(): void {
    while (this.head < this.qTimes.length) {
      const r = this.qRules[this.head]!;
      const cutoff = this.latest - r.windowMs - RATE_DETECTION_LAG_MS; // the earlier window reaches back this far
      if (this.qTimes[this.head]! > cutoff) break;
      const key = this.qKeys[this.head]!;
      this.head++;
      const times = r.keys.get(key);
      if (!times) continue;
      const t = times.t;
      let start = times.start;
      while (start < t.length && t[start]! <= cutoff) start++;
      times.start = start;
      if (start === t.length) r.keys.delete(key);
      else if (start > 1024 && start * 2 > t.length) {
        times.t = t.slice(start);
        times.start = 0;
      }
    }
    if (this.head > 65536 && this.head * 2 > this.qTimes.length) {
      this.qKeys = this.qKeys.slice(this.head);
      this.qTimes = this.qTimes.slice(this.head);
      this.qRules = this.qRules.slice(this.head);
      this.head = 0;
    }
  }

  /** Aggregation keys held (for tests of bounded memory). */
  get keys(): number {
    let n = 0;
    for (const r of this.rules.values()) n += r.keys.size;
    return n;
  }
}

/** The first index from `start` of sorted `t` whose value is above `v` (t.length if none). */
function firstAfter(t: number[], start: number, v: number): number {
  let lo = start;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
