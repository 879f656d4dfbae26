/**
 * `wafguard/cdktf`: the construct that ships the fix, and synth-time validation for any stack, for
 * CDKTF 0.20 and 0.21 (`cdktf` with `@cdktf/provider-aws`). CDK Terrain apps import `wafguard/cdktn`.
 */
import type { IAspect } from "cdktf";
import type { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import type { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import type { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import type { Construct } from "constructs";
import { WafguardValidationCore, type WafguardValidationProps } from "./aspect";
import { frameworkOf } from "./bind";
import type { WafProtectedApiProps as Props } from "./props";
import { WafProtectedApiCore } from "./waf-protected-api";

export type { BodyInspectionLimit, CustomRule, CustomRuleAction, RolloutMode, WafException } from "./props";
export type { WafguardValidationProps } from "./aspect";
export type WafProtectedApiProps = Props<ApiGatewayStage>;

const framework = () => frameworkOf("cdktf", "@cdktf/provider-aws");

export class WafProtectedApi extends WafProtectedApiCore {
  declare readonly webAcl?: Wafv2WebAcl;
  declare readonly logGroup?: CloudwatchLogGroup;
  declare readonly loggingConfiguration?: Wafv2WebAclLoggingConfiguration;
  declare readonly associations: Wafv2WebAclAssociation[];
  declare readonly trustedIpSets: { readonly ipv4?: Wafv2IpSet; readonly ipv6?: Wafv2IpSet };

  constructor(scope: Construct, id: string, props: WafProtectedApiProps) {
    super(scope, id, props, framework());
  }
}

/** `Aspects.of(stack).add(new WafguardValidation())` */
export class WafguardValidation extends WafguardValidationCore implements IAspect {
  constructor(props: WafguardValidationProps = {}) {
    super(framework(), props);
  }
}
