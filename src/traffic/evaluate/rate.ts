/**
 * Rate-based rules replayed over the logged timestamps: per rule and aggregation key, the requests in the
 * trailing evaluation window (AWS WAF Developer Guide, "Rate-based rule statement"). AWS counts
 * approximately, so a count near the limit is uncertain rather than guessed.
 */

/** Within this share of the limit the replayed count cannot tell AWS's decision. */
export const RATE_UNCERTAIN_BAND = 0.1;

/** Per-ACL memory of rate-based rules across records (timestamps per rule and aggregation key). */
export class RateState {
  private readonly rules = new Map<string, Map<string, number[]>>();
  /** Keys in arrival order with their window, so that expired keys leave in O(1) each: bounded memory. */
  private readonly queue: Array<{ keys: Map<string, number[]>; key: string; ts: number; windowMs: number }> = [];
  private head = 0;
  private latest = -Infinity;

  /** Adds one request at `ts` and returns how many requests of this key fall in the window ending at `ts`. */
  count(rule: string, key: string, ts: number, windowMs: number): number {
    let keys = this.rules.get(rule);
    if (!keys) this.rules.set(rule, (keys = new Map()));
    let times = keys.get(key);
    if (!times) keys.set(key, (times = []));
    // Logs of several files arrive nearly sorted: insert from the end.
    let i = times.length;
    while (i > 0 && times[i - 1]! > ts) i--;
    if (i === times.length) times.push(ts);
    else times.splice(i, 0, ts);
    if (ts > this.latest) this.latest = ts;
    this.queue.push({ keys, key, ts, windowMs });
    this.expire();
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
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (e.ts > this.latest - e.windowMs) break;
      this.head++;
      const times = e.keys.get(e.key);
      if (!times) continue;
      let drop = 0;
      while (drop < times.length && times[drop]! <= this.latest - e.windowMs) drop++;
      if (drop === times.length) e.keys.delete(e.key);
      else if (drop > 0) times.splice(0, drop);
    }
    if (this.head > 65536 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Aggregation keys held (for tests of bounded memory). */
  get keys(): number {
    let n = 0;
    for (const m of this.rules.values()) n += m.size;
    return n;
  }
}
