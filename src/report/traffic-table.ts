/** The "who breaks?" table of a traffic finding (WG120, WG121), shared by the text and Markdown reports. */
import type { FindingTraffic } from "../findings";

export const TRAFFIC_COLUMNS = ["rule", "managed rule", "method", "path", "requests", "clients"] as const;

/** At most this many rows: the table answers "who breaks?", the JSON report has the rest. */
const MAX_ROWS = 10;

/**
 * One row per (rule, path), rules in the replay's order (most requests first). The rule's name,
 * sub-rule and client count are on its first row; `requests` is the path's. A last row says what
 * was left out.
 */
export function trafficRows(traffic: FindingTraffic): string[][] {
  const rows: string[][] = [];
  let left = 0;
  for (const group of traffic.by_rule ?? []) {
    const paths = group.paths.length ? group.paths : [{ method: "", path: "", requests: group.requests }];
    const shownRequests = paths.reduce((n, p) => n + p.requests, 0);
    paths.forEach((p, i) => {
      if (rows.length >= MAX_ROWS) {
        left += p.requests;
        return;
      }
      const first = i === 0;
      rows.push([first ? group.rule : "", first ? (group.managed_rule ?? "-") : "", p.method, p.path, String(p.requests), first ? String(group.clients) : ""]);
    });
    left += group.requests - shownRequests; // paths beyond the replay's top 10 of this rule
  }
  if (left > 0) rows.push(["…", "", "", "other paths", String(left), ""]);
  return rows;
}

/** What the table is about, in a few words. */
export function trafficCaption(rule: string, traffic: FindingTraffic): string {
  const span = traffic.from && traffic.to ? `, ${traffic.from} to ${traffic.to}` : "";
  const what = rule === "WG121" ? "who gets through" : "who breaks";
  return `${what} (${traffic.records} logged requests${span})`;
}
