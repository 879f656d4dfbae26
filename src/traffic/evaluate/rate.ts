/**
 * Rate-based rules replayed over the logged timestamps: per rule and aggregation key, the requests in the
 * trailing evaluation window (AWS WAF Developer Guide, "Rate-based rule statement"). AWS counts
 * approximately, so a count near the limit is uncertain rather than guessed.
 */

/** Within this share of the limit the replayed count cannot tell AWS's decision. */
export const RATE_UNCERTAIN_BAND = 0.1;

/** Per-ACL memory of rate-based rules across records (timestamps per rule and aggregation key). */
export class RateState {
  private readonly rules = new Map<string, { windowMs: number; keys: Map<string, number[]> }>();
  /** Keys in arrival order (parallel arrays, no object per request): expired keys leave in O(1) each. */
  private qKeys: string[] = [];
  private qTimes: number[] = [];
  private qRules: Array<{ windowMs: number; keys: Map<string, number[]> }> = [];
  private head = 0;
  private latest = -Infinity;

  /** Adds one request at `ts` and returns how many requests of this key fall in the window ending at `ts`. */
  count(rule: string, key: string, ts: number, windowMs: number): number {
    let r = this.rules.get(rule);
    if (!r) this.rules.set(rule, (r = { windowMs, keys: new Map() }));
    let times = r.keys.get(key);
    if (times === undefined) r.keys.set(key, (times = [ts]));
    else {
      // Logs of several files arrive nearly sorted: insert from the end.
      let i = times.length;
      while (i > 0 && times[i - 1]! > ts) i--;
      if (i === times.length) times.push(ts);
      else times.splice(i, 0, ts);
    }
    if (ts > this.latest) this.latest = ts;
    this.qKeys.push(key);
    this.qTimes.push(ts);
    this.qRules.push(r);
    if (this.qTimes[this.head]! <= this.latest - windowMs) this.expire();
    if (times.length === 1) return 1;
    let n = 0;
    for (let j = times.length - 1; j >= 0; j--) {
      const t = times[j]!;
      if (t > ts) continue;
      if (t <= ts - windowMs) break;
      n++;
    }
    return n;
  }

  /** Drops timestamps that no later request's window can reach, and keys left empty. */
  private expire(): void {
    while (this.head < this.qTimes.length) {
      const r = this.qRules[this.head]!;
      const cutoff = this.latest - r.windowMs;
      if (this.qTimes[this.head]! > cutoff) break;
      const key = this.qKeys[this.head]!;
      this.head++;
      const times = r.keys.get(key);
      if (!times) continue;
      let drop = 0;
      while (drop < times.length && times[drop]! <= cutoff) drop++;
      if (drop === times.length) r.keys.delete(key);
      else if (drop > 0) times.splice(0, drop);
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
