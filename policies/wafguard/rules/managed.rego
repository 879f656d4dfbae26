# METADATA
# description: Managed and custom rules that block legitimate traffic (catalog group A, guide cause 1).
package wafguard.rules.managed

import data.wafguard.lib
import data.wafguard.lib.acl as acls
import data.wafguard.lib.managed

# METADATA
# title: Rule action override names no rule of the managed group
# description: |
#   `rule_action_override` (or the legacy `excluded_rule`) names a rule that the managed rule
#   group does not have. Rule names are case-sensitive: `SizeRestriction_BODY` is not
#   `SizeRestrictions_BODY`. AWS accepts the override and ignores it, so the rule you meant to
#   switch to count keeps blocking, and requests keep getting 403 while the configuration looks
#   fixed.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html
# custom:
#   id: WG101
#   severity: error
#   symptom: "403"
#   cause: 1
#   confirm: |
#     In the WAF logs of a blocked request, terminatingRuleId is the group and
#     terminatingRuleMatchDetails / ruleGroupList names the rule you thought you overrode; or run
#     `aws wafv2 describe-managed-rule-group --vendor-name AWS --name <group> --scope REGIONAL`
#     and compare the Rules[].Name list with your override.
#   fix: |
#     Use the exact rule name from the group's documentation:
#       rule_action_override {
#         name = "SizeRestrictions_BODY"
#         action_to_use { count {} }
#       }
#   why: |
#     AWS matches overrides to rules by exact name; only a name that exists changes that rule's
#     action.
wg101 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	group.vendor_name == "AWS"
	info := managed.groups[group.name]
	some name in overridden_names(group)
	not name in info.rules
	hint := suggestion(group.name, name)
	reportable(info, hint)
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" overrides \"", name, "\", which is not a rule of ", group.name,
		hint, "; AWS ignores the override and the rule keeps its own action",
	]))
}

overridden_names(group) := {o.name | some o in object.get(group, "rule_action_override", [])} | {e.name | some e in object.get(group, "excluded_rule", [])}

suggestion(group, name) := concat("", [" (did you mean \"", concat("\" or \"", sort(managed.same_but_case(group, name))), "\"?)"]) if {
	count(managed.same_but_case(group, name)) > 0
}

suggestion(group, name) := "" if count(managed.same_but_case(group, name)) == 0

# Groups whose rules change without versions: only a letter-case mistake is certain.
reportable(info, _) if not info.open

reportable(info, hint) if {
	info.open
	hint != ""
}

# METADATA
# title: AWS managed rule group that does not exist
# description: |
#   The rule names `vendor_name = "AWS"` with a rule group name that is not one of the AWS
#   managed rule groups (typo, wrong case, or a Marketplace group under the AWS vendor). AWS
#   rejects the web ACL and `terraform apply` fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
# custom:
#   id: WG102
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     `aws wafv2 list-available-managed-rule-groups --scope REGIONAL` does not list the name;
#     apply fails with WAFNonexistentItemException.
#   fix: |
#     managed_rule_group_statement {
#       vendor_name = "AWS"
#       name        = "AWSManagedRulesCommonRuleSet"
#     }
#     (If AWS released the group after this version of wafguard, waive the finding.)
#   why: |
#     Only groups that AWS publishes for the ACL's scope can be referenced.
wg102 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	group.vendor_name == "AWS"
	not managed.groups[group.name]
	close := {g | some g, _ in managed.groups; lower(g) == lower(group.name)}
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" references AWS managed rule group \"", group.name,
		"\", which does not exist", did_you_mean(close),
	]))
}

did_you_mean(close) := concat("", [" (did you mean \"", concat("\", \"", sort(close)), "\"?)"]) if count(close) > 0

did_you_mean(close) := "" if count(close) == 0

