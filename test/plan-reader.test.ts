/**
 * The plan reader (src/load/plan-scan.ts over src/load/json-scanner.ts) against JSON.parse: the same
 * Model for every fixture and corpus plan and for random plans; the scanner accepts exactly what
 * JSON.parse accepts; and the trimmed Model (declared attributes only) gives the same findings as the
 * whole one, so that a rule cannot read an attribute that model_attributes does not declare.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { evaluate } from "../src/engine/policy";
import { loadInput } from "../src/load";
import { JsonScanner, ScanError } from "../src/load/json-scanner";
import { planToModel } from "../src/load/plan";
import { scanPlanDocument } from "../src/load/plan-scan";
import { modelAttributes, modelTypes } from "../src/rules";
import { FIXTURES, ROOT, tempFile } from "./helpers";

// Beside the checkout (../shared), or beside the folder of worktrees (../../shared).
const CORPUS = [join(ROOT, "..", "shared", "corpus", "plans"), join(ROOT, "..", "..", "shared", "corpus", "plans")].find((d) => existsSync(d)) ?? "";
const MALFORMED = "hashicorp__terraform-json__testdata_invalid_plan.json";

function planFiles(): string[] {
  const fixtures = readdirSync(join(FIXTURES, "plans")).map((f) => join(FIXTURES, "plans", f));
  const corpus = CORPUS ? readdirSync(CORPUS).filter((f) => f.endsWith(".json") && f !== MALFORMED).map((f) => join(CORPUS, f)) : [];
  return [...fixtures, join(ROOT, "examples/broken/plan.json"), join(ROOT, "examples/fixed/plan.json"), ...corpus];
}

/** The Model as JSON.parse of the whole file gives it; `attributes` null: every attribute. */
function parsedModel(text: string, attributes = modelAttributes() as ReturnType<typeof modelAttributes> | null) {
  const doc = JSON.parse(text.replace(/^\ufeff/, "")) as Record<string, unknown>;
  return planToModel(doc, modelTypes(), attributes);
}

function scannedModel(text: string) {
  const doc = scanPlanDocument(Buffer.from(text), modelTypes(), modelAttributes()) as Record<string, unknown>;
  return planToModel(doc, modelTypes(), modelAttributes());
}

/** JSON.parse's verdict and the scanner's on the same text. */
function bothAccept(text: string): [boolean, boolean] {
  let parsed = true;
  try {
    JSON.parse(text);
  } catch {
    parsed = false;
  }
  let scanned = true;
  try {
    const s = new JsonScanner(Buffer.from(text));
    s.skip();
    s.end();
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    scanned = false;
  }
  return [parsed, scanned];
}

