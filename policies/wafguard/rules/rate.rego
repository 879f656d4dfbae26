# METADATA
# description: Rate-based rules (catalog group D, guide cause 3).
package wafguard.rules.rate

import data.wafguard.lib
import data.wafguard.lib.acl as acls

# Rate-based rules of live web ACLs: {"acl", "entry", "rate"}.
rate_rules contains {"acl": acl, "entry": entry, "rate": rate} if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	rate := lib.block(acls.statement(entry.rule), "rate_based_statement")
}

window(rate) := object.get(rate, "evaluation_window_sec", 300)

# Requests per 5 minutes, whatever the window.
per_five_minutes(rate) := (rate.limit * 300) / window(rate)

# The threshold below which an unscoped rate rule is "too strict": a user option.
threshold := object.get(object.get(input, "options", {}), "rate-threshold", 500)

# METADATA
# title: Rate limit far too low for the whole API
# description: |
#   A rate-based rule without a scope-down (or whose scope-down only exempts trusted IP sets)
#   counts every request to the API and blocks a client
#   above fewer requests than the threshold (500 per 5 minutes by default, normalised by the
#   evaluation window; `--option rate-threshold=N` changes it). A single-page app, a mobile app
#   with retries or a partner's batch job reaches such a limit in normal use, and then every
#   request from its address is blocked until the rate falls.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
# custom:
#   id: WG301
#   severity: warning
#   symptom: 403 / 429
#   cause: 3
#   confirm: |
#     The rule's BlockedRequests metric rises at busy times; in the WAF logs, blocked clients show
#     terminatingRuleId = the rate rule, and `aws wafv2 get-rate-based-statement-managed-keys`
#     lists ordinary client addresses.
#   fix: |
#     Size the limit from real traffic (the rule in count mode shows the peak rate per client),
#     or scope the strict limit down to the path that needs it:
#       rate_based_statement {
#         limit                 = 2000
#         evaluation_window_sec = 300
#         aggregate_key_type    = "IP"
#         scope_down_statement { byte_match_statement { ... "/login" ... } }
#       }
#   why: |
#     A limit above the normal peak of one client only catches abuse; a scoped limit protects the
#     endpoint that needs it without throttling the rest.
wg301 contains finding if {
	some r in rate_rules
	not scoped(r.rate)
	acls.action(r.entry.rule) in {"block", "captcha", "challenge"}
	is_number(r.rate.limit)
	per_five_minutes(r.rate) < threshold
	finding := object.union(
		lib.finding(r.entry.address, concat("", [
			"rule \"", r.entry.rule.name, "\" blocks any client above ", format_int(r.rate.limit, 10), " requests per ",
			format_int(window(r.rate), 10), " s on the whole API (below the threshold of ", format_int(threshold, 10), " per 5 minutes)",
		])),
		{"symptom": symptom_of(r.entry.rule)},
	)
}

# A scope-down narrows the limit to part of the traffic, unless it only exempts trusted addresses
# (`not` IP sets, WG303's exemption): everyone else still shares the whole-API limit.
scoped(rate) if {
	some scope in object.get(rate, "scope_down_statement", [])
	not ip_exemption(scope)
}

ip_exemption(statement) if ip_sets_only(lib.block(lib.block(statement, "not_statement"), "statement"))

ip_sets_only(statement) if kinds(statement) == {"ip_set_reference_statement"}

ip_sets_only(statement) if {
	kinds(statement) == {"or_statement"}
	every alternative in lib.block(statement, "or_statement").statement {
		kinds(alternative) == {"ip_set_reference_statement"}
	}
}

# The statement types a statement block holds (plans list every type, most of them empty).
kinds(statement) := {k | some k, v in statement; is_array(v); count(v) > 0} | {k | some k, v in statement; is_object(v)}

symptom_of(rule) := "429" if {
	response := lib.block(lib.block(lib.block(rule, "action"), "block"), "custom_response")
	response.response_code == 429
} else := "403"

# METADATA
# title: Invalid rate-based rule settings
# description: |
#   The rate-based statement has settings AWS rejects, so `terraform apply` fails: a `limit`
#   outside 10 to 2,000,000,000 (the minimum was 100 before August 2024, provider 5.66.0), an
#   `evaluation_window_sec` other than 60, 120, 300 or 600, `FORWARDED_IP` aggregation without
#   `forwarded_ip_config`, `CONSTANT` aggregation without a scope-down statement, or
#   `CUSTOM_KEYS` with no key or more than five.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
# custom:
#   id: WG302
#   severity: error
#   symptom: apply-failure
#   cause: 3
#   confirm: |
#     Apply fails with WAFInvalidParameterException naming Limit, EvaluationWindowSec,
#     ForwardedIPConfig, ScopeDownStatement or CustomKeys.
#   fix: |
#     rate_based_statement {
#       limit                 = 2000     # 10 .. 2,000,000,000
#       evaluation_window_sec = 300      # 60, 120, 300 or 600
#       aggregate_key_type    = "IP"
#     }
#   why: |
#     These are the ranges the WAF API accepts for a rate-based statement.
wg302 contains finding if {
	some r in rate_rules
	some problem in problems(r.rate)
	finding := lib.finding(r.entry.address, concat("", ["rule \"", r.entry.rule.name, "\" ", problem]))
}

