/**
 * Reads AWS WAF log records from files and directories, streaming, in bounded memory (see README,
 * "Traffic: how logs are read"): one record a line (S3 and Firehose deliveries, .log/.json/.jsonl, gzip with
 * several members), CloudWatch Logs exports (export-to-S3 lines carry a timestamp before the JSON;
 * `aws logs filter-log-events` output holds records in events[].message), and JSON arrays of records.
 * Bad input is an InputError naming the file and line; nothing is skipped silently.
 */

import { createReadStream, promises as fsp, realpathSync, type Stats } from "node:fs";
import { join } from "node:path";
import { pipeline, Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { InputError, UsageError } from "../errors";
import { checkWafLogRecord, type LoggedRecord, type WafLogRecord } from "./log-record";

export interface ReadProgress {
  files: number;
  bytes: number;
  records: number;
}

export interface ReadLogsOptions {
  onProgress?: (p: ReadProgress) => void;
  /** JSON documents up to this size are parsed whole, larger ones streamed (default 64 MiB). */
  maxWholeDocumentBytes?: number;
}

/** A WAF record is a few KB; a line this long is not one (and would hold the whole file in memory). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Log deliveries inflate 5-20x; deflate's ceiling is ~1032x. Past this ratio (after 64 MiB) it is a bomb. */
export const MAX_INFLATE_RATIO = 200;
const RATIO_CHECK_AFTER = 64 * 1024 * 1024;
const PROGRESS_EVERY = 50_000;
/** JSON documents (arrays, filter-log-events output) up to this size are parsed whole, larger ones streamed. */
const MAX_WHOLE_DOCUMENT = 64 * 1024 * 1024;
/** In directories, files with these endings (or none: Firehose objects) are read; explicitly named files always. */
const LOG_NAME = /(\.log|\.json|\.jsonl|\.gz|^[^.]+)$/i;
const CHUNK = 1024 * 1024;

/** What `check --traffic` and `logs` say when the logs they were given hold no record at all. */
export function noRecordsError(paths: string[]): UsageError {
  return new UsageError(`${paths.join(", ")}: no AWS WAF log records found (expected .log, .json, .jsonl or .gz files of WAF log records, or a directory of them)`);
}

export async function* readWafLogs(paths: string[], options: ReadLogsOptions = {}): AsyncGenerator<LoggedRecord> {
  const progress: ReadProgress = { files: 0, bytes: 0, records: 0 };
  const files: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) await collect(p, true, files, new Set(), seen);
  for (const file of files) {
    progress.files++;
    yield* readFile(file, progress, options.onProgress, options.maxWholeDocumentBytes ?? MAX_WHOLE_DOCUMENT);
    options.onProgress?.({ ...progress });
  }
}

/**
 * Adds the log files at `path` to `out`, each file once: one named twice, or named and also in a named
 * directory, or reached through a symbolic or hard link, is read once (`seen` holds device and inode).
 * Returns how many log files `path` holds, read already or not.
 */
async function collect(path: string, named: boolean, out: string[], visiting: Set<string>, seen: Set<string>): Promise<number> {
  let stats: Stats;
  try {
    stats = await fsp.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new InputError(path, "symbolic link loop");
    if (code === "ENOENT") throw new InputError(path, named ? "no such file or directory" : "broken symbolic link");
    throw new InputError(path, `cannot read (${code ?? "error"})`);
  }
  if (stats.isDirectory()) {
    const real = await fsp.realpath(path);
    if (visiting.has(real)) throw new InputError(path, "symbolic link loop (directory contains itself)");
    visiting.add(real);
    let found = 0;
    const entries = (await fsp.readdir(path)).sort();
    for (const name of entries) {
      if (name.startsWith(".")) continue;
      const child = join(path, name);
      const s = await fsp.lstat(child);
      if (s.isDirectory() || (s.isSymbolicLink() && (await isDirectory(child)))) found += await collect(child, false, out, visiting, seen);
      else if (LOG_NAME.test(name)) found += await collect(child, false, out, visiting, seen);
    }
    visiting.delete(real);
    if (named && found === 0) throw new InputError(path, "no WAF log files (.log, .json, .jsonl, .gz) in this directory");
    return found;
  }
  if (!stats.isFile()) throw new InputError(path, "not a regular file (a FIFO, socket or device): logs are read from files");
  // Some file systems (FAT, SMB, FUSE) report inode 0 for every file: there the real path tells files apart.
  const id = stats.ino !== 0 ? `${stats.dev}:${stats.ino}` : `path:${realpathSync(path)}`;
  if (!seen.has(id)) {
    seen.add(id);
    out.push(path);
  }
  return 1;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") throw new InputError(path, "symbolic link loop");
    return false;
  }
}

