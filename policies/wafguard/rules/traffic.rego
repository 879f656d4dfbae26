# METADATA
# description: |
#   Traffic: the change judged against logged requests (catalog group T). The
#   replay of WAF logs through the logged and the planned web ACL (src/traffic/)
#   puts one summary per web ACL into input.traffic; these rules only read it.
package wafguard.rules.traffic

import data.wafguard.lib

# {web ACL address: TrafficSummary}: present only with `check --traffic LOGS`.
summaries := object.get(input, "traffic", {})

# Share of logged requests newly blocked at or above which WG120 is an error (0.1% by default).
block_share := object.get(object.get(input, "options", {}), "traffic-block-share", 0.001)

# METADATA
# title: The change blocks requests the logs show were let through
# description: |
#   Replayed against the web ACL's WAF logs, the planned web ACL blocks (or answers with CAPTCHA or
#   a challenge) logged requests that the logged web ACL let through: typically a managed rule group
#   switched from count to enforce, a new rule, or a narrowed IP set. The finding says which rule
#   and managed sub-rule will block them, on which method and path, and from how many distinct
#   clients. It is an error when the share of logged requests newly blocked is at or above
#   `traffic-block-share` (0.001 = 0.1% by default; `--option traffic-block-share=0.01`), else a
#   warning. Requests the logs cannot judge exactly are not counted here (see WG122).
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
#   - ref: https://repost.aws/knowledge-center/waf-analyze-count-action-rules
# custom:
#   id: WG120
#   severity: error
#   options:
#     traffic-block-share: Share of logged requests newly blocked at or above which WG120 is an error, else a warning (default 0.001)
#   symptom: "403"
#   cause: 1
#   confirm: |
#     In the count-phase logs, the requests listed under the finding carry the rule in
#     ruleGroupList[].nonTerminatingMatchingRules (action COUNT, overriddenAction BLOCK) or in
#     nonTerminatingMatchingRules, while their terminating action was ALLOW. For example, in
#     CloudWatch Logs Insights:
#       fields httpRequest.httpMethod, httpRequest.uri
#       | filter action = "ALLOW" and @message like /"overriddenAction":"BLOCK"/
#       | stats count(*) by httpRequest.httpMethod, httpRequest.uri
#   fix: |
#     Keep the sub-rule that hits legitimate requests in count, and block its label everywhere
#     except where those requests live (AWS's recommended shape):
#       rule_action_override {
#         name = "SizeRestrictions_BODY"
#         action_to_use { count {} }
#       }
#     and, right after the group:
#       rule {
#         name     = "size-restrictions-except-uploads"
#         priority = 11
#         action { block {} }
#         statement {
#           and_statement {
#             statement { label_match_statement { scope = "LABEL", key = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } }
#             statement { not_statement { statement { regex_match_statement {
#               regex_string = "^/prod/orders/[^/]+/attachments$"   # the path as logged: a REST API stage name first
#               field_to_match { uri_path {} }
#               text_transformation { priority = 0, type = "NONE" }
#             } } } }
#           }
#         }
#         visibility_config { ... }
#       }
#     If the requests are attacks after all, waive the finding with a reason.
#   why: |
#     The count phase exists to find these requests before they are blocked; enforcing the group
#     with a scoped exception for them keeps its protection everywhere else and lets exactly the
#     legitimate requests through.
wg120 contains finding if {
	some address, t in summaries
	t.newly_blocked > 0
	finding := object.union(
		lib.finding(address, concat("", [
			"would block ", format_int(t.newly_blocked, 10), " of ", format_int(t.records, 10),
			" logged requests (", percent(t.newly_blocked, t.records), ") that the logged web ACL let through, from ",
			format_int(t.clients, 10), " client", plural(t.clients), top_rule(t.by_rule),
		])),
		{"severity": severity(t), "traffic": {
			"records": t.records, "from": t.from, "to": t.to,
			"newly_blocked": t.newly_blocked, "newly_allowed": t.newly_allowed,
			"uncertain": t.uncertain, "clients": t.clients, "by_rule": t.by_rule,
		}},
	)
}

severity(t) := "error" if t.newly_blocked >= block_share * t.records

else := "warning"

