/**
 * Prints what each hostile-input class does now, one line each (the fuzz test asserts the same):
 *   npm run build && node dist/test/fuzz/probe.js [part of a class title]
 */
import { HOSTILE_CLASSES } from "./classes";
import { runCase } from "./run-case";
(async () => {
  const only = process.argv[2];
  for (const k of HOSTILE_CLASSES) {
    if (only && !k.title.includes(only)) continue;
    const t = Date.now();
    const { violations, first } = await runCase(k);
    console.log(`${violations.length ? "FAIL" : "ok  "} [${k.owner}] ${k.title} (${Date.now() - t} ms, exit ${first.status}) ${violations.join(" | ").slice(0, 250)} ${violations.length ? "" : first.stderr.trim().slice(0, 150)}`);
  }
})();
