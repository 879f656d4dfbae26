/**
 * Generates a plan JSON of `count` resources in the shape `terraform show -json` writes: mostly types
 * no rule reads (instances, buckets, IAM), plus one API with a web ACL per 200 resources.
 * The "lambda" shape makes a fifth of the resources Lambda functions with large tags, environment
 * and IAM policies beside them (a common shape, about 12 KB a resource: 8,000 make 100 MB).
 */
import { createWriteStream } from "node:fs";

export type PlanShape = "mixed" | "lambda";

export async function generatePlan(path: string, count: number, shape: PlanShape = "mixed"): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write('{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[');
  const configResources: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = shape === "lambda" ? lambdaHeavy(i) : resource(i);
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

/** A fifth Lambda functions (relevant, large), a fifth IAM policies, the rest instances; one API per 200. */
function lambdaHeavy(i: number): Generated {
  if (i % 200 < 4) return resource(i);
  const tags: Record<string, string> = {};
  for (let t = 0; t < 30; t++) tags[`tag-${t}`] = `value ${t} of resource ${i}: owner team-${t % 7}, cost centre ${1000 + t}`;
  switch (i % 5) {
    case 0: {
      const variables: Record<string, string> = {};
      for (let v = 0; v < 60; v++) variables[`SETTING_${v}`] = `https://service-${v}.internal.example.com/api/v2/resource?id=${i}&token=${"x".repeat(120)}`;
      const values = {
        function_name: `fn-${i}`, runtime: "nodejs20.x", handler: "index.handler", memory_size: 512, timeout: 30,
        role: `arn:aws:iam::123456789012:role/fn-${i}`, environment: [{ variables }], tags, tags_all: tags,
        vpc_config: [{ subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], security_group_ids: ["sg-0123456789abcdef0"] }],
        layers: ["arn:aws:lambda:us-east-1:123456789012:layer:shared:42"], tracing_config: [{ mode: "Active" }],
      };
      return { type: "aws_lambda_function", name: `fn_${i}`, values, expressions: { function_name: { constant_value: `fn-${i}` }, environment: [{ variables: { constant_value: variables } }], tags: { constant_value: tags } } };
    }
    case 1: {
      const statements = Array.from({ length: 25 }, (_, k) => ({ Sid: `S${k}`, Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "dynamodb:Query", "sqs:SendMessage"], Resource: [`arn:aws:s3:::bucket-${i}-${k}/*`, `arn:aws:dynamodb:us-east-1:123456789012:table/t-${k}`] }));
      const policy = JSON.stringify({ Version: "2012-10-17", Statement: statements });
      return { type: "aws_iam_policy", name: `p${i}`, values: { name: `p-${i}`, policy, tags, tags_all: tags }, expressions: { policy: { constant_value: policy } } };
    }
    default: {
      const r = resource(i);
      return { ...r, values: { ...r.values, tags, tags_all: tags } };
    }
  }
}