# METADATA
# title: The change lets through requests the logs show were blocked as attacks
# description: |
#   Replayed against the web ACL's WAF logs, the planned web ACL lets through logged requests that
#   the logged web ACL blocked with an attack-signature rule (SQL injection, cross-site scripting,
#   known bad inputs, path traversal, Log4j and the like). An exception or a count override that
#   was meant for a few legitimate requests is wider than its purpose: these requests looked like
#   attacks and will now reach the API.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html
# custom:
#   id: WG121
#   severity: warning
#   symptom: unprotected
#   cause: 1
#   confirm: |
#     In the logs, the requests listed under the finding have action BLOCK and a terminatingRule
#     in ruleGroupList[] such as SQLi_QUERYARGUMENTS or CrossSiteScripting_BODY. Look at their
#     uri and args: are they the legitimate requests the change meant to let through?
#   fix: |
#     Narrow the exception to what the legitimate requests need: count only the one sub-rule
#     (rule_action_override), not the whole group, and scope the label-match rule that replaces
#     it by method and path:
#       rule_action_override {
#         name = "SQLi_BODY"
#         action_to_use { count {} }
#       }
#       # then a rule after the group: block label awswaf:managed:aws:sql-database:SQLi_Body
#       # unless method and uri_path are those of the legitimate requests
#   why: |
#     A scoped exception lets through only the requests that caused the false positive; every
#     other request that matches the signature is still blocked.
wg121 contains finding if {
	some address, t in summaries
	attacks := object.get(t, "newly_allowed_attacks", [])
	count(attacks) > 0
	n := sum([g.requests | some g in attacks])
	finding := object.union(
		lib.finding(address, concat("", [
			"would let through ", format_int(n, 10), " logged request", plural(n),
			" that the logged web ACL blocked with attack-signature rules (",
			concat(", ", [rule_label(g) | some g in attacks]), ")",
		])),
		{"traffic": {"records": t.records, "from": t.from, "to": t.to, "newly_allowed": t.newly_allowed, "by_rule": attacks}},
	)
}

# METADATA
# title: Some logged requests cannot be judged exactly
# description: |
#   For some logged requests the logs cannot say what the planned web ACL will do: the whole
#   managed group was counted (`override_action { count {} }`), so the log records only the first
#   sub-rule that matched and later sub-rules were never evaluated; or the rule inspects what the
#   log does not hold (the request body, a redacted header). These requests are counted as
#   uncertain, not guessed, and are not part of WG120's numbers.
# related_resources:
#   - ref: https://repost.aws/knowledge-center/waf-analyze-count-action-rules
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
# custom:
#   id: WG122
#   severity: info
#   symptom: none
#   cause: 1
#   confirm: |
#     The uncertain requests' records have ruleGroupList[].terminatingRule set with action BLOCK
#     under a group whose override action is COUNT (the whole group counted), or the planned rule
#     inspects the body or a header that the logging configuration redacts.
#   fix: |
#     Run the count phase with the sub-rules counted, not the whole group: every sub-rule that
#     matches is then logged.
#       override_action { none {} }
#       managed_rule_group_statement {
#         name        = "AWSManagedRulesCommonRuleSet"
#         vendor_name = "AWS"
#         rule_action_override {
#           name = "SizeRestrictions_BODY"
#           action_to_use { count {} }
#         }
#         # ... one per sub-rule
#       }
#   why: |
#     With rule action overrides every matching sub-rule is recorded in
#     nonTerminatingMatchingRules, so the replay knows exactly which requests each enforced
#     sub-rule will block.
wg122 contains finding if {
	some address, t in summaries
	t.uncertain > 0
	reasons := object.get(t, "uncertain_by_reason", [])
	finding := object.union(
		lib.finding(address, concat("", [
			"cannot judge ", format_int(t.uncertain, 10), " of ", format_int(t.records, 10),
			" logged requests exactly", reason_list(reasons), how_to_make_exact(reasons),
		])),
		{"traffic": {"records": t.records, "from": t.from, "to": t.to, "uncertain": t.uncertain, "uncertain_by_reason": reasons}},
	)
}

# A group counted as a whole logs only its first matching sub-rule (the evaluator's reason says
# "sub-rules after X were not evaluated"): counting sub-rules instead makes every match visible.
how_to_make_exact(reasons) := "; count the sub-rules (rule_action_override), not the whole group, to make them exact" if {
	some r in reasons
	contains(r.reason, "sub-rules after")
} else := "; wafguard explain WG122 says how to make them exact"

reason_list(reasons) := concat("", [" (", concat(", ", [concat("", [r.reason, ": ", format_int(r.requests, 10)]) | some r in reasons]), ")"]) if {
	count(reasons) > 0
} else := ""

# "; most by rule "common" (SizeRestrictions_BODY): 240 requests"; by_rule is sorted by requests.
top_rule(by_rule) := concat("", ["; most by ", rule_label(by_rule[0])]) if {
	count(by_rule) > 0
} else := ""

rule_label(g) := concat("", ["rule \"", g.rule, "\"", sub_rule(g), ": ", format_int(g.requests, 10)])

sub_rule(g) := concat("", [" (", g.managed_rule, ")"]) if is_string(g.managed_rule)

else := ""

plural(n) := "" if n == 1

else := "s"

# 250 of 10,000 → "2.50%"; below 0.01% → "<0.01%".
percent(n, d) := "<0.01%" if {
	round((n * 10000) / d) == 0
} else := concat("", [format_int(bp / 100, 10), ".", two_digits(bp % 100), "%"]) if {
	bp := round((n * 10000) / d)
}

two_digits(x) := concat("", ["0", format_int(x, 10)]) if x < 10

else := format_int(x, 10)