describe("plan reader", () => {
  it("gives the Model JSON.parse gives, for every fixture, example and corpus plan", () => {
    const files = planFiles();
    assert.ok(files.length >= (CORPUS ? 100 : 60), `only ${files.length} plans`);
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const expected = parsedModel(text);
      assert.deepEqual(scannedModel(text), expected, path);
      for (const scanAbove of [0, undefined]) {
        const loaded = loadInput(path, { scanAbove }).model; // scanned, and (small plans) parsed whole
        for (const r of loaded.resources) delete r.source; // .tf files beside the plan give locations
        assert.deepEqual(loaded, expected.model, path);
      }
    }
  });

  it("gives the corpus plan that is malformed on purpose the clear error, scanned or parsed whole", function () {
    if (!CORPUS) this.skip();
    for (const scanAbove of [0, undefined]) {
      assert.throws(() => loadInput(join(CORPUS, MALFORMED), { scanAbove }), (e: Error) => /not valid JSON at line \d+/.test(e.message) && !e.message.includes("\n"));
    }
  });

  it("keeps only declared attributes, and the rules find the same with the whole Model (every fixture, example and corpus plan)", function () {
    let trimmedSomething = false;
    // wg209-too-many-addresses: one evaluation of its IP set of 10,001 addresses takes seconds (the set is
    // kept whole either way; its stage and API are in other fixtures too).
    for (const path of planFiles().filter((p) => !p.endsWith("wg209-too-many-addresses.json"))) {
      const text = readFileSync(path, "utf8");
      const whole = parsedModel(text, null).model;
      const trimmed = parsedModel(text).model;
      if (JSON.stringify(whole) === JSON.stringify(trimmed)) continue; // the same input: the same findings
      trimmedSomething = true;
      const sort = (f: ReturnType<typeof evaluate>) => f.map((x) => JSON.stringify(x)).sort();
      assert.deepEqual(sort(evaluate(trimmed)), sort(evaluate(whole)), `${path}: a rule reads an attribute that model_attributes (policies/wafguard/lib/model.rego) does not declare`);
    }
    assert.ok(trimmedSomething, "no plan had an attribute to drop: the comparison would prove nothing");
  });

  it("keeps a Lambda function's timeout and ARNs, not its environment or tags", () => {
    const plan = {
      format_version: "1.2",
      resource_changes: [
        {
          address: "aws_lambda_function.f",
          mode: "managed",
          type: "aws_lambda_function",
          name: "f",
          change: { actions: ["create"], before: null, after: { timeout: 40, environment: [{ variables: { A: "b" } }], tags: { t: "v" } }, after_unknown: { arn: true, environment: [{}] } },
        },
      ],
    };
    const [fn] = loadInput(tempFile("plan.json", JSON.stringify(plan))).model.resources;
    assert.deepEqual(fn.values, { timeout: 40 });
    assert.deepEqual(fn.unknown, ["arn"]);
  });

  it("declares every model type's attributes, and every attribute a rule reads by name", () => {
    const declared = modelAttributes();
    const rules = JSON.parse(readFileSync(join(ROOT, "policies/build/rules.json"), "utf8")) as { modelTypes: string[]; modelAttributes: Record<string, string[]> };
    for (const type of rules.modelTypes) assert.ok(type in rules.modelAttributes, `${type} is in model_types but not in model_attributes`);
    const names = new Set([...declared.values()].flatMap((s) => [...s]));
    // Attributes that rules read only of aws_wafv2_* types, which the Model keeps whole.
    const ofWholeTypes = new Set(["addresses", "association_config", "capacity", "custom_response_body", "default_action", "ip_address_version", "log_destination_configs", "logging_filter", "redacted_fields", "resource_arn", "rule", "rule_json", "scope", "visibility_config", "web_acl_arn"]);
    const dir = join(ROOT, "policies/wafguard");
    const files = ["lib", "rules"].flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego")).map((f) => join(dir, d, f)));
    const read = /\.(?:values|before)\.([a-z_0-9]+)|(?:object\.get|block)\([\w.]*\.(?:values|before)\)?, "([a-z_0-9]+)"|(?:targets|sources|edges_from)\([\w.]+, "([a-z_0-9]+)/g;
    let found = 0;
    for (const file of files) {
      for (const m of readFileSync(file, "utf8").matchAll(read)) {
        const name = m[1] ?? m[2] ?? m[3];
        found++;
        assert.ok(names.has(name) || ofWholeTypes.has(name), `${file} reads "${name}", which no type declares in model_attributes (policies/wafguard/lib/model.rego)`);
      }
    }
    assert.ok(found > 50, `the scan found only ${found} attribute reads: the pattern is out of date`);
  });

  describe("property-based, against JSON.parse", () => {
    const relevantTypes = ["aws_wafv2_web_acl", "aws_lambda_function", "aws_api_gateway_stage", "aws_wafv2_web_acl_association", "aws_api_gateway_rest_api"];
    const text = fc.string({ unit: fc.oneof(fc.constantFrom("\\", '"', "\u0000", "\n", "\u2028", "\ud800", "\udc00", "é", "😀", "\u0085"), fc.string({ minLength: 1, maxLength: 1, unit: "binary" })) });
    const attrs = fc.dictionary(fc.oneof(fc.constantFrom("timeout", "stage_name", "rule", "tags", "environment", "arn", "__proto__", "type"), text), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    const resource = fc.record({
      type: fc.oneof(fc.constantFrom(...relevantTypes), fc.constantFrom("aws_instance", "aws_iam_policy", "aws_s3_object"), text),
      name: fc.constantFrom("a", "b", "c"),
      module: fc.constantFrom(undefined, "module.m", 'module.m["k"]'),
      after: attrs,
      before: fc.option(attrs),
      extra: fc.jsonValue({ maxDepth: 3 }),
    });
    const plan = fc.array(resource, { maxLength: 12 }).map((rs) => ({
      format_version: "1.2",
      resource_changes: rs.map((r) => ({
        address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}`,
        ...(r.module ? { module_address: r.module } : {}),
        mode: "managed",
        type: r.type,
        name: r.name,
        extra: r.extra,
        change: { actions: [r.before ? "update" : "create"], before: r.before, after: r.after, after_unknown: { arn: true } },
      })),
      configuration: {
        root_module: {
          resources: rs.map((r) => ({ mode: "managed", type: r.type, name: r.name, expressions: { stage_name: { constant_value: "x" }, rest_api_id: { references: ["aws_api_gateway_rest_api.a.id"] } } })),
        },
      },
    }));
    /** JSON texts of the same document: compact, indented, and with keys and strings escaped as \u. */
    const layout = fc.constantFrom<(v: unknown) => string>(
      (v) => JSON.stringify(v),
      (v) => JSON.stringify(v, null, 2),
      (v) => JSON.stringify(v, null, "\t").replace(/\n/g, "\r\n"),
      (v) => JSON.stringify(v).replace(/"(type|module_address|change|after)"/g, (_, k: string) => `"\\u00${k.charCodeAt(0).toString(16)}${k.slice(1)}"`),
      (v) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    );

    it("the same Model as JSON.parse of random plans (irrelevant resources, escapes, unicode, nesting, repeated keys)", () => {
      fc.assert(
        fc.property(plan, layout, fc.boolean(), (doc, write, repeatType) => {
          let json = write(doc);
          // A repeated key: JSON.parse keeps the last value; make some resources change type at the end.
          if (repeatType) json = json.replace(/"name":"a"/g, '"name":"a","type":"aws_wafv2_web_acl"');
          assert.deepEqual(scannedModel(json), parsedModel(json));
        }),
        { numRuns: 300 },
      );
    });

    it("accepts exactly the texts JSON.parse accepts (random JSON, then cut, spliced or with a byte changed)", () => {
      const json = fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v));
      const edited = fc.tuple(json, fc.nat(), fc.nat(), fc.constantFrom("", "}", "]", ",", ":", '"', "\\", "\\u12", "\\x", "\u0001", "tru", "-", "01", "1.", "1e", ".5", "1e+", "nul", " ", "[", "{", "\ud800")).map(([t, at, len, insert]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + insert + t.slice(i + (len % 3));
      });
      fc.assert(
        fc.property(fc.oneof(json, edited), (t) => {
          const [parsed, scanned] = bothAccept(t);
          assert.equal(scanned, parsed, JSON.stringify(t));
        }),
        { numRuns: 3000 },
      );
    });

    it("skips nesting deeper than any stack without recursion", () => {
      const deep = "[".repeat(200_000) + "]".repeat(200_000);
      assert.deepEqual(bothAccept(deep), [true, true]);
      assert.deepEqual(bothAccept(deep.slice(0, -1)), [false, false]);
      const plan = `{"format_version":"1.2","resource_changes":[{"type":"aws_instance","x":${deep}}]}`;
      assert.equal(loadInput(tempFile("plan.json", plan), { scanAbove: 0 }).resourceCount, 1);
    });
  });

  it("reports malformed JSON inside a skipped resource with its line, scanned or parsed whole", () => {
    const good = { format_version: "1.2", resource_changes: [{ type: "aws_instance", name: "x", change: { after: { user_data: "ok" } } }] };
    const text = JSON.stringify(good, null, 2);
    for (const [bad, pattern] of [
      [text.replace('"ok"', '"o\u0001k"'), /is not valid JSON at line 9/],
      [text.replace('"ok"', "'ok'"), /is not valid JSON at line 9/], // JSON.parse's message has no position here: the scanner's is used
      [text.replace('"ok"', '"ok",'), /is not valid JSON at line 1[01]/],
    ] as const) {
      for (const scanAbove of [0, undefined]) {
        assert.throws(() => loadInput(tempFile("plan.json", bad), { scanAbove }), (e: Error) => pattern.test(e.message) && !e.message.includes("\n"));
      }
    }
  });
});
