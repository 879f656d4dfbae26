// Turns `opa inspect -a` output into policies/build/rules.json: one entry per rule, from its
// # METADATA annotation, plus the resource types the Model keeps. Fails on a malformed annotation,
// so a rule cannot ship without its documentation.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [inspectFile, typesFile, mainFile] = process.argv.slice(2);
const mainRego = readFileSync(mainFile, "utf8");
const inspect = JSON.parse(readFileSync(inspectFile, "utf8"));
const types = JSON.parse(readFileSync(typesFile, "utf8")).result[0].expressions[0].value;

const SEVERITIES = ["error", "warning", "info"];
const SYMPTOMS = ["403", "405", "202", "429", "502", "504", "apply-failure", "unprotected", "blind", "none"];
const FIELDS = ["id", "severity", "symptom", "cause", "confirm", "fix", "why"];

const rules = [];
for (const entry of inspect.annotations ?? []) {
  const a = entry.annotations;
  if (a.scope !== "rule" || !a.custom?.id) continue;
  const where = `${entry.location.file}:${entry.location.row}`;
  for (const field of FIELDS) {
    if (a.custom[field] === undefined) throw new Error(`${where}: METADATA custom.${field} is missing`);
  }
  const ruleName = entry.path[entry.path.length - 1].value;
  if (ruleName.toUpperCase() !== a.custom.id) throw new Error(`${where}: rule ${ruleName} is annotated ${a.custom.id}`);
  const listed = `with_id(f, "${a.custom.id}") if some f in ${entry.path[entry.path.length - 2].value}.${ruleName}`;
  if (!mainRego.includes(listed)) throw new Error(`${where}: ${a.custom.id} is not listed in main.rego (${listed})`);
  if (!SEVERITIES.includes(a.custom.severity)) throw new Error(`${where}: severity ${a.custom.severity}`);
  for (const s of String(a.custom.symptom).split(" / ")) {
    if (!SYMPTOMS.includes(s)) throw new Error(`${where}: symptom ${s}`);
  }
  if (!a.title || !a.description) throw new Error(`${where}: title and description are required`);
  rules.push({
    id: a.custom.id,
    title: a.title,
    severity: a.custom.severity,
    symptom: String(a.custom.symptom),
    cause: String(a.custom.cause),
    area: entry.path[entry.path.length - 2].value,
    happens: a.description.trim(),
    confirm: a.custom.confirm.trim(),
    fix: a.custom.fix.trimEnd().replace(/^\n+/, ""),
    why: a.custom.why.trim(),
    sources: (a.related_resources ?? []).map((r) => r.ref),
  });
}
rules.sort((x, y) => x.id.localeCompare(y.id));
const ids = rules.map((r) => r.id);
const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
if (duplicate) throw new Error(`rule ${duplicate} is defined twice`);
// The option keys the policies read, so that an unknown `--option` key is an error, not ignored.
const options = new Set();
const regoFiles = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? regoFiles(join(dir, e.name)) : e.name.endsWith(".rego") && !e.name.endsWith("_test.rego") ? [join(dir, e.name)] : []));
for (const file of regoFiles(dirname(mainFile))) {
  for (const m of readFileSync(file, "utf8").matchAll(/object\.get\(object\.get\(input, "options", \{\}\), "([A-Za-z0-9_-]+)"/g)) options.add(m[1]);
}
process.stdout.write(JSON.stringify({ rules, modelTypes: [...types].sort(), options: [...options].sort() }, null, 2) + "\n");
