/**
 * What the construct logic needs of a CDK-for-Terraform framework. CDKTF (`cdktf` +
 * `@cdktf/provider-aws`) and its fork CDK Terrain (`cdktn` + `@cdktn/provider-aws`) have the same
 * API under different package names, and an app has only one of them installed: the logic is
 * written once against this interface, and `cdktf.ts` / `cdktn.ts` bind it to the real classes.
 */
import type { Construct, IConstruct } from "constructs";

/** A generated provider resource, as far as the construct uses it. */
export interface ResourceLike extends Construct {
  readonly arn: string;
}

export type ResourceClass = new (scope: Construct, id: string, config: Record<string, unknown>) => ResourceLike;

export interface Framework {
  /** "cdktf" or "cdktn": names the entry point in messages. */
  readonly name: string;
  /** Token.isUnresolved: a value Terraform computes, which validation must pass through. */
  isUnresolved(value: unknown): boolean;
  annotate(scope: IConstruct, level: "error" | "warning" | "info", message: string): void;
  isStack(node: IConstruct): boolean;
  /** The stack's Terraform JSON (`stack.toTerraform()`). */
  toTerraform(stack: IConstruct): Record<string, unknown>;
  /** aws_api_gateway_stage (a REST API stage). */
  isRestStage(value: unknown): value is ResourceLike;
  /** aws_apigatewayv2_stage (HTTP or WebSocket API stage), which WAF cannot protect. */
  isHttpStage(value: unknown): boolean;
  readonly WebAcl: ResourceClass;
  readonly IpSet: ResourceClass;
  readonly Association: ResourceClass;
  readonly LoggingConfiguration: ResourceClass;
  readonly LogGroup: ResourceClass;
}

/** Loads a module of the app's framework, with one clear message when it is not installed. */
export function requireFrom<T>(entry: string, module: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(module) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((e as Error).message).includes(`'${module}'`)) {
      const pkg = module.split("/lib/")[0];
      throw new Error(`wafguard/${entry} needs "${pkg}" in your app: npm install ${pkg}`);
    }
    throw e;
  }
}
