# METADATA
# description: Timeouts and capacity (catalog group G, guide cause 6).
package wafguard.rules.capacity

import data.wafguard.lib
import data.wafguard.lib.acl as acls
import data.wafguard.lib.managed

timeout(integration) := object.get(integration.values, "timeout_milliseconds", 29000)

# Undefined unless exactly one, as lib.stage_rest_api.
integration_api(integration) := api if {
	apis := {api |
		some api in lib.targets(integration.address, "rest_api_id")
		api.type == "aws_api_gateway_rest_api"
	}
	count(apis) == 1
	some api in apis
}

# EDGE is the default when endpoint_configuration is omitted.
edge_optimized(api) if "EDGE" in lib.block(api.values, "endpoint_configuration").types

edge_optimized(api) if {
	count(object.get(api.values, "endpoint_configuration", [])) == 0
	not lib.is_unknown(api, "endpoint_configuration")
}

# METADATA
# title: Integration timeout over 29 s on an edge-optimized API
# description: |
#   The integration sets `timeout_milliseconds` above 29,000 on an edge-optimized REST API (the
#   default endpoint type when `endpoint_configuration` is omitted). Only Regional and private
#   REST APIs can raise the integration timeout beyond 29 seconds; the apply fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_integration#timeout_milliseconds
# custom:
#   id: WG601
#   severity: error
#   symptom: apply-failure
#   cause: 6
#   confirm: |
#     Apply fails on aws_api_gateway_integration with BadRequestException about the timeout.
#   fix: |
#     Keep timeout_milliseconds at 29000 or less, or make the API Regional
#     (endpoint_configuration { types = ["REGIONAL"] }) and request the timeout quota increase.
#   why: |
#     The raised integration timeout exists for Regional and private endpoints only.
wg601 contains finding if {
	some integration in lib.live("aws_api_gateway_integration")
	timeout(integration) > 29000
	api := integration_api(integration)
	edge_optimized(api)
	finding := lib.finding_related(
		integration.address, concat("", [
			"sets timeout_milliseconds = ", lib.format_number(timeout(integration)), " on edge-optimized API ", api.address,
			", which allows at most 29000",
		]),
		[api.address],
	)
}

# METADATA
# title: Integration timeout out of range
# description: |
#   `timeout_milliseconds` is below 50 or above 300,000. API Gateway rejects it and the apply
#   fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
# custom:
#   id: WG602
#   severity: error
#   symptom: apply-failure
#   cause: 6
#   confirm: |
#     Apply fails on aws_api_gateway_integration with BadRequestException.
#   fix: |
#     timeout_milliseconds = 29000   # 50 .. 29000, higher only on Regional/private APIs
#   why: |
#     These are the bounds API Gateway accepts for an integration timeout.
wg602 contains finding if {
	some integration in lib.live("aws_api_gateway_integration")
	t := timeout(integration)
	is_number(t)
	not out_of_range_ok(t)
	finding := lib.finding(integration.address, concat("", ["sets timeout_milliseconds = ", lib.format_number(t), "; API Gateway accepts 50 to 300000"]))
}

out_of_range_ok(t) if {
	t >= 50
	t <= 300000
}

# METADATA
# title: Lambda runs longer than the integration waits
# description: |
#   The integration calls a Lambda function whose timeout is longer than the integration timeout
#   (29 s unless set). When the function runs past the integration timeout, API Gateway answers
#   504 while the function keeps running (and keeps billing, and may still commit its work).
#   Clients retry and the work is done twice.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
#   - ref: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
# custom:
#   id: WG603
#   severity: warning
#   symptom: "504"
#   cause: 6
#   confirm: |
#     API Gateway's execution log shows "Execution failed due to a timeout error" with a 504, while
#     the function's log shows the invocation finishing later.
#   fix: |
#     Set the function's timeout at or below the integration's:
#       resource "aws_lambda_function" "handler" { timeout = 29 }
#     and move long work to an asynchronous flow (SQS, Step Functions).
#   why: |
#     With the function's timeout under the integration's, the function fails first and API
#     Gateway returns its error instead of a 504 over work still running.
wg603 contains finding if {
	some integration in lib.live("aws_api_gateway_integration")
	some fn in integration_functions(integration)
	seconds := object.get(fn.values, "timeout", 3)
	is_number(seconds)
	seconds * 1000 > timeout(integration)
	finding := lib.finding_related(
		integration.address, concat("", [
			"waits ", lib.format_number(timeout(integration)), " ms for ", fn.address, ", which may run ",
			lib.format_number(seconds), " s: callers get 504 while it keeps running",
		]),
		[fn.address],
	)
}

