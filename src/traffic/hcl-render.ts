/**
 * Plan-shape values (nested blocks as arrays of objects) → HCL block text, so the HCL a user pastes is
 * written from the very object the replay verified.
 */
type Block = Record<string, unknown>;

export function renderBlock(name: string, block: Block, indent: string): string[] {
  const attributes: Array<[string, unknown]> = [];
  const blocks: Array<[string, Block]> = [];
  for (const [key, value] of Object.entries(block)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v))) {
      for (const v of value as Block[]) blocks.push([key, v]);
    } else attributes.push([key, value]);
  }
  if (attributes.length === 0 && blocks.length === 0) return [`${indent}${name} {}`];
  const width = Math.max(0, ...attributes.map(([k]) => k.length));
  const inner = `${indent}  `;
  return [
    `${indent}${name} {`,
    ...attributes.map(([k, v]) => `${inner}${k.padEnd(width)} = ${renderValue(v)}`),
    ...blocks.flatMap(([k, v]) => renderBlock(k, v, inner)),
    `${indent}}`,
  ];
}

function renderValue(v: unknown): string {
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(renderValue).join(", ")}]`;
  return hclString(JSON.stringify(v));
}

/** A quoted HCL string: JSON escapes, and template sequences (`${`, `%{`) doubled so they stay literal. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}
