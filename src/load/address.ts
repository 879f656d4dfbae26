/** Terraform addresses and references: `module.a["x"].aws_s3_bucket.b[0]`, `aws_x.y["k"].arn`. */

export type Key = number | string;

/** A reference or address split into steps: names and index keys. `aws_x.y[0].arn` → ["aws_x", "y", 0, "arn"]. */
export function parseTraversal(text: string): Key[] | null {
  const steps: Key[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ".") {
      i++;
      continue;
    }
    if (ch === "[") {
      const close = findClosingBracket(text, i);
      if (close < 0) return null;
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (inner.startsWith('"')) {
        try {
          steps.push(JSON.parse(inner) as string);
        } catch {
          return null;
        }
      } else return steps; // a dynamic index (each.key, var.x): what came before is still a prefix
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_-]*|^\*/.exec(text.slice(i));
    if (!m) return null;
    steps.push(m[0]);
    i += m[0].length;
  }
  return steps;
}

function findClosingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "]") return i;
  }
  return -1;
}

export function formatKey(key: Key): string {
  return typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

export interface ModuleStep {
  name: string;
  key: Key | null;
}

/** `module.a["x"].module.b` → [{a, "x"}, {b, null}] */
export function parseModuleAddress(address: string): ModuleStep[] {
  const out: ModuleStep[] = [];
  const step = /\.?module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?/y;
  let m: RegExpExecArray | null;
  while (step.lastIndex < address.length && (m = step.exec(address))) {
    const raw = m[2];
    out.push({ name: m[1], key: raw === undefined ? null : raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw) });
  }
  return out;
}

export function formatModule(steps: ModuleStep[]): string {
  return steps.map((s) => `module.${s.name}${s.key === null ? "" : formatKey(s.key)}`).join(".");
}

/** The module's path in the configuration, without instance keys: `module.a.module.b`. */
export function moduleConfigPath(steps: ModuleStep[]): string {
  return steps.map((s) => `module.${s.name}`).join(".");
}