# Lambda functions the integration's uri points at: by reference (invoke_arn) or by the function
# ARN inside a literal invocation URI.
integration_functions(integration) := ({fn |
	some fn in lib.targets(integration.address, "uri")
	fn.type == "aws_lambda_function"
} | {fn |
	is_string(integration.values.uri)
	m := regex.find_all_string_submatch_n(`functions/(arn:[^/]+)/invocations`, integration.values.uri, 1)
	some fn in lib.live("aws_lambda_function")
	fn.values.arn == m[0][1]
}) | {fn |
	# an alias (aws_lambda_alias.live.invoke_arn) runs its function with the function's timeout
	some alias in lib.targets(integration.address, "uri")
	alias.type == "aws_lambda_alias"
	some fn in lib.targets(alias.address, "function_name")
	fn.type == "aws_lambda_function"
}

# METADATA
# title: Web ACL capacity above the included or the maximum WCUs
# description: |
#   wafguard estimates the web ACL capacity units (WCUs) of the web ACL's rules: AWS managed
#   groups by their published WCUs, custom rule groups by their capacity, and statements by the
#   documented costs (text transformations and nesting included). Above 1,500 WCUs each request
#   costs more (info); above 5,000 AWS rejects the web ACL (error). This is an estimate: AWS
#   computes the exact number when the ACL is saved.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
# custom:
#   id: WG604
#   severity: info
#   symptom: apply-failure
#   cause: 6
#   confirm: |
#     `aws wafv2 check-capacity --scope REGIONAL --rules file://rules.json` returns the exact WCUs;
#     the console shows the web ACL's capacity.
#   fix: |
#     Remove managed groups the API does not need (WordPress, PHP...), merge byte matches into a
#     regex pattern set, and drop text transformations that do not change the match.
#   why: |
#     Capacity is the sum of the rules' costs; above 1,500 WCUs requests are billed at a higher
#     rate, and 5,000 is the maximum.
wg604 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	not acls.rules_unknown(acl)
	total := sum([rule_wcu(acl, entry.rule) | some entry in acls.rules(acl)])
	total > 1500
	finding := object.union(
		lib.finding(acl.address, concat("", [
			"uses an estimated ", lib.format_number(total), " WCUs (estimate: ", limit_note(total), ")",
		])),
		{"severity": severity_of(total)},
	)
}

severity_of(total) := "error" if total > 5000

severity_of(total) := "info" if total <= 5000

limit_note(total) := "over the maximum of 5,000, AWS rejects the web ACL" if total > 5000

limit_note(total) := "over the 1,500 included in the base price, requests cost more" if total <= 5000

# Every statement inside a rule, nested ones included, is costed once by its own type.
rule_wcu(acl, rule) := sum([cost |
	walk(acls.statement(rule), [_, node])
	is_object(node)
	some kind, blocks in node
	is_array(blocks)
	some block in blocks
	is_object(block)
	cost := statement_cost(acl, kind, block)
])

statement_cost(_, "managed_rule_group_statement", block) := managed.groups[block.name].wcu

statement_cost(acl, "rule_group_reference_statement", block) := capacity if {
	some e in lib.edges_from(acl.address, "rule.statement.rule_group_reference_statement.arn")
	group := lib.by_address[e.to]
	group.values.arn == block.arn
	capacity := group.values.capacity
} else := capacity if {
	some group in lib.live("aws_wafv2_rule_group")
	group.values.arn == block.arn
	capacity := group.values.capacity
} else := 0

statement_cost(_, "rate_based_statement", _) := 2

statement_cost(_, kind, _) := 1 if kind in {"ip_set_reference_statement", "geo_match_statement", "label_match_statement", "asn_match_statement"}

statement_cost(_, "size_constraint_statement", block) := 1 + transformations(block)

statement_cost(_, "byte_match_statement", block) := ((match_base(block) + query_args(block)) + transformations(block)) * json_factor(block)

statement_cost(_, "regex_match_statement", block) := ((3 + query_args(block)) + transformations(block)) * json_factor(block)

statement_cost(_, "regex_pattern_set_reference_statement", block) := ((25 + query_args(block)) + transformations(block)) * json_factor(block)

statement_cost(_, "sqli_match_statement", block) := ((sqli_base(block) + query_args(block)) + transformations(block)) * json_factor(block)

statement_cost(_, "xss_match_statement", block) := ((40 + query_args(block)) + transformations(block)) * json_factor(block)

match_base(block) := 10 if block.positional_constraint in {"CONTAINS", "CONTAINS_WORD"}

match_base(block) := 2 if not block.positional_constraint in {"CONTAINS", "CONTAINS_WORD"}

sqli_base(block) := 30 if block.sensitivity_level == "HIGH"

sqli_base(block) := 20 if not block.sensitivity_level == "HIGH"

# Each text transformation other than NONE adds 10 WCUs.
transformations(block) := 10 * count([t | some t in object.get(block, "text_transformation", []); t.type != "NONE"])

field(block) := f if {
	some f in object.get(block, "field_to_match", [])
} else := {}

query_args(block) := 10 if count(object.get(field(block), "all_query_arguments", [])) > 0

query_args(block) := 0 if count(object.get(field(block), "all_query_arguments", [])) == 0

json_factor(block) := 2 if count(object.get(field(block), "json_body", [])) > 0

json_factor(block) := 1 if count(object.get(field(block), "json_body", [])) == 0
