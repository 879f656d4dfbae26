/**
 * Generates a plan JSON of `count` resources in the shape `terraform show -json` writes: mostly types
 * no rule reads (instances, buckets, IAM), plus one API with a web ACL per 200 resources.
 */
import { createWriteStream } from "node:fs";

export async function generatePlan(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write('{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[');
  const configResources: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = resource(i);
    await write((i ? "," : "") + JSON.stringify({ address: `${r.type}.${r.name}`, mode: "managed", type: r.type, name: r.name, provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["create"], before: null, after: r.values, after_unknown: { id: true, arn: true }, before_sensitive: false, after_sensitive: {} } }));
    configResources.push(JSON.stringify({ address: `${r.type}.${r.name}`, mode: "managed", type: r.type, name: r.name, provider_config_key: "aws", expressions: r.expressions, schema_version: 0 }));
  }
  await write('],"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"us-east-1"}}}},"root_module":{"resources":[');
  for (let i = 0; i < configResources.length; i++) await write((i ? "," : "") + configResources[i]);
  await write("]}}}\n");
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

interface Generated {
  type: string;
  name: string;
  values: Record<string, unknown>;
  expressions: Record<string, unknown>;
}

function resource(i: number): Generated {
  const group = Math.floor(i / 200);
  const ref = (target: string, attr: string) => ({ references: [`${target}.${attr}`, target] });
  switch (i % 200) {
    case 0:
      return { type: "aws_api_gateway_rest_api", name: `api_${group}`, values: { name: `api-${group}`, endpoint_configuration: [{ types: ["REGIONAL"] }] }, expressions: {} };
    case 1:
      return { type: "aws_api_gateway_stage", name: `prod_${group}`, values: { stage_name: "prod" }, expressions: { rest_api_id: ref(`aws_api_gateway_rest_api.api_${group}`, "id") } };
    case 2:
      return { type: "aws_wafv2_web_acl", name: `acl_${group}`, values: { name: `acl-${group}`, scope: "REGIONAL", default_action: [{ allow: [{}], block: [] }], rule: [], visibility_config: [{ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "m" }] }, expressions: {} };
    case 3:
      return { type: "aws_wafv2_web_acl_association", name: `assoc_${group}`, values: {}, expressions: { resource_arn: ref(`aws_api_gateway_stage.prod_${group}`, "arn"), web_acl_arn: ref(`aws_wafv2_web_acl.acl_${group}`, "arn") } };
    default: {
      const kinds = ["aws_instance", "aws_iam_role", "aws_security_group", "aws_route53_record"];
      const type = kinds[i % kinds.length];
      return {
        type,
        name: `r${i}`,
        values: { ami: "ami-0abcdef1234567890", instance_type: "t3.micro", tags: { Name: `r${i}`, Team: "platform", CostCenter: "1234" }, user_data: "#!/bin/bash\necho hello world > /tmp/x\n".repeat(4), ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"] }], assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
        expressions: { instance_type: { constant_value: "t3.micro" } },
      };
    }
  }
}
