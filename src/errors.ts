/**
 * An error in what the user gave wafguard (a file, a flag, a waiver file): reported as one line on
 * stderr with exit status 2. Anything else that escapes is a bug in wafguard.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(message: string) {
    // One line, whatever a parser's message held (Node's JSON errors quote the input, newlines included).
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
  }
}

/** The input named by `file` cannot be read as what it claims to be. */
export class InputError extends UsageError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
