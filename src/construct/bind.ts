/**
 * Binds the Framework interface to cdktf or cdktn, loading the framework and its AWS provider
 * package only when a construct is created: `wafguard` and the other entry point never load them.
 */
import type { IConstruct } from "constructs";
import { requireFrom, type Framework, type ResourceClass } from "./framework";

interface CoreModule {
  Token: { isUnresolved(value: unknown): boolean };
  Annotations: { of(scope: IConstruct): { addError(m: string): void; addWarning(m: string): void; addInfo(m: string): void } };
  TerraformStack: { isStack(value: unknown): boolean };
}

const bound = new Map<string, Framework>();

/** `entry`: "cdktf" or "cdktn" (also the core package); `provider`: its AWS provider package. */
export function frameworkOf(entry: string, provider: string): Framework {
  const cached = bound.get(entry);
  if (cached) return cached;
  const core = requireFrom<CoreModule>(entry, entry);
  const aws = (lib: string, name: string) => requireFrom<Record<string, ResourceClass>>(entry, `${provider}/lib/${lib}`)[name];
  const RestStage = aws("api-gateway-stage", "ApiGatewayStage");
  const HttpStage = aws("apigatewayv2-stage", "Apigatewayv2Stage");
  const fw: Framework = {
    name: entry,
    isUnresolved: (value) => core.Token.isUnresolved(value),
    annotate: (scope, level, message) => {
      const a = core.Annotations.of(scope);
      if (level === "error") a.addError(message);
      else if (level === "warning") a.addWarning(message);
      else a.addInfo(message);
    },
    isStack: (node) => core.TerraformStack.isStack(node),
    toTerraform: (stack) => (stack as unknown as { toTerraform(): Record<string, unknown> }).toTerraform(),
    isRestStage: (value): value is InstanceType<ResourceClass> => value instanceof RestStage,
    isHttpStage: (value) => value instanceof HttpStage,
    WebAcl: aws("wafv2-web-acl", "Wafv2WebAcl"),
    IpSet: aws("wafv2-ip-set", "Wafv2IpSet"),
    Association: aws("wafv2-web-acl-association", "Wafv2WebAclAssociation"),
    LoggingConfiguration: aws("wafv2-web-acl-logging-configuration", "Wafv2WebAclLoggingConfiguration"),
    LogGroup: aws("cloudwatch-log-group", "CloudwatchLogGroup"),
  };
  bound.set(entry, fw);
  return fw;
}
