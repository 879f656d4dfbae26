package wafguard.rules.association_test

import data.wafguard.rules.association
import data.wafguard.testing

# A tiny Model builder: resources and edges by hand.
res(type, name, values) := {
	"address": concat(".", [type, name]), "type": type, "name": name, "mode": "managed",
	"action": "create", "region": "us-east-1", "values": values, "unknown": [],
}

edge(from, attribute, to, to_attribute) := {"from": from, "attribute": attribute, "to": to, "to_attribute": to_attribute, "kind": "reference"}

api := res("aws_api_gateway_rest_api", "orders", {"endpoint_configuration": [{"types": ["REGIONAL"]}]})

stage(name) := res("aws_api_gateway_stage", name, {"stage_name": name})

acl(name, scope) := res("aws_wafv2_web_acl", name, {"scope": scope})

assoc(name) := res("aws_wafv2_web_acl_association", name, {})

stage_edges(name) := [edge(concat(".", ["aws_api_gateway_stage", name]), "rest_api_id", "aws_api_gateway_rest_api.orders", "id")]

protects(a, stage_name, attr) := [
	edge(concat(".", ["aws_wafv2_web_acl_association", a]), "resource_arn", concat(".", ["aws_api_gateway_stage", stage_name]), attr),
	edge(concat(".", ["aws_wafv2_web_acl_association", a]), "web_acl_arn", "aws_wafv2_web_acl.api", "arn"),
]

addresses(findings) := {f.address | some f in findings}

test_wg401_cloudfront_acl_on_stage if {
	model := testing.model([api, stage("prod"), acl("api", "CLOUDFRONT"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	addresses(association.wg401) == {"aws_wafv2_web_acl_association.prod"} with input as model
}

test_wg401_regional_acl_passes if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	count(association.wg401) == 0 with input as model
}

test_wg402_execution_arn if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "execution_arn")))
	addresses(association.wg402) == {"aws_wafv2_web_acl_association.prod"} with input as model
}

test_wg402_literal_http_api_arn if {
	a := res("aws_wafv2_web_acl_association", "http", {"resource_arn": "arn:aws:apigateway:us-east-1::/apis/abc123/stages/$default"})
	addresses(association.wg402) == {"aws_wafv2_web_acl_association.http"} with input as testing.model([a], [])
}

test_wg402_literal_alb_arn_passes if {
	a := res("aws_wafv2_web_acl_association", "alb", {"resource_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"})
	count(association.wg402) == 0 with input as testing.model([a], [])
}

test_wg402_stage_arn_passes if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	count(association.wg402) == 0 with input as model
}

test_wg403_hand_built_unknown_name_is_warning if {
	model := testing.model([api, stage("prod"), assoc("prod")], array.concat(stage_edges("prod"), [edge("aws_wafv2_web_acl_association.prod", "resource_arn", "aws_api_gateway_rest_api.orders", "id")]))
	some f in association.wg403 with input as model
	f.address == "aws_wafv2_web_acl_association.prod"
	not f.severity
}

test_wg403_hand_built_wrong_name_is_error if {
	a := res("aws_wafv2_web_acl_association", "prod", {"resource_arn": "arn:aws:apigateway:us-east-1::/restapis/${aws_api_gateway_rest_api.orders.id}/stages/prd"})
	model := testing.model([api, stage("prod"), a], array.concat(stage_edges("prod"), [edge("aws_wafv2_web_acl_association.prod", "resource_arn", "aws_api_gateway_rest_api.orders", "id")]))
	findings := association.wg403 with input as model
	count(findings) == 1
	some f in findings
	f.severity == "error"
	contains(f.message, "\"prd\"")
}

test_wg403_reference_passes if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	count(association.wg403) == 0 with input as model
}

