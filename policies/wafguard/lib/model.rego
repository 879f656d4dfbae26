# METADATA
# description: |
#   Helpers over the Model (input): resource lookup, edges, ARN shapes and the
#   association graph between web ACLs and API Gateway stages. Rules read the
#   Model only through these helpers where one fits.
package wafguard.lib

# Resource types some rule reads. The loader keeps only these in the Model, so
# a type that a rule needs must be listed here.
model_types := {
	"aws_api_gateway_deployment",
	"aws_api_gateway_gateway_response",
	"aws_api_gateway_integration",
	"aws_api_gateway_rest_api",
	"aws_api_gateway_stage",
	"aws_apigatewayv2_api",
	"aws_apigatewayv2_stage",
	"aws_cloudfront_distribution",
	"aws_cloudwatch_log_group",
	"aws_kinesis_firehose_delivery_stream",
	"aws_lambda_alias",
	"aws_lambda_function",
	"aws_s3_bucket",
	"aws_wafv2_ip_set",
	"aws_wafv2_regex_pattern_set",
	"aws_wafv2_rule_group",
	"aws_wafv2_web_acl",
	"aws_wafv2_web_acl_association",
	"aws_wafv2_web_acl_logging_configuration",
	"aws_wafv2_web_acl_rule",
	"aws_wafv2_web_acl_rule_group_association",
}

# The attributes of each model type that the Model keeps, beside model_types: the loader drops
# every other attribute (of `values`, `before`, `unknown` and configuration expressions), so a
# rule that reads a new attribute declares it here. "*" keeps the whole object. A type of
# model_types without an entry here is kept whole. test/model-attributes.test.ts fails when a rule
# reads an undeclared attribute (static scan, and the same findings with the whole Model).
# aws_wafv2_* are kept whole: rules and the traffic replay (src/traffic/) read every statement,
# IP set, pattern set, rule group, association_config, default_action, custom_response_body,
# visibility_config, name, scope, arn, and the `before` values of web ACLs.
model_attributes := {
	"aws_api_gateway_deployment": {"rest_api_id", "stage_name"},
	"aws_api_gateway_gateway_response": {"response_type", "rest_api_id", "status_code"},
	"aws_api_gateway_integration": {"rest_api_id", "timeout_milliseconds", "uri"},
	# body: the traffic replay reads an OpenAPI body for the API's routes.
	"aws_api_gateway_rest_api": {"body", "endpoint_configuration", "name"},
	"aws_api_gateway_stage": {"deployment_id", "rest_api_id", "stage_name"},
	"aws_apigatewayv2_api": {"name"},
	"aws_apigatewayv2_stage": {"api_id", "name"},
	"aws_cloudfront_distribution": {"origin"},
	"aws_cloudwatch_log_group": {"name"},
	"aws_kinesis_firehose_delivery_stream": {"name"},
	# function_name: WG603 follows an alias to its function.
	"aws_lambda_alias": {"function_name", "function_version", "name"},
	"aws_lambda_function": {"timeout"},
	"aws_s3_bucket": {"bucket"},
	"aws_wafv2_ip_set": {"*"},
	"aws_wafv2_regex_pattern_set": {"*"},
	"aws_wafv2_rule_group": {"*"},
	"aws_wafv2_web_acl": {"*"},
	"aws_wafv2_web_acl_association": {"*"},
	"aws_wafv2_web_acl_logging_configuration": {"*"},
	"aws_wafv2_web_acl_rule": {"*"},
	"aws_wafv2_web_acl_rule_group_association": {"*"},
}

# Kept for every type: the loader reads the region and the ARNs (value edges), rules read ids.
model_attributes_always := {"arn", "execution_arn", "id", "invoke_arn", "region"}

# Lookups built once per evaluation; rules call the functions below inside loops, so each
# must cost a lookup, not a scan of the Model (edges_out/edges_in are indexed by the loader).
by_address := {r.address: r | some r in input.resources}

by_type := {type: [r | some r in input.resources; r.type == type] | some type in {r.type | some r in input.resources}}

# Managed resources of a type that exist after this plan is applied.
live(type) := [r |
	some r in object.get(by_type, type, [])
	r.mode == "managed"
	r.action != "delete"
]

# Managed resources of a type that this plan deletes.
deleted(type) := [r |
	some r in object.get(by_type, type, [])
	r.mode == "managed"
	r.action == "delete"
]

# Edges out of `from` through `attribute`.
edges_from(from, attribute) := object.get(input.edges_out, [from, attribute], [])

# Resources that `from` points at through `attribute` (by reference or known ARN).
targets(from, attribute) := {by_address[e.to] | some e in edges_from(from, attribute)}

