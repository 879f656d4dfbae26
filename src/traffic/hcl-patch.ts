/**
 * The exceptions as an edit of the user's own .tf file: the override and the new rule placed at the
 * web ACL's block, the custom rule's statement wrapped where it stands, as a unified diff that
 * `git apply` (and `patch -p1`) accepts. Line edits, not a reformat: the rest of the file is untouched.
 */
import { renderBlock } from "./hcl-render";
import { countOverride, exceptionRules, exemptStatement, groupCustom, groupManaged, priorityShifts, rulesOf, subRuleActions, type ExceptionChange, type ExceptionMode } from "./exceptions";

type Block = Record<string, unknown>;

export interface Edit {
  /** First line replaced (0-based). */
  start: number;
  /** Lines replaced: [start, end). end === start inserts. */
  end: number;
  lines: string[];
}

export class PatchError extends Error {}

/**
 * The edits that apply `changes` to the web ACL block starting at `blockLine` (1-based) of `text`.
 * `aclValues` are the ACL's values (plan shape), for priorities. Throws PatchError when the source
 * cannot be edited safely (a dynamic rule block, a rule not found).
 */
export function exceptionEdits(text: string, blockLine: number, aclValues: Block, changes: ExceptionChange[], mode: ExceptionMode, note: (aclRule: string, subRule: string | null) => string): Edit[] {
  const lines = text.split("\n");
  const depth = depthAtLineStart(lines);
  const start = blockLine - 1;
  if (!/^\s*resource\s+"aws_wafv2_web_acl"/.test(lines[start] ?? "")) throw new PatchError(`line ${blockLine} is not an aws_wafv2_web_acl block`);
  const end = blockEnd(lines, depth, start);
  const rules = childBlocks(lines, depth, start, end, "rule");
  const edits: Edit[] = [];
  const ruleNamed = (name: string) => {
    const found = rules.find((r) => attribute(lines, depth, r, "name") === JSON.stringify(name));
    if (!found) throw new PatchError(`rule "${name}" is not written as a literal rule block (dynamic blocks are not edited)`);
    return found;
  };
  const valueRules = rulesOf(aclValues);
  for (const [aclRule, exceptions] of groupManaged(changes)) {
    const ruleBlock = ruleNamed(aclRule);
    const ruleValues = valueRules.find((r) => r.name === aclRule);
    if (!ruleValues) throw new PatchError(`rule "${aclRule}" is not in the web ACL's values`);
    const statement = childBlocks(lines, depth, ruleBlock.start, ruleBlock.end, "statement")[0];
    const group = statement && childBlocks(lines, depth, statement.start, statement.end, "managed_rule_group_statement")[0];
    if (!group) throw new PatchError(`rule "${aclRule}" has no managed_rule_group_statement block`);
    const inner = `${indentOf(lines[group.start])}  `;
    const overrides = childBlocks(lines, depth, group.start, group.end, "rule_action_override");
    for (const subRule of new Set(exceptions.map((e) => e.rule))) {
      const existing = overrides.find((o) => attribute(lines, depth, o, "name") === JSON.stringify(subRule));
      const rendered = renderBlock("rule_action_override", countOverride(subRule), inner);
      edits.push(existing ? { start: existing.start, end: existing.end + 1, lines: rendered } : { start: group.end, end: group.end, lines: rendered });
    }
    const added = exceptionRules(ruleValues, exceptions, mode, subRuleActions(changes));
    const ruleIndent = indentOf(lines[ruleBlock.start]);
    const text: string[] = [];
    const subRules = [...new Set(exceptions.map((e) => e.rule))]; // exceptionRules writes one rule per sub-rule, in this order
    added.forEach((a, i) => text.push("", `${ruleIndent}# ${note(aclRule, subRules[i] ?? null)}`, ...renderBlock("rule", a, ruleIndent)));
    edits.push({ start: ruleBlock.end + 1, end: ruleBlock.end + 1, lines: text });
    for (const [name, priority] of priorityShifts(valueRules, ruleValues, added.length)) {
      const r = rules.find((x) => attribute(lines, depth, x, "name") === JSON.stringify(name));
      const at = r && attributeLine(lines, depth, r, "priority");
      if (at === undefined) throw new PatchError(`rule "${name}" must move to priority ${priority}, but its priority is not a literal`);
      edits.push({ start: at, end: at + 1, lines: [lines[at].replace(/=\s*\d+/, `= ${priority}`)] });
    }
  }
  for (const change of changes) {
    if (change.kind !== "rate-limit") continue;
    const ruleBlock = ruleNamed(change.aclRule);
    const statement = childBlocks(lines, depth, ruleBlock.start, ruleBlock.end, "statement")[0];
    const rate = statement && childBlocks(lines, depth, statement.start, statement.end, "rate_based_statement")[0];
    const at = rate && attributeLine(lines, depth, rate, "limit");
    if (at === undefined || !/=\s*\d+\s*(#.*|\/\/.*)?$/.test(lines[at])) throw new PatchError(`rule "${change.aclRule}": the rate limit is not a literal number in the source`);
    edits.push({ start: at, end: at + 1, lines: [`${indentOf(lines[at])}# ${note(change.aclRule, null)}`, lines[at].replace(/=\s*\d+/, `= ${change.limit}`)] });
  }
  for (const [aclRule, scopes] of groupCustom(changes)) {
    const ruleBlock = ruleNamed(aclRule);
    const statement = childBlocks(lines, depth, ruleBlock.start, ruleBlock.end, "statement")[0];
    if (!statement) throw new PatchError(`rule "${aclRule}" has no statement block`);
    const ind = indentOf(lines[statement.start]);
    const original = lines.slice(statement.start + 1, statement.end).map((l) => (l.trim() ? `    ${l}` : l));
    const nots = scopes.flatMap((s) => renderBlock("statement", exemptStatement(s.method, s.path), `${ind}    `));
    edits.push({
      start: statement.start,
      end: statement.end + 1,
      lines: [`${ind}# ${note(aclRule, null)}`, `${ind}statement {`, `${ind}  and_statement {`, `${ind}    statement {`, ...original, `${ind}    }`, ...nots, `${ind}  }`, `${ind}}`],
    });
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The edit that sets the `addresses` of the aws_wafv2_ip_set block at `blockLine` (1-based) to `addresses`. */
export function ipSetEdit(text: string, blockLine: number, addresses: string[]): Edit {
  const lines = text.split("\n");
  const depth = depthAtLineStart(lines);
  const start = blockLine - 1;
  if (!/^\s*resource\s+"aws_wafv2_ip_set"/.test(lines[start] ?? "")) throw new PatchError(`line ${blockLine} is not an aws_wafv2_ip_set block`);
  const block = { start, end: blockEnd(lines, depth, start) };
  const at = attributeLine(lines, depth, block, "addresses");
  if (at === undefined) throw new PatchError(`the IP set at line ${blockLine} has no addresses attribute`);
  // The list may span lines: up to the line where its brackets balance.
  let open = 0;
  let end = at;
  for (; end < block.end; end++) {
    const code = lines[end].replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\s*(#|\/\/).*$/, "");
    open += (code.match(/\[/g) ?? []).length - (code.match(/\]/g) ?? []).length;
    if (open <= 0) break;
  }
  const value = lines.slice(at, end + 1).join("\n").replace(/^\s*addresses\s*=\s*/, "").trim();
  if (!/^\[[^]*\]$/.test(value) || /\$\{|\b(var|local|module|data)\./.test(value)) throw new PatchError(`the IP set's addresses at line ${at + 1} are not a literal list`);
  const prefix = /^\s*addresses\s*=\s*/.exec(lines[at])![0];
  return { start: at, end: end + 1, lines: [`${prefix}[${addresses.map((a) => JSON.stringify(a)).join(", ")}]`] };
}

/** The 1-based line of rule `name` inside the web ACL block at `blockLine`, or null when it is not a literal block. */
export function ruleLine(text: string, blockLine: number, name: string): number | null {
  const lines = text.split("\n");
  const depth = depthAtLineStart(lines);
  const start = blockLine - 1;
  if (!/^\s*resource\s+"aws_wafv2_web_acl"/.test(lines[start] ?? "")) return null;
  try {
    const rule = childBlocks(lines, depth, start, blockEnd(lines, depth, start), "rule").find((r) => attribute(lines, depth, r, "name") === JSON.stringify(name));
    return rule ? rule.start + 1 : null;
  } catch (e) {
    if (e instanceof PatchError) return null;
    throw e;
  }
}

/** A unified diff of the edits, with `a/` and `b/` paths as git writes them, three lines of context. */
export function unifiedDiff(path: string, text: string, edits: Edit[]): string {
  if (edits.length === 0) return "";
  const old = text.split("\n");
  const trailingNewline = old.length > 1 && old[old.length - 1] === "";
  const lastLine = trailingNewline ? old.length - 1 : old.length;
  const context = 3;
  const hunks: Edit[][] = [];
  for (const e of edits) {
    const h = hunks[hunks.length - 1];
    if (h && e.start - h[h.length - 1].end <= 2 * context) h.push(e);
    else hunks.push([e]);
  }
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  let shift = 0; // new-file lines minus old-file lines before the current hunk
  for (const h of hunks) {
    const from = Math.max(0, h[0].start - context);
    const to = Math.min(lastLine, h[h.length - 1].end + context);
    const body: string[] = [];
    let at = from;
    let added = 0;
    for (const e of h) {
      for (; at < e.start; at++) body.push(` ${old[at]}`);
      for (; at < e.end; at++) body.push(`-${old[at]}`);
      for (const l of e.lines) body.push(`+${l}`);
      added += e.lines.length - (e.end - e.start);
    }
    for (; at < to; at++) body.push(` ${old[at]}`);
    const oldCount = to - from;
    const newCount = oldCount + added;
    out.push(`@@ -${range(from, oldCount)} +${range(from + shift, newCount)} @@`, ...body);
    shift += added;
  }
  return `${out.join("\n")}\n`;
}

function range(start: number, count: number): string {
  return count === 0 ? `${start},0` : `${start + 1},${count}`;
}

// ---- A small HCL structure scanner: braces outside strings, comments and heredocs.

interface Span {
  start: number;
  end: number;
}

/** The brace depth at the start of each line. */
export function depthAtLineStart(lines: string[]): number[] {
  const out: number[] = [];
  let depth = 0;
  let heredoc: string | null = null;
  let inBlockComment = false;
  for (const line of lines) {
    out.push(depth);
    if (heredoc !== null) {
      if (line.trim() === heredoc) heredoc = null;
      continue;
    }
    let inString = false;
    let interpolation = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inBlockComment) {
        if (c === "*" && line[i + 1] === "/") {
          inBlockComment = false;
          i++;
        }
        continue;
      }
      if (inString) {
        if (interpolation > 0) {
          if (c === "{") interpolation++;
          else if (c === "}") interpolation--;
        } else if (c === "\\") i++;
        else if (c === "$" && line[i + 1] === "{") {
          interpolation = 1;
          i++;
        } else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "#" || (c === "/" && line[i + 1] === "/")) break;
      else if (c === "/" && line[i + 1] === "*") {
        inBlockComment = true;
        i++;
      } else if (c === "<" && line[i + 1] === "<") {
        const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i));
        if (m) {
          heredoc = m[1];
          break;
        }
      } else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
  }
  out.push(depth);
  return out;
}

/** The line of the brace that closes the block opened on `start`. */
function blockEnd(lines: string[], depth: number[], start: number): number {
  const d = depth[start];
  for (let i = start + 1; i < lines.length; i++) if (depth[i + 1] <= d) return i;
  throw new PatchError(`the block at line ${start + 1} is not closed`);
}

/** Blocks `name {` directly inside the block spanning [start, end]. */
function childBlocks(lines: string[], depth: number[], start: number, end: number, name: string): Span[] {
  const out: Span[] = [];
  const open = new RegExp(`^\\s*${name}\\s*\\{\\s*(#.*|//.*)?$`);
  for (let i = start + 1; i < end; i++) {
    if (depth[i] === depth[start] + 1 && open.test(lines[i])) {
      const e = blockEnd(lines, depth, i);
      out.push({ start: i, end: e });
      i = e;
    }
  }
  return out;
}

function attributeLine(lines: string[], depth: number[], block: Span, name: string): number | undefined {
  const re = new RegExp(`^\\s*${name}\\s*=`);
  for (let i = block.start + 1; i < block.end; i++) if (depth[i] === depth[block.start] + 1 && re.test(lines[i])) return i;
  return undefined;
}

/** An attribute's literal expression text (`"common"`, `2`), or undefined. */
function attribute(lines: string[], depth: number[], block: Span, name: string): string | undefined {
  const at = attributeLine(lines, depth, block, name);
  return at === undefined ? undefined : lines[at].replace(/^\s*[a-z_]+\s*=\s*/, "").replace(/\s*(#|\/\/).*$/, "").trim();
}

function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}
