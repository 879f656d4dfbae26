variable "name" {
  description = "Name of the web ACL; also names the log group (aws-waf-logs-<name>) and IP sets. Unique per account and region: include the environment."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.name))
    error_message = "name must be 1 to 100 letters, digits, hyphens or underscores."
  }
}

variable "stage_arns" {
  description = "REST API stages to protect, as a map of any key to the stage's arn attribute (aws_api_gateway_stage.<name>.arn). One association per stage. A map, so that its keys are known at plan time."
  type        = map(string)
  validation {
    condition     = length(var.stage_arns) > 0
    error_message = "stage_arns must name at least one REST API stage."
  }
  validation {
    condition     = alltrue([for arn in values(var.stage_arns) : can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/restapis/[^/]+/stages/[^/]+$", arn))])
    error_message = "stage_arns must be REST API stage ARNs (arn:aws:apigateway:REGION::/restapis/ID/stages/NAME): WAF cannot protect HTTP APIs (/apis/), and an execute-api ARN is not a stage ARN."
  }
}

variable "existing_web_acl_arn" {
  description = "ARN of a REGIONAL web ACL managed elsewhere: only the associations are created, and the inputs that shape a web ACL are ignored. Empty: the module creates the web ACL."
  type        = string
  default     = ""
  validation {
    condition     = var.existing_web_acl_arn == "" || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/[A-Za-z0-9_-]+/[A-Za-z0-9-]+$", var.existing_web_acl_arn))
    error_message = "existing_web_acl_arn must be a REGIONAL web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)."
  }
}

variable "mode" {
  description = "count: managed rule groups only count (roll out, read the logs first); enforce: they block."
  type        = string
  default     = "count"
  validation {
    condition     = contains(["count", "enforce"], var.mode)
    error_message = "mode must be \"count\" or \"enforce\"."
  }
}

variable "counted_groups" {
  description = "Managed rule groups that stay in count when mode is enforce (a group added later starts its own count phase)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for g in var.counted_groups : contains(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesBotControlRuleSet"], g)])
    error_message = "counted_groups must name rule groups of this module: AWSManagedRulesAmazonIpReputationList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesBotControlRuleSet."
  }
}

