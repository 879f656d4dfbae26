/**
 * The plan reader: one pass over the file's bytes that checks its JSON syntax and builds only the part
 * of the document the Model is made from. Each resource object (in resource_changes, planned_values,
 * prior_state and configuration) is scanned once; its `type` decides: a resource no rule reads costs a
 * skim and leaves a stub (its module address, for module instances), a relevant one is parsed except
 * its values, of which only the attributes the rules declare (policies/wafguard/lib/model.rego) are
 * parsed. The result has the shape JSON.parse would give, so plan.ts turns it into the Model; why this
 * is hand-written and not a streaming library: see README, "Benchmark".
 */
import type { ModelAttributes } from "../rules";
import { JsonScanner } from "./json-scanner";
import { SKIMMED } from "./plan";

type Json = Record<string, unknown>;

/** Where a resource object is: what its values are called and which members carry them. */
type ResourceKind = "change" | "state";

/** Beyond these depths plan.ts does not look, so the scanner only checks the syntax there. */
const MAX_MODULE_DEPTH = 64;
const MAX_CONFIG_DEPTH = 32;
/** What an irrelevant resource leaves: an object, so that plan.ts counts it (shared: nothing reads into it). */
const IRRELEVANT = Object.freeze({ [SKIMMED]: true });
const CONFIG_RESOURCE_KEYS = new Set(["mode", "type", "name", "provider_config_key", "for_each_expression"]);

export function scanPlanDocument(bytes: Buffer, keepTypes: ReadonlySet<string>, attributes: ModelAttributes): unknown {
  const s = new JsonScanner(bytes);
  if (s.peek() !== 0x7b) {
    const doc = s.parse(); // not an object: not a plan, as assertPlan will say
    s.end();
    return doc;
  }
  const reader = new PlanReader(s, keepTypes, attributes);
  const doc = reader.document();
  s.end();
  return doc;
}

class PlanReader {
  /** Member offsets of the resource object being read (one array, reused). */
  private readonly offsets: number[] = [];
  private readonly typeList: readonly string[];

  constructor(
    private readonly s: JsonScanner,
    keepTypes: ReadonlySet<string>,
    private readonly attributes: ModelAttributes,
  ) {
    this.typeList = [...keepTypes];
  }

  document(): Json {
    const doc: Json = {};
    this.s.members((key) => {
      switch (key) {
        case "resource_changes":
          return set(doc, key, this.array(() => this.resource("change")));
        case "planned_values":
          return set(doc, key, this.object((k) => (k === "root_module" ? this.module("state", 0) : this.skip())));
        case "prior_state":
          return set(doc, key, this.object((k) => (k === "values" ? this.object((v) => (v === "root_module" ? this.module("state", 0) : this.skip())) : this.skip())));
        case "configuration":
          return set(doc, key, this.object((k) => (k === "provider_config" ? this.s.parse() : k === "root_module" ? this.configModule(0) : this.skip())));
        case "values": // state: assertPlan tells it apart by these keys and whether resources is an array
        case "resources": {
          const c = this.s.peek();
          if (c !== 0x5b && c !== 0x7b) return set(doc, key, this.s.parse());
          this.s.skip();
          return set(doc, key, c === 0x5b ? [] : {});
        }
        case "format_version":
        case "lineage":
        case "variables":
          return set(doc, key, this.s.parse());
        default:
          return this.skip();
      }
    });
    return doc;
  }

  /** A resource in resource_changes ("change") or in a module of planned_values or prior_state ("state"). */
  private resource(kind: ResourceKind): unknown {
    if (this.s.peek() !== 0x7b) return this.s.parse();
    const start = this.s.pos;
    const members = this.offsets;
    const count = this.s.memberOffsets(members);
    const type = this.relevantType(members, count);
    if (type === undefined) return this.at(start, () => this.s.parse()); // no type: whole, for plan.ts to refuse
    if (type === null) {
      const moduleAddress = this.member(members, count, "module_address");
      return typeof moduleAddress === "string" ? { module_address: moduleAddress, [SKIMMED]: true } : IRRELEVANT;
    }
    const keep = this.attributes.get(type) ?? null;
    const values = kind === "change" ? "change" : "values";
    const out: Json = {};
    for (let m = 0; m < count; m += 3) {
      const key = this.s.text(members[m], members[m + 1]);
      if (key === "sensitive_values") continue;
      set(out, key, this.at(members[m + 2], key !== values ? () => this.s.parse() : kind === "change" ? () => this.change(keep) : () => this.values(keep)));
    }
    return out;
  }