problems(rate) := (((({p |
	is_number(rate.limit)
	not rate.limit >= 10
	p := concat("", ["has limit ", format_int(rate.limit, 10), "; the minimum is 10"])
} | {p |
	is_number(rate.limit)
	rate.limit > 2000000000
	p := "has a limit above 2,000,000,000"
}) | {p |
	is_number(rate.evaluation_window_sec)
	not rate.evaluation_window_sec in {60, 120, 300, 600}
	p := concat("", ["has evaluation_window_sec ", format_int(rate.evaluation_window_sec, 10), "; use 60, 120, 300 or 600"])
}) | {p |
	rate.aggregate_key_type == "FORWARDED_IP"
	count(object.get(rate, "forwarded_ip_config", [])) == 0
	p := "aggregates on FORWARDED_IP without forwarded_ip_config"
}) | {p |
	rate.aggregate_key_type == "CONSTANT"
	count(object.get(rate, "scope_down_statement", [])) == 0
	p := "aggregates on CONSTANT without a scope_down_statement"
}) | {p |
	rate.aggregate_key_type == "CUSTOM_KEYS"
	n := count(object.get(rate, "custom_key", []))
	not n in {1, 2, 3, 4, 5}
	p := concat("", ["aggregates on CUSTOM_KEYS with ", format_int(n, 10), " custom keys; use 1 to 5"])
}

# METADATA
# title: Rate rule with no exemption and no 429
# description: |
#   The rate-based rule neither exempts trusted sources (monitoring, your own services, partners
#   behind one NAT) with a scope-down such as `not` an IP set, nor answers with 429. Your own
#   health checks and integrations get throttled with the same 403 as an attacker, and clients
#   cannot tell "slow down" from "forbidden".
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
# custom:
#   id: WG303
#   severity: info
#   symptom: "403"
#   cause: 3
#   confirm: |
#     Your monitoring's source addresses appear among `aws wafv2 get-rate-based-statement-managed-keys`;
#     throttled clients receive 403.
#   fix: |
#     action {
#       block {
#         custom_response { response_code = 429 }
#       }
#     }
#     statement {
#       rate_based_statement {
#         ...
#         scope_down_statement {
#           not_statement { statement { ip_set_reference_statement { arn = aws_wafv2_ip_set.trusted.arn } } }
#         }
#       }
#     }
#   why: |
#     429 tells well-behaved clients to back off and retry; the scope-down keeps trusted sources
#     out of the count.
wg303 contains finding if {
	some r in rate_rules
	acls.action(r.entry.rule) == "block"
	not exempts_trusted(r.rate)
	symptom_of(r.entry.rule) != "429"
	finding := lib.finding(r.entry.address, concat("", [
		"rule \"", r.entry.rule.name, "\" exempts no trusted source and answers throttled clients with 403, not 429",
	]))
}

exempts_trusted(rate) if {
	some scope in object.get(rate, "scope_down_statement", [])
	walk(scope, [path, _])
	some i
	path[i] == "not_statement"
}

# METADATA
# title: Per-IP rate limit behind CloudFront
# description: |
#   A CloudFront distribution in this configuration fronts the REST API, and the API's regional
#   web ACL rate-limits per IP (aggregate_key_type = "IP"). Behind CloudFront, the source IP that
#   the regional ACL sees is a CloudFront edge server's: thousands of users share a handful of
#   addresses, and the limit blocks them all together.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html
# custom:
#   id: WG304
#   severity: warning
#   symptom: "403"
#   cause: 3
#   confirm: |
#     `aws wafv2 get-rate-based-statement-managed-keys` lists CloudFront addresses; blocks come in
#     bursts that hit many unrelated users at once.
#   fix: |
#     Rate-limit on the CloudFront distribution's (CLOUDFRONT-scope) web ACL, or aggregate on the
#     client address CloudFront forwards:
#       aggregate_key_type = "FORWARDED_IP"
#       forwarded_ip_config {
#         header_name       = "X-Forwarded-For"
#         fallback_behavior = "MATCH"
#       }
#   why: |
#     The CloudFront ACL sees each viewer's own address; X-Forwarded-For carries it to the origin.
wg304 contains finding if {
	some r in rate_rules
	object.get(r.rate, "aggregate_key_type", "IP") == "IP"
	some api in protected_apis(r.acl)
	some distribution in fronting_distributions(api)
	finding := lib.finding_related(
		r.entry.address, concat("", [
			"rule \"", r.entry.rule.name, "\" limits per IP, but ", distribution.address, " fronts ", api.address,
			": all its users arrive from CloudFront's addresses",
		]),
		[distribution.address, api.address],
	)
}

protected_apis(acl) := {api |
	some a in lib.sources(acl.address, "web_acl_arn")
	a.type == "aws_wafv2_web_acl_association"
	some s in lib.association_stages(a)
	api := lib.stage_rest_api(s)
}

# Distributions whose origin is the API: by reference (to the API or one of its stages) or by its
# execute-api domain name.
fronting_distributions(api) := {d |
	some d in lib.live("aws_cloudfront_distribution")
	some e in lib.edges_from(d.address, "origin.domain_name")
	target := lib.by_address[e.to]
	api_of(target) == api.address
} | {d |
	some d in lib.live("aws_cloudfront_distribution")
	some origin in object.get(d.values, "origin", [])
	is_string(origin.domain_name)
	is_string(api.values.id)
	startswith(origin.domain_name, concat("", [api.values.id, ".execute-api."]))
}

api_of(target) := target.address if target.type == "aws_api_gateway_rest_api"

api_of(target) := lib.stage_rest_api(target).address if target.type == "aws_api_gateway_stage"