# METADATA
# title: Core rule set blocks request bodies over 8 KB
# description: |
#   AWSManagedRulesCommonRuleSet is enforced on a web ACL that protects an API stage, and its
#   SizeRestrictions_BODY rule is neither set to count nor exempted by a scope-down. That rule
#   blocks every request whose body is over 8 KB (8,192 bytes), whatever the body inspection
#   limit: API uploads, batch requests and large JSON documents get 403 from API Gateway.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html
# custom:
#   id: WG103
#   severity: warning
#   symptom: "403"
#   cause: 1
#   confirm: |
#     Blocked requests in the WAF logs or sampled requests show
#     terminatingRuleId = AWSManagedRulesCommonRuleSet with the label
#     awswaf:managed:aws:core-rule-set:SizeRestrictions_Body; they are requests with bodies over
#     8 KB.
#   fix: |
#     Count the rule, and block large bodies only where you do not expect them:
#       managed_rule_group_statement {
#         name        = "AWSManagedRulesCommonRuleSet"
#         vendor_name = "AWS"
#         rule_action_override {
#           name = "SizeRestrictions_BODY"
#           action_to_use { count {} }
#         }
#       }
#     then, in a later rule, block requests labelled
#     awswaf:managed:aws:core-rule-set:SizeRestrictions_Body except on your upload paths.
#   why: |
#     In count the rule still labels oversize bodies, so a label-match rule can block them
#     precisely, while legitimate large requests pass.
wg103 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	acls.blocks_with(entry.rule, "AWSManagedRulesCommonRuleSet", "SizeRestrictions_BODY")
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" enforces AWSManagedRulesCommonRuleSet on an API stage with ",
		"SizeRestrictions_BODY blocking: every request body over 8 KB gets 403",
	]))
}

# METADATA
# title: Core rule set blocks requests without a User-Agent
# description: |
#   AWSManagedRulesCommonRuleSet is enforced on a web ACL that protects an API stage, and its
#   NoUserAgent_HEADER rule is neither set to count nor exempted by a scope-down. API clients
#   often send no User-Agent: SDKs configured to omit it, webhooks, IoT devices, curl with -A ''.
#   Each of their requests gets 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
# custom:
#   id: WG104
#   severity: warning
#   symptom: "403"
#   cause: 1
#   confirm: |
#     Blocked requests carry the label awswaf:managed:aws:core-rule-set:NoUserAgent_Header in the
#     WAF logs; reproduce with `curl -H 'User-Agent:' https://<api>/<stage>/<path>`.
#   fix: |
#     rule_action_override {
#       name = "NoUserAgent_HEADER"
#       action_to_use { count {} }
#     }
#   why: |
#     Counting keeps the label for metrics and later rules while machine clients without a
#     User-Agent pass.
wg104 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	acls.blocks_with(entry.rule, "AWSManagedRulesCommonRuleSet", "NoUserAgent_HEADER")
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" enforces AWSManagedRulesCommonRuleSet on an API stage with ",
		"NoUserAgent_HEADER blocking: clients that send no User-Agent get 403",
	]))
}

# METADATA
# title: Managed rule group enforced with no count phase
# description: |
#   This plan makes a managed rule group start blocking on a web ACL that already serves
#   traffic (or protects a stage that does): the group is added with `override_action { none {} }`,
#   or switched from `count` to `none`. Managed rules block legitimate requests in ways that depend
#   on your traffic; without a period in count mode there is no evidence of what they will block,
#   and the first signal is users getting 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html
# custom:
#   id: WG105
#   severity: warning
#   symptom: "403"
#   cause: 1
#   confirm: |
#     After apply, the group's BlockedRequests CloudWatch metric rises from zero; sampled requests
#     show which of its rules block.
#   fix: |
#     Add the group in count first:
#       override_action { count {} }
#     read the WAF logs (or the CountedRequests metric) for a while, override the rules that hit
#     legitimate traffic, then switch to `none {}`.
#   why: |
#     In count the group labels and counts what it would block without blocking, so you learn
#     its false positives from real traffic before users do.
wg105 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	serves_traffic(acl)
	some entry in acls.rules(acl)
	acls.enforcing(entry.rule)
	group := acls.managed_group(entry.rule)
	not enforced_before(acl, entry, group)
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" starts enforcing ", group.name,
		" in this plan without a count phase",
	]))
}

# An ACL that existed before this plan, or protects a stage that did: real traffic flows.
serves_traffic(acl) if acl.action in {"update", "no-op", "replace"}