  private change(keep: ReadonlySet<string> | null): unknown {
    return this.object((key) => {
      if (key === "before" || key === "after") return this.values(keep);
      // plan.ts keeps an unknown path by its first segment; a key may itself hold dots
      if (key === "after_unknown") return this.values(keep && { has: (k: string) => keep.has(k.split(".")[0]) });
      if (key === "actions") return this.s.parse();
      return this.skip();
    });
  }

  /** An object of attribute values with only the attributes in `keep` (all when null). */
  private values(keep: Pick<ReadonlySet<string>, "has"> | null): unknown {
    if (keep === null || this.s.peek() !== 0x7b) return this.s.parse();
    return this.object((key) => (keep.has(key) ? this.s.parse() : this.skip()));
  }

  private module(kind: ResourceKind, depth: number): unknown {
    if (depth > MAX_MODULE_DEPTH) return this.skip();
    return this.object((key) => {
      if (key === "resources") return this.array(() => this.resource(kind));
      if (key === "child_modules") return this.array(() => this.module(kind, depth + 1));
      return this.skip();
    });
  }

  /** A module of `configuration`: its relevant resources, module calls and outputs. */
  private configModule(depth: number): unknown {
    if (depth > MAX_CONFIG_DEPTH) return this.skip();
    return this.object((key) => {
      if (key === "resources") return this.array(() => this.configResource());
      if (key === "module_calls") {
        return this.object(() => this.object((k) => (k === "module" ? this.configModule(depth + 1) : k === "expressions" || k === "for_each_expression" ? this.s.parse() : this.skip())));
      }
      if (key === "outputs") return this.s.parse();
      return this.skip();
    });
  }

  private configResource(): unknown {
    if (this.s.peek() !== 0x7b) return this.s.parse();
    const members = this.offsets;
    const count = this.s.memberOffsets(members);
    const type = this.relevantType(members, count);
    if (type == null) return IRRELEVANT;
    const keep = this.attributes.get(type) ?? null;
    const out: Json = {};
    for (let m = 0; m < count; m += 3) {
      const key = this.s.text(members[m], members[m + 1]);
      if (key === "expressions") set(out, key, this.at(members[m + 2], () => this.values(keep)));
      else if (CONFIG_RESOURCE_KEYS.has(key)) set(out, key, this.at(members[m + 2], () => this.s.parse()));
    }
    return out;
  }

  /**
   * The object's `type` if it is one the rules read (compared as bytes: no string for the others), null
   * for another string, undefined when it has no `type` or a type that is not a string.
   */
  private relevantType(members: number[], count: number): string | null | undefined {
    for (let m = count - 3; m >= 0; m -= 3) {
      // the last `type` counts, as in JSON.parse
      if (this.s.keyIs(members[m], members[m + 1], "type")) return this.s.isString(members[m + 2]) ? this.s.stringIn(members[m + 2], this.typeList) : undefined;
    }
    return undefined;
  }

  /** The value of the last member named `key` (JSON.parse keeps the last of a repeated key). */
  private member(members: number[], count: number, key: string): unknown {
    for (let m = count - 3; m >= 0; m -= 3) {
      if (this.s.keyIs(members[m], members[m + 1], key)) return this.at(members[m + 2], () => this.s.parse());
    }
    return undefined;
  }

  /** Reads the value at `start` with `read`, then returns to where the scan was. */
  private at(start: number, read: () => unknown): unknown {
    const resume = this.s.pos;
    this.s.pos = start;
    try {
      return read();
    } finally {
      this.s.pos = resume;
    }
  }

  /** An object built from the members `read` returns a value for (undefined: left out); not an object: parsed. */
  private object(read: (key: string) => unknown): Json | undefined {
    if (this.s.peek() !== 0x7b) return this.s.parse() as Json;
    const out: Json = {};
    this.s.members((key) => {
      const value = read(key);
      if (value !== undefined) set(out, key, value);
    });
    return out;
  }

  private array(read: () => unknown): unknown[] | Json {
    if (this.s.peek() !== 0x5b) return this.s.parse() as Json;
    const out: unknown[] = [];
    this.s.elements(() => out.push(read()));
    return out;
  }

  private skip(): undefined {
    this.s.skip();
    return undefined;
  }
}

/** An own data property, whatever the key (`__proto__` included), as JSON.parse makes it. */
function set(obj: Json, key: string, value: unknown): void {
  if (value === undefined) return;
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
