/** Paths as CI systems want them: relative to the working directory (the repository root in CI), with `/`. */
import { isAbsolute, relative, sep } from "node:path";

export function repositoryPath(file: string): string {
  const rel = isAbsolute(file) ? relative(process.cwd(), file) : file;
  const clean = (rel.startsWith("..") ? file : rel).split(sep).join("/");
  return clean.replace(/^\.\//, "");
}

/** `main.tf:12`, or the CDKTF construct path. */
export function formatLocation(location: { file: string; line?: number; construct?: string }): string {
  return location.construct ?? (location.line ? `${location.file}:${location.line}` : location.file);
}

/** Where to read a rule's full text: RULES.md of the wafguard release in use. */
export function ruleHelpUri(id: string): string {
  return `${HOMEPAGE}/blob/v${VERSION}/RULES.md#${id.toLowerCase()}`;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require("../../../package.json") as { version: string; homepage: string };
export const VERSION = pkg.version;
export const HOMEPAGE = pkg.homepage;