serves_traffic(acl) if {
	some a in lib.sources(acl.address, "web_acl_arn")
	a.type == "aws_wafv2_web_acl_association"
	some s in lib.association_stages(a)
	s.action in {"update", "no-op"}
}

enforced_before(acl, entry, group) if {
	entry.origin == "rule"
	some before in acls.prior_rules(acl)
	acls.enforcing(before)
	acls.managed_group(before).name == group.name
}

enforced_before(_, entry, _) if {
	entry.origin != "rule"
	r := lib.by_address[entry.address]
	r.action != "create"
	acls.enforcing(object.get(r, "before", {}))
}

enforced_before(acl, entry, _) if {
	entry.origin == "rule_json"
	acl.action != "create"
	acl.before.rule_json == acl.values.rule_json
}

# METADATA
# title: CAPTCHA or Challenge in front of an API
# description: |
#   A rule on a web ACL that protects an API stage answers with CAPTCHA or Challenge (its
#   action, a `rule_action_override`, or Bot Control enforced, whose targeted rules use them).
#   Those actions expect a browser: an API client gets HTTP 405 with a CAPTCHA page (CAPTCHA) or
#   HTTP 202 with a JavaScript challenge (Challenge) instead of your API's response. A rule (or a
#   group's scope-down) that matches only literal URI paths below "/" (a login page that browsers
#   load) is accepted: that is how AWS recommends using them. Bot Control without `inspection_level`
#   in its managed_rule_group_configs is rejected by AWS (error).
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-bot.html
# custom:
#   id: WG106
#   severity: warning
#   symptom: 405 / 202
#   cause: 1
#   confirm: |
#     API calls answer 405 (CAPTCHA) or 202 (Challenge) with an HTML body; the WAF logs show
#     "action":"CAPTCHA" or "CHALLENGE".
#   fix: |
#     For API traffic, block instead of CAPTCHA/Challenge, or override the action:
#       rule_action_override {
#         name = "TGT_VolumetricSession"
#         action_to_use { block {} }
#       }
#     and use CAPTCHA only on paths that browsers load, with a scope-down.
#   why: |
#     A plain block returns a status code that API clients handle; CAPTCHA and Challenge need a
#     browser to solve them.
wg106 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	action := acls.action(entry.rule)
	action in {"captcha", "challenge"}
	not path_scoped(acls.statement(entry.rule))
	finding := object.union(
		lib.finding(entry.address, concat("", ["rule \"", entry.rule.name, "\" answers API requests with ", upper(action)])),
		{"symptom": symptom_of(action)},
	)
}

wg106 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	some name, action in acls.overrides(acls.managed_group(entry.rule))
	action in {"captcha", "challenge"}
	acls.enforcing(entry.rule)
	not group_path_scoped(acls.managed_group(entry.rule))
	finding := object.union(
		lib.finding(entry.address, concat("", [
			"rule \"", entry.rule.name, "\" overrides ", name, " to ", upper(action), ", which API clients cannot answer",
		])),
		{"symptom": symptom_of(action)},
	)
}

wg106 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	acls.enforcing(entry.rule)
	acls.managed_group(entry.rule).name == "AWSManagedRulesBotControlRuleSet"
	not group_path_scoped(acls.managed_group(entry.rule))
	finding := object.union(
		lib.finding(entry.address, concat("", [
			"rule \"", entry.rule.name, "\" enforces Bot Control on an API stage: its rules block or answer with CAPTCHA/Challenge non-browser clients",
		])),
		{"symptom": "405 / 202"},
	)
}

wg106 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	group.name == "AWSManagedRulesBotControlRuleSet"
	not bot_control_level(group)
	finding := object.union(
		lib.finding(entry.address, concat("", [
			"rule \"", entry.rule.name, "\" uses Bot Control without managed_rule_group_configs { aws_managed_rules_bot_control_rule_set { inspection_level } }",
		])),
		{"severity": "error", "symptom": "apply-failure"},
	)
}

bot_control_level(group) if {
	some config in object.get(group, "managed_rule_group_configs", [])
	some bot in object.get(config, "aws_managed_rules_bot_control_rule_set", [])
	bot.inspection_level in {"COMMON", "TARGETED"}
}