/** The file's bytes, gunzipped when they start with gzip's magic number (whatever the name says). */
async function* fileBytes(file: string, progress: ReadProgress): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { highWaterMark: CHUNK });
  let compressed = 0;
  source.on("data", (b: Buffer | string) => {
    compressed += b.length;
    progress.bytes += b.length;
  });
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await iterator.next();
  if (head.done) return;
  const rest = (async function* () {
    try {
      yield head.value;
      for (;;) {
        const n = await iterator.next();
        if (n.done) return;
        yield n.value;
      }
    } finally {
      source.destroy(); // also when gunzip stops early: the file is closed either way
    }
  })();
  if (!(head.value[0] === 0x1f && head.value[1] === 0x8b)) {
    yield* rest;
    return;
  }
  // Node's gunzip reads every member of a multi-member file (S3/Firehose append members), but stops
  // without an error at a member followed by a zero byte (padding, or garbage after one),
  // dropping everything after it: what it consumed is compared with the file's size below.
  const size = (await fsp.stat(file)).size;
  // pipeline, not pipe: a read error reaches the loop below instead of being an unhandled 'error'.
  const gunzip = createGunzip({ chunkSize: CHUNK });
  pipeline(Readable.from(rest), gunzip, () => {});
  let inflated = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > RATIO_CHECK_AFTER && inflated > MAX_INFLATE_RATIO * compressed) {
        gunzip.destroy();
        throw new GzipError(`gzip inflates more than ${MAX_INFLATE_RATIO}x (a decompression bomb, not a log delivery)`);
      }
      yield chunk;
    }
  } catch (e) {
    if (e instanceof GzipError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if ((e as NodeJS.ErrnoException).syscall) throw e; // the file's read failed: readFile says "cannot read"
    throw new GzipError(code === "Z_BUF_ERROR" ? "truncated gzip (unexpected end of file)" : `corrupt gzip (${(e as Error).message})`);
  }
  if (gunzip.bytesWritten < size) {
    throw new GzipError("data after a gzip member that is not another member (zero padding or garbage), so the rest of the file cannot be read: not a log delivery as AWS writes it");
  }
}

class GzipError extends Error {}

