/**
 * Rate-based rules replayed over the logged timestamps: per rule and aggregation key, the requests in the
 * trailing evaluation window (AWS WAF Developer Guide, "Rate-based rule statement"). AWS counts
 * approximately, so a count near the limit is uncertain rather than guessed.
 */

/** Within this share of the limit the replayed count cannot tell AWS's decision. */
export const RATE_UNCERTAIN_BAND = 0.1;
const SWEEP_EVERY = 100_000;

/** Per-ACL memory of rate-based rules across records (timestamps per rule and aggregation key). */
export class RateState {
  private readonly windows = new Map<string, { windowMs: number; times: number[] }>();
  private latest = -Infinity;
  private inserts = 0;

  /** Adds one request at `ts` and returns how many requests of this key fall in the window ending at `ts`. */
  count(rule: string, key: string, ts: number, windowMs: number): number {
    const id = `${rule}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w) this.windows.set(id, (w = { windowMs, times: [] }));
    const times = w.times;
    // Logs of several files arrive nearly sorted: insert from the end.
    let i = times.length;
    while (i > 0 && times[i - 1]! > ts) i--;
    times.splice(i, 0, ts);
    if (ts > this.latest) this.latest = ts;
    // Drop what no later request's window can reach.
    let drop = 0;
    while (drop < times.length && times[drop]! <= this.latest - windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    let n = 0;
    for (let j = times.length - 1; j >= 0; j--) {
      const t = times[j]!;
      if (t > ts) continue;
      if (t <= ts - windowMs) break;
      n++;
    }
    if (++this.inserts % SWEEP_EVERY === 0) this.sweep();
    return n;
  }

  /** Keys with no request in their window any more: bounded memory over long logs. */
  private sweep(): void {
    for (const [id, w] of this.windows) {
      const last = w.times[w.times.length - 1];
      if (last === undefined || last <= this.latest - w.windowMs) this.windows.delete(id);
    }
  }

  get keys(): number {
    return this.windows.size;
  }
}