# CAPTCHA or Challenge scoped to paths that browsers load (a login page) is the documented way to
# use them in front of an API: the statement, or one conjunct of an and_statement, matches the URI
# path against a literal path below "/" (every alternative of an or_statement must). No recursion:
# OPA forbids it, and two levels cover `and(or(paths), ...)`.
path_scoped(statement) if path_match(statement)

path_scoped(statement) if paths_or(statement)

path_scoped(statement) if {
	some conjunct in lib.block(statement, "and_statement").statement
	path_match(conjunct)
}

path_scoped(statement) if {
	some conjunct in lib.block(statement, "and_statement").statement
	paths_or(conjunct)
}

group_path_scoped(group) if path_scoped(lib.block(group, "scope_down_statement"))

paths_or(statement) if {
	alternatives := lib.block(statement, "or_statement").statement
	count(alternatives) > 0
	every alternative in alternatives {
		path_match(alternative)
	}
}

# A byte match on the URI path, EXACTLY or STARTS_WITH a path longer than "/".
path_match(statement) if {
	m := lib.block(statement, "byte_match_statement")
	count(object.get(lib.block(m, "field_to_match"), "uri_path", [])) > 0
	m.positional_constraint in {"EXACTLY", "STARTS_WITH"}
	literal_path(m.search_string)
}

# A regex on the URI path anchored at a literal path segment, without alternation.
path_match(statement) if {
	m := lib.block(statement, "regex_match_statement")
	count(object.get(lib.block(m, "field_to_match"), "uri_path", [])) > 0
	regex.match(`^\^/[A-Za-z0-9_~-]`, m.regex_string)
	not contains(m.regex_string, "|")
}

literal_path(s) if {
	startswith(s, "/")
	count(s) > 1
}

symptom_of("captcha") := "405"

symptom_of("challenge") := "202"

# METADATA
# title: A WAF block answers with a 5xx status
# description: |
#   A block action's `custom_response` (on a rule or the default action) uses a 5xx
#   response_code. Clients, load tests and on-call engineers then read WAF blocks as backend
#   failures (the troubleshooting guide's "502 from WAF"): retries multiply the blocked traffic
#   and the investigation starts at the integration instead of the web ACL. A
#   `custom_response_body_key` that names no `custom_response_body` of the ACL is rejected by AWS
#   (error).
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
# custom:
#   id: WG107
#   severity: warning
#   symptom: "502"
#   cause: 1
#   confirm: |
#     The 5xx responses carry your custom body and the WAF logs show "action":"BLOCK" for the same
#     requests; API Gateway's execution logs show no integration call for them.
#   fix: |
#     block {
#       custom_response {
#         response_code            = 403   # or 429 for a rate-based rule
#         custom_response_body_key = "blocked"
#       }
#     }
#   why: |
#     A 4xx tells the client the request was refused and should not be retried as is; 5xx means
#     the server failed.
wg107 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some where in custom_responses(acl)
	to_number(where.response.response_code) >= 500
	finding := lib.finding(where.address, concat("", [
		where.label, " answers blocked requests with ", format_int(to_number(where.response.response_code), 10),
		": clients will take WAF blocks for backend failures",
	]))
}

wg107 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some where in custom_responses(acl)
	key := where.response.custom_response_body_key
	is_string(key)
	key != ""
	not key in {b.key | some b in object.get(acl.values, "custom_response_body", [])}
	finding := object.union(
		lib.finding(where.address, concat("", [
			where.label, " uses custom_response_body_key \"", key, "\", which no custom_response_body of ", acl.address, " defines",
		])),
		{"severity": "error", "symptom": "apply-failure"},
	)
}

# Block custom responses of the ACL: {"address", "label", "response"}.
custom_responses(acl) := {{"address": entry.address, "label": concat("", ["rule \"", entry.rule.name, "\""]), "response": response} |
	some entry in acls.rules(acl)
	some response in object.get(lib.block(lib.block(entry.rule, "action"), "block"), "custom_response", [])
} | {{"address": acl.address, "label": "the default action", "response": response} |
	some response in object.get(lib.block(lib.block(acl.values, "default_action"), "block"), "custom_response", [])
}

