/**
 * Reading a file handed to wafguard, for every loader: regular files only, at most a size limit.
 * A FIFO never ends (or blocks the open), a device such as /dev/zero never stops giving bytes, and a
 * symlink may loop or dangle: each is one clear input error instead of a hang or an internal error.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { InputError } from "../errors";

export const MIB = 1024 * 1024;

/** Reads all of `path`, refusing anything but a regular file and more than `maxBytes`. */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(path, openProblem(path, e as NodeJS.ErrnoException));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputError(path, `is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new InputError(path, tooLarge(stats.size, maxBytes));
    // Read to the end rather than trusting the size: a file can grow, and /proc files report 0.
    // One buffer of the stated size (a plan is large: no second copy), then small chunks for growth.
    const chunks: Buffer[] = [];
    let total = 0;
    if (stats.size > 0) {
      const whole = Buffer.allocUnsafe(stats.size);
      while (total < whole.length) {
        const n = readSync(fd, whole, total, Math.min(whole.length - total, 1 << 30), null);
        if (n === 0) break;
        total += n;
      }
      chunks.push(total === whole.length ? whole : whole.subarray(0, total));
    }
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new InputError(path, tooLarge(total, maxBytes));
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/** Why `path` could not be opened, in words. */
export function openProblem(path: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ELOOP":
      return "is a symbolic link loop";
    case "ENOENT":
      return isSymlink(path) ? "is a symbolic link to nothing (dangling)" : "does not exist";
    case "ENOTDIR":
      return "does not exist (a part of the path is not a directory)";
    case "EACCES":
    case "EPERM":
      return "cannot be read (permission denied)";
    case "ENAMETOOLONG":
      return "has a name too long for the file system";
    default:
      return `cannot be read (${e.code ?? e.message})`;
  }
}

/** "a directory", "a FIFO", "a character device"... */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "a regular file";
}

/** Whether `path` is a directory, following links; a loop or a dangling link is not (reading it says why). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function tooLarge(size: number, maxBytes: number): string {
  return `is larger than ${Math.round(maxBytes / MIB)} MiB (${size >= MIB ? `${Math.round(size / MIB)} MiB` : `${size} bytes`}), more than wafguard reads for this kind of file`;
}
