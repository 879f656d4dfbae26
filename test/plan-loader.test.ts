/** The plan loader: what the Model holds for a plan, and how edges are resolved. */
import { strict as assert } from "node:assert";
import { loadInput } from "../src/load";
import type { Edge, Model } from "../src/model";
import { planFixture, tempFile } from "./helpers";

function model(name: string): Model {
  return loadInput(planFixture(name)).model;
}

function edge(m: Model, from: string, attribute: string): Edge[] {
  return m.edges.filter((e) => e.from === from && e.attribute === attribute);
}

describe("plan loader", () => {
  it("resolves references through module inputs, per module instance", () => {
    const m = model("loader-module-for-each");
    for (const key of ["orders", "users"]) {
      const a = `module.api["${key}"].aws_wafv2_web_acl_association.this`;
      assert.deepEqual(
        edge(m, a, "resource_arn").map((e) => [e.to, e.to_attribute, e.kind]),
        [[`module.api["${key}"].aws_api_gateway_stage.this`, "arn", "reference"]],
      );
      assert.deepEqual(edge(m, a, "web_acl_arn").map((e) => e.to), ["aws_wafv2_web_acl.api"]); // var.acl_arn → root
    }
  });

  it("resolves module outputs to the resource inside the module", () => {
    const m = model("wg406-private-api-and-module");
    const [e] = edge(m, "aws_wafv2_web_acl_association.prod", "resource_arn");
    assert.equal(e.to, "module.api.aws_api_gateway_stage.this");
    assert.equal(e.to_attribute, "arn");
  });

  it("pairs for_each instances by key through each.value", () => {
    const m = model("wg405-for-each-one-per-stage");
    for (const key of ["prod", "staging"]) {
      const edges = edge(m, `aws_wafv2_web_acl_association.per_stage["${key}"]`, "resource_arn");
      assert.deepEqual(edges.map((e) => [e.to, e.ambiguous]), [[`aws_api_gateway_stage.s["${key}"]`, undefined]]);
    }
  });

  it("pairs each.value of a map of resources by key and resource name", () => {
    const m = loadInput("examples/fixed/plan.json").model;
    for (const key of ["prod", "staging"]) {
      const edges = edge(m, `aws_wafv2_web_acl_association.stage["${key}"]`, "resource_arn");
      assert.deepEqual(edges.map((e) => [e.to, e.ambiguous]), [[`aws_api_gateway_stage.${key}`, undefined]]);
    }
  });

  it("takes the region from the provider alias", () => {
    const m = model("loader-module-for-each");
    const eu = m.resources.find((r) => r.address === "aws_wafv2_web_acl.eu");
    assert.equal(eu?.region, "eu-west-1");
    assert.equal(eu?.provider, "aws.eu");
    assert.equal(m.resources.find((r) => r.address === "aws_wafv2_web_acl.api")?.region, "us-east-1");
  });

  it("keeps data sources apart and only the types rules read", () => {
    const loaded = loadInput(planFixture("loader-module-for-each"));
    const data = loaded.model.resources.find((r) => r.mode === "data");
    assert.equal(data?.address, "data.aws_api_gateway_rest_api.legacy");
    assert.equal(data?.action, "read");
    const plan = JSON.parse(JSON.stringify(require(planFixture("loader-module-for-each"))));
    plan.resource_changes.push({ address: "aws_instance.web", mode: "managed", type: "aws_instance", name: "web", change: { actions: ["create"], after: {}, after_unknown: {} } });
    const withInstance = loadInput(tempFile("plan.json", JSON.stringify(plan)));
    assert.equal(withInstance.resourceCount, loaded.resourceCount + 1);
    assert.ok(!withInstance.model.resources.some((r) => r.type === "aws_instance"));
  });

  it("marks unknown values and maps actions, keeping before values", () => {
    const m = model("wg408-stage-replaced");
    const stage = m.resources.find((r) => r.type === "aws_api_gateway_stage");
    assert.equal(stage?.action, "replace");
    assert.ok(stage?.unknown.includes("deployment_id"));
    assert.equal((stage?.before as Record<string, unknown>).stage_name, "prod");
  });

  it("links a deleted resource by its known ARN (value edge)", () => {
    const m = model("wg408-association-deleted");
    const a = m.resources.find((r) => r.type === "aws_wafv2_web_acl_association");
    assert.equal(a?.action, "delete");
    assert.equal(a?.values.resource_arn, "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod");
    assert.deepEqual(edge(m, a!.address, "resource_arn").map((e) => [e.to, e.kind]), [["aws_api_gateway_stage.prod", "value"]]);
  });

  it("reads data sources from prior_state, with their known values", () => {
    const m = model("loader-prior-state-data");
    const data = m.resources.find((r) => r.address === "data.aws_api_gateway_rest_api.legacy");
    assert.equal(data?.mode, "data");
    assert.equal(data?.values.id, "zz99yy88xx");
    assert.deepEqual(edge(m, "aws_wafv2_web_acl_association.live", "resource_arn").map((e) => e.to), ["data.aws_api_gateway_rest_api.legacy"]);
  });

  it("reads a plan without resource_changes from planned_values", () => {
    const plan = require(planFixture("wg401-regional-acl"));
    const { resource_changes: _, ...rest } = plan;
    const m = loadInput(tempFile("plan.json", JSON.stringify(rest))).model;
    assert.equal(m.resources.length, 4);
    assert.ok(m.resources.every((r) => r.action === "no-op"));
  });

  it("reads a file with a UTF-8 byte order mark", () => {
    const text = "\ufeff" + JSON.stringify(require(planFixture("wg401-regional-acl")));
    assert.equal(loadInput(tempFile("plan.json", text)).model.resources.length, 4);
  });

  it("accepts plan format versions 0.1, 0.2 and 1.0 to 1.x", () => {
    for (const v of ["0.1", "0.2", "1.0", "1.1", "1.2", "1.9"]) {
      const plan = { ...require(planFixture("wg401-regional-acl")), format_version: v };
      assert.equal(loadInput(tempFile("plan.json", JSON.stringify(plan))).model.resources.length, 4, v);
    }
  });

  it("does not let __proto__ keys in a plan pollute prototypes", () => {
    const text = JSON.stringify(require(planFixture("wg401-regional-acl"))).replace('"values"', '"__proto__":{"polluted":true},"values"');
    loadInput(tempFile("plan.json", text));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