async function* readFile(file: string, progress: ReadProgress, onProgress: ((p: ReadProgress) => void) | undefined, maxWhole: number): AsyncGenerator<LoggedRecord> {
  // Lines are split on the bytes and decoded one by one: a quarter less CPU than decoding whole chunks
  // and slicing strings (README, "Traffic: how logs are read").
  let rest: Buffer | null = null;
  let line = 0;
  let decided = false;
  const bytes = fileBytes(file, progress);
  const emit = (text: string, at: number): LoggedRecord[] => {
    const out: LoggedRecord[] = [];
    parseLine(text, file, at, out);
    const before = progress.records;
    progress.records += out.length;
    if (Math.floor(before / PROGRESS_EVERY) !== Math.floor(progress.records / PROGRESS_EVERY)) onProgress?.({ ...progress });
    return out;
  };
  try {
    for await (const piece of bytes) {
      const chunk: Buffer = rest ? Buffer.concat([rest, piece]) : piece;
      if (!decided) {
        const head = chunk.toString("utf8", 0, Math.min(chunk.length, 65536));
        const start = head.search(/\S/);
        if (start < 0 && chunk.length < 65536) {
          rest = chunk;
          continue;
        }
        const eol = head.indexOf("\n", start);
        if (head[start] === "[" || (head[start] === "{" && eol >= 0 && head.slice(start, eol).trim() === "{")) {
          const decoder = new StringDecoder("utf8");
          yield* readDocument(file, head[start] === "[" ? "array" : "document", decoder.write(chunk), bytes, decoder, progress, onProgress, maxWhole);
          return;
        }
        decided = true;
      }
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(10, from);
        if (nl < 0) break;
        line++;
        if (nl > from) for (const r of emit(chunk.toString("utf8", from, nl), line)) yield r;
        from = nl + 1;
      }
      rest = from === chunk.length ? null : chunk.subarray(from);
      if (rest && rest.length > MAX_LINE_BYTES) throw new InputError(`${file}:${line + 1}`, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a WAF log record`);
    }
  } catch (e) {
    if (e instanceof GzipError) throw new InputError(`${file}:${line + 1}`, e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code && !(e instanceof InputError)) throw new InputError(file, `cannot read (${code})`);
    throw e;
  }
  if (rest) {
    const text = rest.toString("utf8");
    if (text.trim() !== "") for (const r of emit(text, line + 1)) yield r;
  }
}

function parseLine(text: string, file: string, line: number, out: LoggedRecord[]): void {
  let body = text;
  if (body.charCodeAt(0) !== 123 /* { */) {
    body = body.trim();
    if (body === "") return;
    // CloudWatch Logs export to S3: "2024-05-06T07:08:09.123Z {...}"
    const m = /^\d{4}-\d\d-\d\dT[0-9:.]+Z?\s+(?=\{)/.exec(body);
    if (m) body = body.slice(m[0].length);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw new InputError(`${file}:${line}`, `not JSON (${(e as Error).message.slice(0, 120)}): corrupt or truncated record`);
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Array.isArray((value as { events?: unknown }).events)) {
    for (const event of (value as { events: unknown[] }).events) out.push(fromEvent(event, file, line));
    return;
  }
  out.push({ record: checked(value, file, line), file, line });
}

function checked(value: unknown, file: string, line: number | string): WafLogRecord {
  const r = checkWafLogRecord(value);
  if (typeof r === "string") throw new InputError(`${file}:${line}`, r);
  return r;
}

/** A CloudWatch Logs event ({ timestamp, message }) whose message is one WAF record. */
function fromEvent(event: unknown, file: string, line: number | string): LoggedRecord {
  const message = (event as { message?: unknown } | null)?.message;
  if (typeof message !== "string") {
    // A JSON array of records rather than of events.
    return { record: checked(event, file, line), file, line: typeof line === "number" ? line : 0 };
  }
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch (e) {
    throw new InputError(`${file}:${line}`, `events[].message is not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  return { record: checked(value, file, line), file, line: typeof line === "number" ? line : 0 };
}

/**
 * A JSON array of records or of CloudWatch events, or a pretty-printed `filter-log-events` document:
 * streamed element by element with stream-json. Errors name the element (arrays have no record lines).
 */
async function* readDocument(
  file: string,
  mode: "array" | "document",
  head: string,
  bytes: AsyncGenerator<Buffer>,
  decoder: StringDecoder,
  progress: ReadProgress,
  onProgress: ((p: ReadProgress) => void) | undefined,
  maxWhole: number,
): AsyncGenerator<LoggedRecord> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const streamArray = require("stream-json/streamers/stream-array.js").default as { withParserAsStream(o?: object): NodeJS.ReadWriteStream; asStream(o?: object): NodeJS.ReadWriteStream };
  const parser = require("stream-json/parser.js").default as { asStream(o?: object): NodeJS.ReadWriteStream };
  const pick = require("stream-json/filters/pick.js").default as { asStream(o?: object): NodeJS.ReadWriteStream };
  /* eslint-enable @typescript-eslint/no-require-imports */
  // A document that fits in memory is parsed whole: it may also be one pretty-printed record.
  // Read with next(), not `for await ... break`: a break would close `bytes`, and the streamed
  // part below would see only what was buffered.
  let whole = true;
  const buffered: string[] = [head];
  let size = head.length;
  for (;;) {
    const next = await bytes.next();
    if (next.done) break;
    const t = decoder.write(next.value);
    buffered.push(t);
    size += t.length;
    if (size > maxWhole) {
      whole = false;
      break;
    }
  }
  if (whole) {
    buffered.push(decoder.end());
    let value: unknown;
    try {
      value = JSON.parse(buffered.join(""));
    } catch (e) {
      throw new InputError(file, `not JSON (${(e as Error).message.slice(0, 120)}): corrupt or truncated document`);
    }
    const items = Array.isArray(value) ? value : Array.isArray((value as { events?: unknown } | null)?.events) ? (value as { events: unknown[] }).events : null;
    if (!items) {
      progress.records++;
      yield { record: checked(value, file, 1), file, line: 1 };
      return;
    }
    for (let i = 0; i < items.length; i++) {
      progress.records++;
      if (progress.records % PROGRESS_EVERY === 0) onProgress?.({ ...progress });
      yield fromEvent(items[i], file, Array.isArray(value) ? `element ${i + 1}` : `events[${i}]`);
    }
    return;
  }
  const text = (async function* () {
    while (buffered.length > 0) yield buffered.shift()!;
    for await (const chunk of bytes) yield decoder.write(chunk);
    yield decoder.end();
  })();
  // pipeline, not pipe: an error in any stage (a corrupt gzip in the source, a parser error before
  // pick) destroys every stage with it, so the loop below throws it instead of an unhandled 'error'.
  const stages: NodeJS.ReadWriteStream[] = mode === "array" ? [streamArray.withParserAsStream()] : [parser.asStream(), pick.asStream({ filter: "events" }), streamArray.asStream()];
  const items = pipeline([Readable.from(text), ...stages], () => {}) as unknown as AsyncIterable<{ key: number; value: unknown }>;
  let n = 0;
  try {
    for await (const item of items) {
      n++;
      const where = mode === "array" ? `element ${item.key + 1}` : `events[${item.key}]`;
      const r = fromEvent(item.value, file, where);
      progress.records++;
      if (progress.records % PROGRESS_EVERY === 0) onProgress?.({ ...progress });
      yield r;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof GzipError) throw new InputError(file, e.message);
    throw new InputError(file, `not a JSON ${mode === "array" ? "array of WAF log records" : "CloudWatch Logs events document"} (${(e as Error).message.slice(0, 120)}) after ${n} records`);
  }
  if (mode === "document" && n === 0) throw new InputError(file, "a JSON document without events[] of WAF log records");
}
