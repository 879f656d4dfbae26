/** Command-line pieces every `wafguard` command shares: flag parsing, choices, the progress line. */
import { parseArgs } from "node:util";
import { UsageError } from "./errors";

export type OptionSpec = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

export function parse(args: string[], options: OptionSpec) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message.split("\n")[0];
    // node:util says "argument is ambiguous" for a value that starts with a dash (--pattern -1)
    const ambiguous = /^Option '(--[\w-]+)(?: <value>)?' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} needs a value; one that starts with "-" is written ${ambiguous[1]}=-VALUE`);
    throw new UsageError(`${message}; run wafguard --help`);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
  return value as T;
}

/** One line on stderr, rewritten in place at most four times a second; only on a terminal. */
export class ProgressLine {
  readonly enabled = process.stderr.isTTY === true;
  private shown = false;
  private last = 0;

  show(text: string): void {
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    process.stderr.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write("\r\x1b[K");
    this.shown = false;
  }
}
