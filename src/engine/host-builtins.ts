/**
 * OPA builtins that the Wasm target does not implement natively, implemented on the host with the
 * semantics of OPA's Go implementation (so `opa eval` on the same Model agrees). Keep the list in
 * step with HOST_BUILTINS in scripts/gen-capabilities.mjs. On invalid operands they return
 * undefined, which Wasm treats as an undefined expression, as OPA does for builtin errors.
 */
import ipaddr from "ipaddr.js";

export interface Network {
  family: 4 | 6;
  /** The address as an unsigned integer. */
  address: bigint;
  prefix: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/; // no leading zeros, as Go

/** Parses an IP address (no prefix), strictly as Go's net.ParseIP does. */
export function parseAddress(text: string): { family: 4 | 6; address: bigint } | null {
  if (IPV4.test(text)) return { family: 4, address: bytesToBigInt(text.split(".").map(Number)) };
  if (!text.includes(":") || text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  return { family: 6, address: bytesToBigInt(ipaddr.IPv6.parse(text).toByteArray()) };
}

/** Parses CIDR notation as Go's net.ParseCIDR: host bits allowed, prefix required, no spaces or leading zeros. */
export function parseCidr(text: string): Network | null {
  if (typeof text !== "string") return null;
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const addr = parseAddress(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!addr || !/^(0|[1-9]\d{0,2})$/.test(bits)) return null;
  const prefix = Number(bits);
  if (prefix > width(addr.family)) return null;
  return { family: addr.family, address: addr.address, prefix };
}

export function width(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

export function networkOf(n: Network): bigint {
  const hostBits = BigInt(width(n.family) - n.prefix);
  return (n.address >> hostBits) << hostBits;
}

function lastOf(n: Network): bigint {
  const hostBits = BigInt(width(n.family) - n.prefix);
  return networkOf(n) + (1n << hostBits) - 1n;
}

export function formatNetwork(family: 4 | 6, address: bigint, prefix: number): string {
  const bytes: number[] = [];
  for (let i = width(family) / 8 - 1; i >= 0; i--) bytes.push(Number((address >> BigInt(i * 8)) & 0xffn));
  const ip = family === 4 ? ipaddr.fromByteArray(bytes).toString() : (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
  return `${ip}/${prefix}`;
}

function bytesToBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** A CIDR, or a plain address taken as a single host. */
function parseCidrOrAddress(text: string): Network | null {
  const n = parseCidr(text);
  if (n) return n;
  const a = typeof text === "string" ? parseAddress(text) : null;
  return a ? { ...a, prefix: width(a.family) } : null;
}

export function cidrIsValid(cidr: unknown): boolean {
  return typeof cidr === "string" && parseCidr(cidr) !== null;
}

export function cidrContains(cidr: unknown, inner: unknown): boolean | undefined {
  const outer = typeof cidr === "string" ? parseCidr(cidr) : null;
  const x = typeof inner === "string" ? parseCidrOrAddress(inner) : null;
  if (!outer || !x) return undefined;
  if (outer.family !== x.family) return false;
  return networkOf(outer) <= networkOf(x) && lastOf(x) <= lastOf(outer);
}

export function cidrIntersects(a: unknown, b: unknown): boolean | undefined {
  const x = typeof a === "string" ? parseCidr(a) : null;
  const y = typeof b === "string" ? parseCidr(b) : null;
  if (!x || !y) return undefined;
  if (x.family !== y.family) return false;
  return networkOf(x) <= lastOf(y) && networkOf(y) <= lastOf(x);
}

/** The smallest set of networks covering the given CIDRs and addresses (host bits cleared). */
export function cidrMerge(items: unknown): string[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const nets: Network[] = [];
  for (const item of items) {
    const n = typeof item === "string" ? parseCidrOrAddress(item) : null;
    if (!n) return undefined;
    nets.push({ ...n, address: networkOf(n) });
  }
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    let list = nets.filter((n) => n.family === family).sort((p, q) => (p.address < q.address ? -1 : p.address > q.address ? 1 : p.prefix - q.prefix));
    // Drop networks inside the one before them, then join sibling halves until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      const kept: Network[] = [];
      for (const n of list) {
        const prev = kept[kept.length - 1];
        if (prev && lastOf(n) <= lastOf(prev)) {
          changed = true;
          continue;
        }
        if (prev && prev.prefix === n.prefix && prev.prefix > 0) {
          const parent: Network = { family, address: prev.address, prefix: prev.prefix - 1 };
          if (networkOf(parent) === prev.address && lastOf(parent) === lastOf(n)) {
            kept[kept.length - 1] = parent;
            changed = true;
            continue;
          }
        }
        kept.push(n);
      }
      list = kept;
    }
    out.push(...list.map((n) => formatNetwork(family, n.address, n.prefix)));
  }
  return out;
}

/** The builtins handed to the Wasm policy, by OPA name. */
export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = {
  "net.cidr_is_valid": cidrIsValid,
  "net.cidr_contains": cidrContains,
  "net.cidr_intersects": cidrIntersects,
  "net.cidr_merge": cidrMerge,
};
