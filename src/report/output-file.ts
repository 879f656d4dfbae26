/**
 * Writing the report to `--output`: a regular file only. Opening a FIFO for writing waits for a reader
 * forever, a device swallows the report, and a symlink (which a pull request can commit under the
 * report's name) would write somewhere else; each is refused with one line instead.
 */
import { accessSync, closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../errors";
import { kindOf } from "../load/read-file";

/**
 * Refuses, before the run, a report file that writeReportFile would refuse after it: the check's
 * report must not go to the terminal and then end in "cannot write". Nothing is created or truncated.
 */
export function assertWritableReportFile(path: string, flag: string): void {
  if (path === "") throw new UsageError(`${flag} needs a file name (got an empty one)`);
  const stats = lstatSync(path, { throwIfNoEntry: false });
  let why: string | undefined;
  if (stats?.isSymbolicLink()) why = `it is a symbolic link; ${flag} takes a regular file`;
  else if (stats?.isDirectory()) why = "it is a directory";
  else if (stats && !stats.isFile()) why = `it is ${kindOf(stats)}; ${flag} takes a regular file`;
  else {
    const target = stats ? path : dirname(path);
    if (!stats && !statSync(target, { throwIfNoEntry: false })?.isDirectory()) why = `its directory ${target} does not exist`;
    else {
      try {
        accessSync(target, constants.W_OK);
      } catch (e) {
        why = (e as NodeJS.ErrnoException).code ?? "not writable";
      }
    }
  }
  if (why) throw new UsageError(`cannot write ${path} (${why})`);
}

export function writeReportFile(path: string, report: string): void {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of blocking; O_NOFOLLOW: no symlinks.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOFOLLOW, 0o666);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ELOOP" ? "it is a symbolic link; --output takes a regular file" : code === "EISDIR" ? "it is a directory" : code === "ENXIO" ? "it is a FIFO (named pipe); --output takes a regular file" : (code ?? (e as Error).message);
    throw new UsageError(`cannot write ${path} (${why})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UsageError(`cannot write ${path} (it is ${kindOf(stats)}; --output takes a regular file)`);
    ftruncateSync(fd, 0);
    const bytes = Buffer.from(report, "utf8");
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
