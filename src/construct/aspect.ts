/**
 * WafguardValidation: an Aspect that runs wafguard's policy on each synthesized stack, with the
 * same configuration as the CLI (`.wafguard.yml`), and turns findings into annotations on the
 * constructs they are about. Error findings are error annotations, so synth stops before anything
 * is planned. Annotations are printed by the cdktf/cdktn CLI only, so on a plain `app.synth()`
 * (node main.js, a test) the warnings are also written to stderr.
 */
import type { IConstruct } from "constructs";
import { checkModel, normalizeRuleIds, type Finding } from "../check";
import { applyWaivers, configFromData, readConfig, type Config, type Waiver } from "../waivers";
import { stackDocumentToModel } from "../load/cdktf";
import { modelTypes } from "../rules";
import type { Framework } from "./framework";

export interface WafguardValidationProps {
  /** Only these rule IDs. @default - every rule */
  readonly rules?: string[];
  /** Not these rule IDs. @default - none */
  readonly skipRules?: string[];
  /** Rule options, such as `{ "rate-threshold": 1000 }`; they win over the config file's. @default - the config file's */
  readonly options?: Record<string, unknown>;
  /** Waivers, as in .wafguard.yml, added to the config file's. @default - the config file's */
  readonly waivers?: Waiver[];
  /**
   * The wafguard config file (options and waivers), as `wafguard check --waivers FILE`.
   * @default ".wafguard.yml" in the working directory, if it exists
   */
  readonly configFile?: string;
  /**
   * Also write warnings to stderr. Set false to rely on the annotations only.
   * @default - true, except when the cdktf or cdktn CLI runs the app (it prints the annotations)
   */
  readonly printWarnings?: boolean;
}

export class WafguardValidationCore {
  private readonly config: Config;
  private readonly only?: Set<string>;
  private readonly skip?: Set<string>;

  constructor(
    private readonly fw: Framework,
    private readonly props: WafguardValidationProps = {},
  ) {
    // The same checks as the CLI, at construction: an unknown rule ID, option or waiver key is an
    // error, never ignored.
    const file = readConfig(props.configFile);
    const own = configFromData("WafguardValidation props", { options: props.options ?? {}, waivers: props.waivers ?? [] });
    this.config = { options: { ...file.options, ...own.options }, waivers: [...file.waivers, ...own.waivers] };
    this.only = normalizeRuleIds(props.rules);
    this.skip = normalizeRuleIds(props.skipRules);
  }

  visit(node: IConstruct): void {
    if (!this.fw.isStack(node)) return;
    const stack = node;
    const doc = this.fw.toTerraform(stack);
    const { model, resourceCount } = stackDocumentToModel(doc, stack.node.path, modelTypes());
    const findings = checkModel({ path: stack.node.path, kind: "cdktf", model, resourceCount }, { options: this.config.options }, this.only, this.skip);
    applyWaivers(findings, this.config.waivers);
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    const shown = findings.filter((f) => !f.waived);
    for (const f of shown) {
      const target = (f.location?.construct && byPath.get(f.location.construct)) || stack;
      this.fw.annotate(target, f.severity, annotationText(f));
    }
    const warnings = shown.filter((f) => f.severity === "warning");
    if (warnings.length && (this.props.printWarnings ?? !process.env.CDKTF_OUTDIR)) {
      process.stderr.write(`wafguard: ${warnings.length} warning${warnings.length > 1 ? "s" : ""} in stack ${stack.node.path}\n${warnings.map((f) => `${annotationText(f, f.location?.construct)}\n`).join("")}`);
    }
  }
}

/** The finding with its whole fix (fixes are multi-line HCL; cutting them leaves half a block). */
export function annotationText(f: Finding, construct?: string): string {
  const fix = f.fix.includes("\n") ? `\n${f.fix.replace(/^/gm, "    ")}` : ` ${f.fix}`;
  return `[wafguard ${f.rule}]${construct ? ` [${construct}]` : ""} ${f.address} ${f.message} (symptom: ${f.symptom}).\n  Fix:${fix}\n  More: wafguard explain ${f.rule}`;
}