# METADATA
# title: Rule with the wrong kind of action for its statement
# description: |
#   A rule that references a rule group (managed or custom) takes `override_action`; every other
#   rule takes `action`. A rule with the other one, or with neither, is rejected by AWS and
#   `terraform apply` fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#rule
# custom:
#   id: WG108
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     Apply fails with WAFInvalidParameterException naming OverrideAction or Action.
#   fix: |
#     For managed_rule_group_statement and rule_group_reference_statement:
#       override_action { none {} }   # or count {}
#     For every other statement:
#       action { block {} }           # or allow, count, captcha, challenge
#   why: |
#     A rule group's rules carry their own actions; the rule that references the group can only
#     keep them (none) or count them.
wg108 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	entry.origin != "aws_wafv2_web_acl_rule_group_association"
	problem := action_problem(entry.rule)
	not actions_unknown(acl, entry)
	finding := lib.finding(entry.address, concat("", ["rule \"", entry.rule.name, "\" ", problem]))
}

# A .tf action block built by `dynamic` blocks whose for_each is known only at plan time: the
# action is there, wafguard cannot see which.
actions_unknown(acl, entry) if {
	entry.address == acl.address
	some path in acl.unknown
	regex.match(`^rule(\.[0-9]+\.(action|override_action)|$)`, path)
}

action_problem(rule) := "references a rule group but sets `action`; use override_action" if {
	acls.takes_override_action(rule)
	acls.action(rule)
}

action_problem(rule) := "references a rule group and sets no override_action" if {
	acls.takes_override_action(rule)
	not acls.action(rule)
	not acls.override(rule)
}

action_problem(rule) := "has a plain statement but sets `override_action`; use action" if {
	not acls.takes_override_action(rule)
	acls.override(rule)
}

action_problem(rule) := "has a plain statement and sets no action" if {
	not acls.takes_override_action(rule)
	not acls.override(rule)
	not acls.action(rule)
	acls.statement(rule)
}

# METADATA
# title: Two rules of one web ACL share a priority
# description: |
#   Rule priorities must be unique within a web ACL, counting inline rules and rules attached as
#   separate resources (aws_wafv2_web_acl_rule, aws_wafv2_web_acl_rule_group_association). AWS
#   rejects the update and `terraform apply` fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
# custom:
#   id: WG109
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     Apply fails with WAFInvalidParameterException about duplicate priorities.
#   fix: |
#     Give every rule its own priority; leave gaps (0, 10, 20...) so rules can be inserted later.
#   why: |
#     WAF evaluates rules in priority order; two rules at one priority have no defined order.
wg109 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	entries := acls.rules(acl)
	some p in {e.rule.priority | some e in entries; is_number(e.rule.priority)}
	names := [rule_label(e) | some e in entries; e.rule.priority == p]
	count(names) > 1
	finding := lib.finding(acl.address, concat("", [
		"has ", format_int(count(names), 10), " rules at priority ", format_int(p, 10), ": ", concat(", ", sort(names)),
	]))
}

rule_label(entry) := concat("", ["\"", entry.rule.name, "\""]) if entry.origin == "rule"

rule_label(entry) := concat("", ["\"", entry.rule.name, "\" (rule_json)"]) if entry.origin == "rule_json"

rule_label(entry) := entry.address if not entry.origin in {"rule", "rule_json"}

# METADATA
# title: Managed rule group pinned to a version
# description: |
#   The managed rule group is pinned with `version`. AWS expires static versions; once the pinned
#   version expires, every update of the web ACL fails until the version is changed, including
#   the emergency override you need while users get 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-managed-rule-groups-versioning.html
# custom:
#   id: WG111
#   severity: info
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     `aws wafv2 list-available-managed-rule-group-versions --vendor-name AWS --name <group>
#     --scope REGIONAL` shows the version's ExpiryTimestamp.
#   fix: |
#     Leave `version` unset to follow the default version, or track expiry notices (the group's
#     SNS topic) and bump the pin before it expires.
#   why: |
#     The default version is updated by AWS and never expires under you.
wg111 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	is_string(group.version)
	group.version != ""
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" pins ", group.name, " to version ", group.version,
		"; when it expires, every update of the web ACL fails",
	]))
}
