/**
 * WafguardValidation: an Aspect that runs wafguard's policy on each synthesized stack and turns
 * findings into annotations on the constructs they are about. Error findings are error
 * annotations, so `cdktf synth` stops before anything is planned.
 *
 *   Aspects.of(stack).add(new WafguardValidation());
 */
import { Annotations, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { checkModel, type CheckOptions } from "../check";
import { applyWaivers, type Waiver } from "../waivers";
import { applySuppressions } from "../suppressions";
import { stackDocumentToModel } from "../load/cdktf";
import { modelTypes, unknownOptionProblem } from "../rules";

export interface WafguardValidationProps {
  /** Only these rule IDs. @default - every rule */
  readonly rules?: string[];
  /** Not these rule IDs. @default - none */
  readonly skipRules?: string[];
  /** Rule options, such as `{ "rate-threshold": 1000 }`. @default - none */
  readonly options?: Record<string, unknown>;
  /** Waivers, as in .wafguard.yml. @default - none */
  readonly waivers?: Waiver[];
}

export class WafguardValidation implements IAspect {
  constructor(private readonly props: WafguardValidationProps = {}) {
    for (const key of Object.keys(props.options ?? {})) {
      const problem = unknownOptionProblem(key);
      if (problem) throw new Error(`WafguardValidation: ${problem}`);
    }
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node;
    const doc = stack.toTerraform() as Record<string, unknown>;
    const { model, resourceCount, suppressions } = stackDocumentToModel(doc, stack.node.path, modelTypes());
    const options: CheckOptions = { rules: this.props.rules, skipRules: this.props.skipRules, options: this.props.options };
    const loaded = { path: stack.node.path, kind: "cdktf" as const, model, resourceCount, suppressions };
    const findings = checkModel(loaded, options);
    // In-source suppressions (WafguardSuppressions) first, then the waivers; stale ones are left to `wafguard check`.
    applySuppressions(findings, loaded, new Set());
    applyWaivers(findings, this.props.waivers ?? []);
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    for (const f of findings) {
      if (f.waived) continue;
      const target = (f.location?.construct && byPath.get(f.location.construct)) || stack;
      const text = `[wafguard ${f.rule}] ${f.address} ${f.message} (symptom: ${f.symptom}). Fix: ${f.fix.split("\n")[0]} Run \`wafguard explain ${f.rule}\` for the full fix.`;
      if (f.severity === "error") Annotations.of(target).addError(text);
      else if (f.severity === "warning") Annotations.of(target).addWarning(text);
      else Annotations.of(target).addInfo(text);
    }
  }
}
