variable "name" {
  description = "Name of the web ACL; also names the log group (aws-waf-logs-<name>) and IP sets."
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
    condition     = alltrue([for arn in values(var.stage_arns) : !can(regex(":apigateway:[^:]*::/apis/", arn)) && !can(regex("^arn:[^:]+:execute-api:", arn))])
    error_message = "stage_arns must be REST API stage ARNs (arn:aws:apigateway:REGION::/restapis/ID/stages/NAME): WAF cannot protect HTTP APIs, and an execute-api ARN is not a stage ARN."
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
    condition     = alltrue([for c in var.trusted_cidrs : can(cidrhost(c, 0)) && try(cidrsubnet(c, 0, 0) == c, false) && !endswith(c, "/0")])
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

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "enable_sqli" {
  description = "Add AWSManagedRulesSQLiRuleSet (200 WCUs)."
  type        = bool
  default     = false
}

variable "enable_bot_control" {
  description = "Add Bot Control at the COMMON inspection level (extra cost; blocks unverified bots and HTTP libraries, so check your API clients first)."
  type        = bool
  default     = false
}

variable "captcha_paths" {
  description = "URI path prefixes that browsers load (a login page) to answer with CAPTCHA. API clients cannot solve CAPTCHA (they get 405): never list API paths."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