variable "counted_rules" {
  description = "Sub-rules to count, per managed rule group: { AWSManagedRulesCommonRuleSet = [\"CrossSiteScripting_BODY\"] }. CommonRuleSet's SizeRestrictions_BODY and NoUserAgent_HEADER are always counted."
  type        = map(list(string))
  default     = {}
  validation {
    condition     = alltrue([for g in keys(var.counted_rules) : contains(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesBotControlRuleSet"], g)])
    error_message = "counted_rules keys must be rule groups of this module (AWSManagedRulesCommonRuleSet, ...)."
  }
  validation {
    condition     = alltrue([for rules in values(var.counted_rules) : alltrue([for r in rules : can(regex("^[A-Za-z0-9_-]{1,128}$", r))])])
    error_message = "counted_rules values must be rule names (letters, digits, _ and -), such as SizeRestrictions_BODY."
  }
}

variable "exceptions" {
  description = "Scoped exceptions, as `wafguard logs` writes them: the sub-rule is counted, and a rule right after its group blocks requests with the sub-rule's label except on the route (and method). path is a route template: \"/orders/{id}/attachments\"; {name} is one segment, {proxy+} the rest."
  type = list(object({
    rule_group = string
    rule       = string
    label      = string
    method     = optional(string)
    path       = string
  }))
  default = []
  validation {
    condition     = alltrue([for e in var.exceptions : contains(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesBotControlRuleSet"], e.rule_group)])
    error_message = "exceptions[*].rule_group must be a rule group of this module (AWSManagedRulesCommonRuleSet, ...)."
  }
  validation {
    condition     = alltrue([for e in var.exceptions : can(regex("^[A-Za-z0-9_-]{1,128}$", e.rule)) && can(regex("^awswaf:[A-Za-z0-9:_.-]+$", e.label))])
    error_message = "exceptions[*].rule must be a rule name, and label a WAF label (awswaf:managed:aws:core-rule-set:SizeRestrictions_Body)."
  }
  validation {
    condition     = alltrue([for e in var.exceptions : e.method == null || can(regex("^[A-Z]{3,10}$", coalesce(e.method, "-")))])
    error_message = "exceptions[*].method must be an HTTP method in upper case, such as POST."
  }
  validation {
    condition     = alltrue([for e in var.exceptions : can(regex("^/([A-Za-z0-9._~!$&'()*+,;=:@%-]+|\\{[A-Za-z0-9_]+\\+?\\})?(/([A-Za-z0-9._~!$&'()*+,;=:@%-]+|\\{[A-Za-z0-9_]+\\+?\\}))*$", e.path))])
    error_message = "exceptions[*].path must be a route template such as \"/orders/{id}/attachments\"."
  }
  validation {
    condition     = length(distinct([for e in var.exceptions : e.label])) <= 9
    error_message = "exceptions: at most 9 distinct labels (each gets a rule right after its group's priority)."
  }
}

variable "rules" {
  description = "Your rules, after the rate rule and before the managed groups, in order. statement holds one of ip_set_reference_statement { arn }, geo_match_statement { country_codes }, label_match_statement { scope, key } or byte_match_statement { search_string, positional_constraint, field_to_match { uri_path | method | single_header { name } } }, with snake_case keys as in the construct."
  type = list(object({
    name      = string
    action    = string
    statement = any
  }))
  default = []
  validation {
    condition     = length(var.rules) <= 9
    error_message = "rules: at most 9 (priorities 1 to 9, between the rate rule and the managed groups)."
  }
  validation {
    condition     = alltrue([for r in var.rules : can(regex("^[A-Za-z0-9_-]{1,128}$", r.name)) && !contains(["rate-per-ip", "ip-reputation", "common", "known-bad-inputs", "sqli", "bot-control", "captcha-browser-paths"], r.name)])
    error_message = "rules[*].name must be 1 to 128 letters, digits, - or _, and not a rule name of this module."
  }
  validation {
    condition     = alltrue([for r in var.rules : contains(["allow", "block", "count", "captcha", "challenge"], r.action)])
    error_message = "rules[*].action must be allow, block, count, captcha or challenge."
  }
  validation {
    condition     = alltrue([for r in var.rules : can(keys(r.statement)) && try(length(keys(r.statement)) == 1 && contains(["ip_set_reference_statement", "geo_match_statement", "label_match_statement", "byte_match_statement"], keys(r.statement)[0]), false)])
    error_message = "rules[*].statement must hold exactly one of ip_set_reference_statement, geo_match_statement, label_match_statement, byte_match_statement (snake_case keys)."
  }
}

variable "rate_limit" {
  description = "Requests per 5 minutes per client IP before the rate rule answers 429."
  type        = number
  default     = 2000
  validation {
    condition     = var.rate_limit >= 10 && var.rate_limit <= 2000000000 && floor(var.rate_limit) == var.rate_limit
    error_message = "rate_limit must be a whole number from 10 to 2,000,000,000."
  }
}

variable "trusted_cidrs" {
  description = "IPv4 and IPv6 CIDR ranges exempt from the rate limit (monitoring, office egress, partners)."
  type        = list(string)
  default     = []
  validation {
    # Host bits: the network address must equal the address as written, both normalized by
    # cidrhost (so 2001:DB8::/32 and 2001:db8:0::/48 are accepted).
    condition = alltrue([for c in var.trusted_cidrs :
      can(cidrhost(c, 0)) && !endswith(c, "/0") &&
      try(cidrhost(c, 0) == cidrhost("${split("/", c)[0]}/${strcontains(c, ":") ? 128 : 32}", 0), false)
    ])
    error_message = "trusted_cidrs must be CIDR ranges without host bits (203.0.113.0/24, not 203.0.113.45/24; a single host is /32 or /128), and not /0."
  }
}

variable "body_inspection_limit" {
  description = "How much of a request body WAF inspects for API Gateway. The Core rule set still treats bodies over 8 KB as oversize (its SizeRestrictions_BODY rule is counted here)."
  type        = string
  default     = "KB_16"
  validation {
    condition     = contains(["KB_16", "KB_32", "KB_48", "KB_64"], var.body_inspection_limit)
    error_message = "body_inspection_limit must be KB_16, KB_32, KB_48 or KB_64."
  }
}

variable "log_destination_arn" {
  description = "ARN of your own log destination: a CloudWatch log group, S3 bucket or Data Firehose stream whose name starts with aws-waf-logs-. Empty: the module creates a log group."
  type        = string
  default     = ""
  validation {
    condition = var.log_destination_arn == "" || anytrue([
      can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:aws-waf-logs-[^:]+(:\\*)?$", var.log_destination_arn)),
      can(regex("^arn:aws[a-z-]*:s3:::aws-waf-logs-[a-z0-9.-]+(/.*)?$", var.log_destination_arn)),
      can(regex("^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/aws-waf-logs-[A-Za-z0-9_.-]+$", var.log_destination_arn)),
    ])
    error_message = "log_destination_arn must be the ARN of a CloudWatch log group, S3 bucket or Data Firehose stream whose name starts with aws-waf-logs- (AWS WAF delivers to no other)."
  }
}

variable "log_retention_days" {
  description = "Retention of the log group the module creates."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN that encrypts the log group the module creates (its key policy must allow CloudWatch Logs). Empty: CloudWatch Logs' own encryption."
  type        = string
  default     = ""
  validation {
    condition     = var.log_kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "enable_sqli" {
  description = "Add AWSManagedRulesSQLiRuleSet (200 WCUs)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_bot_control" {
  description = "Add Bot Control at the COMMON inspection level (extra cost; blocks unverified bots and HTTP libraries, so check your API clients first)."
  type        = bool
  default     = false
  nullable    = false
}

variable "captcha_paths" {
  description = "URI path prefixes that browsers load (a login page) to answer with CAPTCHA, such as \"/login\". API clients cannot solve CAPTCHA (they get 405): never list API paths. \"/\" is the whole API and is rejected."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for p in var.captcha_paths : can(regex("^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$", p))])
    error_message = "captcha_paths must be URI paths below the root, such as \"/login\" (\"/\" or \"\" would put CAPTCHA on the whole API)."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
