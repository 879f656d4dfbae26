/**
 * hcl2-parser reports that a file does not parse but not where. This finds the line: first by a
 * scan for the usual mistakes (an unclosed brace or string, an attribute with no value), then by
 * parsing top-level blocks one at a time.
 */

/** Blocks longer than this are reported by their first line, not narrowed down line by line. */
const MAX_NARROWED_LINES = 300;

export interface SyntaxProblem {
  line: number;
  detail: string;
}

export function locateSyntaxError(text: string, parses: (text: string) => boolean): SyntaxProblem {
  return scan(text) ?? firstFailingBlock(text, parses) ?? { line: 1, detail: "syntax error" };
}

function scan(text: string): SyntaxProblem | null {
  const stack: Array<{ ch: string; line: number }> = [];
  const pairs: Record<string, string> = { "}": "{", "]": "[", ")": "(" };
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") {
      line++;
      continue;
    }
    if (ch === "#" || (ch === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      i--;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return { line, detail: "unterminated /* comment" };
      line += countLines(text.slice(i, end));
      i = end + 1;
      continue;
    }
    if (ch === "<" && text[i + 1] === "<") {
      const m = /^<<-?([A-Za-z_]\w*)\n/.exec(text.slice(i));
      if (m) {
        const end = new RegExp(`\\n\\s*${m[1]}\\s*(\\n|$)`).exec(text.slice(i + m[0].length - 1));
        if (!end) return { line, detail: `unterminated heredoc <<${m[1]}` };
        const consumed = m[0].length - 1 + end.index + end[0].length - 1;
        line += countLines(text.slice(i, i + consumed));
        i += consumed - 1;
        continue;
      }
    }
    if (ch === '"') {
      const start = line;
      let j = i + 1;
      let depth = 0;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === "\\") j++;
        else if (c === "$" && text[j + 1] === "{") {
          depth++;
          j++;
        } else if (c === "}" && depth > 0) depth--;
        else if (c === '"' && depth === 0) break;
        else if (c === "\n" && depth === 0) return { line: start, detail: "unterminated string" };
      }
      if (j >= text.length) return { line: start, detail: "unterminated string" };
      i = j;
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") stack.push({ ch, line });
    else if (ch in pairs) {
      const open = stack.pop();
      if (!open) return { line, detail: `unexpected "${ch}"` };
      if (open.ch !== pairs[ch]) return { line: open.line, detail: `"${open.ch}" is not closed before the "${ch}" on line ${line}` };
    } else if (ch === "=" && text[i + 1] !== "=" && text[i - 1] !== "=" && text[i - 1] !== "!" && text[i - 1] !== "<" && text[i - 1] !== ">" && text[i + 1] !== ">") {
      const rest = /^=[ \t]*(\n|\}|$|#)/.exec(text.slice(i));
      if (rest) return { line, detail: "attribute has no value" };
    }
  }
  const open = stack.pop();
  return open ? { line: open.line, detail: `"${open.ch}" is never closed` } : null;
}

/** Splits the file into top-level blocks and parses each: the first that fails holds the error. */
function firstFailingBlock(text: string, parses: (text: string) => boolean): SyntaxProblem | null {
  const lines = text.split("\n");
  let start = 0;
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    depth += (lines[i].match(/\{/g) ?? []).length - (lines[i].match(/\}/g) ?? []).length;
    if (depth <= 0) {
      const block = lines.slice(start, i + 1).join("\n");
      if (block.trim() && !parses(block)) {
        // Narrow down within the block: the first line whose removal makes it parse. Each try parses
        // the block again, so only small blocks are narrowed (a 50,000-line block would take hours).
        for (let j = start + 1; j < i && i - start <= MAX_NARROWED_LINES; j++) {
          const without = [...lines.slice(start, j), ...lines.slice(j + 1, i + 1)].join("\n");
          if (parses(without)) return { line: j + 1, detail: "syntax error" };
        }
        return { line: start + 1, detail: "syntax error in this block" };
      }
      start = i + 1;
      depth = 0;
    }
  }
  return null;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
