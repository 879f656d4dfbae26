# METADATA
# description: Authoring pitfalls of Terraform and CDKTF (catalog group I).
package wafguard.rules.authoring

import data.wafguard.lib
import data.wafguard.lib.acl as acls

# METADATA
# title: CDKTF rule statement written with camelCase keys
# description: |
#   The provider's `statement` of a web ACL rule is untyped in CDKTF (its schema is too deep to
#   generate), so CDKTF copies its keys as written instead of converting them to snake_case. A
#   statement written as `managedRuleGroupStatement` reaches Terraform unchanged and Terraform
#   rejects the argument: `cdktf deploy` fails.
# related_resources:
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#statement
# custom:
#   id: WG801
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     Search cdk.tf.json for "managedRuleGroupStatement" (or any camelCase key under "statement");
#     `terraform plan` in the stack's folder fails with "An argument named ... is not expected here".
#   fix: |
#     Write the statement with the provider's snake_case keys:
#       statement: {
#         managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" },
#       }
#   why: |
#     Terraform's schema for the block only knows snake_case names; CDKTF cannot convert what its
#     bindings do not type.
wg801 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	entry.origin == "rule"
	keys := camel_keys(entry.rule)
	count(keys) > 0
	finding := lib.finding(entry.address, concat("", [
		"rule \"", object.get(entry.rule, "name", "?"), "\" has camelCase keys in its statement (",
		concat(", ", sort(keys)), "); Terraform rejects them",
	]))
}

camel_keys(rule) := {key |
	some statement_key in ["statement", "Statement"]
	statement := rule[statement_key]
	walk(statement, [path, _])
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	regex.match(`^[a-z]+[A-Z][A-Za-z]*$`, key)
}

# METADATA
# title: Rules written in rule_json
# description: |
#   The web ACL's rules are given as `rule_json`. Terraform then sees one opaque string: drift in
#   the rules made outside Terraform is not detected, and plans show a JSON blob instead of which
#   rule changes. wafguard still decodes the JSON and checks its rules with every other rule.
# related_resources:
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#rule_json
# custom:
#   id: WG802
#   severity: info
#   symptom: none
#   cause: 1
#   confirm: |
#     `terraform plan` after a console change to the ACL's rules shows no difference.
#   fix: |
#     Move the rules into `rule` blocks (or a dynamic "rule" block over a local list).
#   why: |
#     Typed rule blocks are compared field by field with the live ACL, so drift and changes show
#     in the plan.
wg802 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	is_string(acl.values.rule_json)
	acl.values.rule_json != ""
	finding := lib.finding(acl.address, "defines its rules in rule_json: Terraform does not detect drift in them")
}

# METADATA
# title: Separate rule resources wiped by the web ACL
# description: |
#   Rules are attached to the web ACL as separate resources (aws_wafv2_web_acl_rule,
#   aws_wafv2_web_acl_rule_group_association) while the aws_wafv2_web_acl itself does not ignore
#   changes to `rule`. On the next apply of the ACL, Terraform sets its rules to the inline list
#   and removes the separately attached ones: the protection they gave disappears silently.
#   Plan JSON does not show `lifecycle`, so this is checked on .tf and CDKTF input, and on a plan
#   whose source files are given.
# related_resources:
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_rule_group_association
# custom:
#   id: WG803
#   severity: warning
#   symptom: unprotected
#   cause: 1
#   confirm: |
#     After an apply that touched the ACL, `aws wafv2 get-web-acl` no longer lists the rule; the
#     next plan wants to create the rule resource again.
#   fix: |
#     resource "aws_wafv2_web_acl" "api" {
#       ...
#       lifecycle { ignore_changes = [rule] }
#     }
#   why: |
#     Ignoring `rule` makes the ACL resource leave rules it does not define alone.
wg803 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	count(acls.separate_rules(acl)) > 0
	is_array(acl.lifecycle.ignore_changes)
	not ignores_rules(acl)
	finding := lib.finding_related(
		acl.address, concat("", [
			"has rules attached as separate resources (",
			concat(", ", sort({r.address | some r in acls.separate_rules(acl)})),
			") but no lifecycle { ignore_changes = [rule] }: its next apply removes them",
		]),
		sort({r.address | some r in acls.separate_rules(acl)}),
	)
}

ignores_rules(acl) if {
	some item in acl.lifecycle.ignore_changes
	item in {"rule", "all"}
}