test_wg404_regions_differ if {
	eu_acl := object.union(acl("api", "REGIONAL"), {"region": "eu-west-1"})
	model := testing.model([api, stage("prod"), eu_acl, assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	addresses(association.wg404) == {"aws_wafv2_web_acl_association.prod"} with input as model
}

test_wg404_unknown_region_passes if {
	no_region := object.union(acl("api", "REGIONAL"), {"region": null})
	model := testing.model([api, stage("prod"), no_region, assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	count(association.wg404) == 0 with input as model
}

test_wg405_two_associations_one_stage if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("a"), assoc("b")], array.concat(stage_edges("prod"), array.concat(protects("a", "prod", "arn"), protects("b", "prod", "arn"))))
	addresses(association.wg405) == {"aws_wafv2_web_acl_association.a", "aws_wafv2_web_acl_association.b"} with input as model
}

test_wg405_ambiguous_edges_are_not_counted if {
	amb := object.union(edge("aws_wafv2_web_acl_association.b", "resource_arn", "aws_api_gateway_stage.prod", "arn"), {"ambiguous": true})
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("a"), assoc("b")], array.concat(stage_edges("prod"), array.concat(protects("a", "prod", "arn"), [amb])))
	count(association.wg405) == 0 with input as model
}

test_wg406_stage_without_association if {
	model := testing.model([api, stage("prod"), stage("staging"), acl("api", "REGIONAL"), assoc("prod")], array.concat(array.concat(stage_edges("prod"), stage_edges("staging")), protects("prod", "prod", "arn")))
	addresses(association.wg406) == {"aws_api_gateway_stage.staging"} with input as model
}

test_wg406_private_api_skipped if {
	private := res("aws_api_gateway_rest_api", "orders", {"endpoint_configuration": [{"types": ["PRIVATE"]}]})
	model := testing.model([private, stage("prod")], stage_edges("prod"))
	count(association.wg406) == 0 with input as model
}

test_wg406_deleted_stage_skipped if {
	gone := object.union(stage("old"), {"action": "delete"})
	model := testing.model([api, gone], stage_edges("old"))
	count(association.wg406) == 0 with input as model
}

test_wg407_acl_without_association if {
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), acl("spare", "REGIONAL"), assoc("prod")], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	addresses(association.wg407) == {"aws_wafv2_web_acl.spare"} with input as model
}

test_wg407_cloudfront_acl_skipped if {
	model := testing.model([acl("edge", "CLOUDFRONT")], [])
	count(association.wg407) == 0 with input as model
}

test_wg408_deleted_association if {
	gone := object.union(assoc("prod"), {"action": "delete"})
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), gone], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	addresses(association.wg408) == {"aws_wafv2_web_acl_association.prod"} with input as model
}

test_wg408_deleted_association_with_replacement_passes if {
	gone := object.union(assoc("old"), {"action": "delete"})
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), gone, assoc("new")], array.concat(stage_edges("prod"), array.concat(protects("old", "prod", "arn"), protects("new", "prod", "arn"))))
	count(association.wg408) == 0 with input as model
}

test_wg408_replaced_stage_keeps_association if {
	replaced := object.union(stage("prod"), {"action": "replace"})
	kept := object.union(assoc("prod"), {"action": "no-op"})
	model := testing.model([api, replaced, acl("api", "REGIONAL"), kept], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	addresses(association.wg408) == {"aws_api_gateway_stage.prod"} with input as model
}

test_wg408_replaced_stage_and_association_passes if {
	replaced := object.union(stage("prod"), {"action": "replace"})
	again := object.union(assoc("prod"), {"action": "replace"})
	model := testing.model([api, replaced, acl("api", "REGIONAL"), again], array.concat(stage_edges("prod"), protects("prod", "prod", "arn")))
	count(association.wg408) == 0 with input as model
}

test_wg403_arn_built_from_a_data_source_api_passes if {
	data_api := object.union(api, {"mode": "data", "address": "data.aws_api_gateway_rest_api.orders", "action": "read"})
	e := edge("aws_wafv2_web_acl_association.prod", "resource_arn", "data.aws_api_gateway_rest_api.orders", "id")
	count(association.wg403) == 0 with input as testing.model([data_api, assoc("prod")], [e])
}

test_wg405_conditional_association_is_not_a_conflict if {
	maybe := object.union(assoc("b"), {"conditional": true})
	model := testing.model([api, stage("prod"), acl("api", "REGIONAL"), assoc("a"), maybe], array.concat(stage_edges("prod"), array.concat(protects("a", "prod", "arn"), protects("b", "prod", "arn"))))
	count(association.wg405) == 0 with input as model
}

test_wg406_stage_handed_to_unread_module if {
	model := object.union(testing.model([api, stage("prod"), stage("staging")], array.concat(stage_edges("prod"), stage_edges("staging"))), {"unread_module_references": ["aws_api_gateway_stage.prod"]})
	addresses(association.wg406) == {"aws_api_gateway_stage.staging"} with input as model
}