# Resources that point at `to` through `attribute`.
sources(to, attribute) := {by_address[e.from] | some e in object.get(input.edges_in, [to, attribute], [])}

# A number in a message. format_int fails inside Wasm on numbers beyond 64-bit integers (a plan can
# hold 1e308), so those are written as JSON writes them.
format_number(n) := format_int(n, 10) if {
	is_number(n)
	abs(n) < 1000000000000000
} else := json.marshal(n)

# The first element of a nested block (plan JSON gives blocks as arrays).
block(obj, name) := obj[name][0]

is_unknown(r, path) if path in r.unknown

# API Gateway ARN shapes.
rest_stage_arn_pattern := `^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/restapis/[^/]+/stages/[^/]+$`

rest_api_arn_pattern := `^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/restapis/[^/]+/?$`

http_api_arn_pattern := `^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/apis/`

execute_api_arn_pattern := `^arn:aws[a-z-]*:execute-api:`

cloudfront_arn_pattern := `^arn:aws[a-z-]*:cloudfront::`

is_rest_stage_arn(s) if regex.match(rest_stage_arn_pattern, s)

# Region and parts of a REST API stage ARN: arn:aws:apigateway:REGION::/restapis/ID/stages/NAME
stage_arn_parts(s) := {"region": region, "api_id": parts[2], "stage_name": parts[4]} if {
	is_rest_stage_arn(s)
	region := split(s, ":")[3]
	parts := split(split(s, "::")[1], "/")
}

# The web ACL(s) an association points at.
association_acls(a) := targets(a.address, "web_acl_arn")

# REST API stages an association protects: by reference or by known ARN.
association_stages(a) := {s |
	some s in targets(a.address, "resource_arn")
	s.type == "aws_api_gateway_stage"
}

# Live associations that protect a stage.
stage_associations(s) := {a |
	some a in sources(s.address, "resource_arn")
	a.type == "aws_wafv2_web_acl_association"
	a.mode == "managed"
	a.action != "delete"
}

# REST APIs whose id an association's resource_arn is built from (a hand-built stage ARN).
hand_built_api(a) := {api |
	some e in edges_from(a.address, "resource_arn")
	e.to_attribute in {"id", "root_resource_id"}
	api := by_address[e.to]
	api.type == "aws_api_gateway_rest_api"
	api.mode == "managed" # an API read by a data source has its stages elsewhere: nothing to race
}

# The stage name at the end of a hand-built ARN (known value, or HCL template text).
hand_built_stage_name(a) := name if {
	is_string(a.values.resource_arn)
	m := regex.find_all_string_submatch_n(`/stages/([A-Za-z0-9_-]+)$`, a.values.resource_arn, 1)
	name := m[0][1]
}

# A live association builds an ARN from the stage's API and names this stage, or a stage name
# that is not known until apply: it may protect the stage.
maybe_hand_built_for(s) if {
	some a in live("aws_wafv2_web_acl_association")
	stage_rest_api(s) in hand_built_api(a)
	not hand_built_stage_name(a)
}

maybe_hand_built_for(s) if {
	some a in live("aws_wafv2_web_acl_association")
	stage_rest_api(s) in hand_built_api(a)
	hand_built_stage_name(a) == s.values.stage_name
}

# Web ACLs that protect a live REST API stage.
acl_protects_stage(acl) if {
	some a in sources(acl.address, "web_acl_arn")
	a.type == "aws_wafv2_web_acl_association"
	a.action != "delete"
	count(association_stages(a)) > 0
}

# The REST API a stage belongs to. Undefined unless exactly one: a reference to a counted API
# without an instance key (which Terraform refuses) reaches them all and must not make two answers.
stage_rest_api(s) := api if {
	apis := {api |
		some api in targets(s.address, "rest_api_id")
		api.type == "aws_api_gateway_rest_api"
	}
	count(apis) == 1
	some api in apis
}

# A stage of a PRIVATE REST API (WAF is not required there).
stage_is_private(s) if {
	api := stage_rest_api(s)
	"PRIVATE" in block(api.values, "endpoint_configuration").types
}

# The finding object every rule returns: the rule ID comes from the rule's name (see main.rego).
finding(address, message) := {"address": address, "message": message, "related": []}

finding_related(address, message, related) := {"address": address, "message": message, "related": related}

# A .tf resource handed to a module that could not be read (not downloaded): that module may
# associate it, protect it or replace it, so rules do not assume it does nothing with it.
handed_to_unread_module(r) if r.address in object.get(input, "unread_module_references", [])

# A resource that will exist if the plan is applied: not one whose count/for_each (.tf) is unknown.
# Rules that rest on two resources both existing (two associations for one stage) need this.
certain(r) if not r.conditional
