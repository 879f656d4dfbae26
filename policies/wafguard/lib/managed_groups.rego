# METADATA
# description: |
#   AWS managed rule groups: names, WCUs and the rules in each, checked against
#   the AWS WAF Developer Guide (sources below, read 2026-11). WG101 needs the
#   exact, case-sensitive rule names. Groups whose rules AWS changes without
#   versions (Bot Control, ATP, ACFP, Anti-DDoS) are `open`: a name that is not
#   listed may be new, so WG101 only reports a name that differs from a listed
#   one in letter case. The names of open groups marked `unverified` come from
#   earlier documentation and are only used for that case check.
package wafguard.lib.managed

# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-bot.html
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-atp.html
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-acfp.html
groups := {
	"AWSManagedRulesCommonRuleSet": {"wcu": 700, "open": false, "rules": {
		"NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING",
		"SizeRestrictions_Cookie_HEADER", "SizeRestrictions_BODY", "SizeRestrictions_URIPATH",
		"EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE", "EC2MetaDataSSRF_URIPATH",
		"EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH",
		"GenericLFI_BODY", "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS",
		"GenericRFI_QUERYARGUMENTS", "GenericRFI_BODY", "GenericRFI_URIPATH",
		"CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS", "CrossSiteScripting_BODY",
		"CrossSiteScripting_URIPATH",
	}},
	"AWSManagedRulesAdminProtectionRuleSet": {"wcu": 100, "open": false, "rules": {"AdminProtection_URIPATH"}},
	"AWSManagedRulesKnownBadInputsRuleSet": {"wcu": 200, "open": false, "rules": {
		"JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_BODY", "JavaDeserializationRCE_URIPATH",
		"JavaDeserializationRCE_QUERYSTRING", "Host_localhost_HEADER", "PROPFIND_METHOD",
		"ExploitablePaths_URIPATH", "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY",
		"Log4JRCE_URIPATH", "ReactJSRCE_BODY",
	}},
	"AWSManagedRulesSQLiRuleSet": {"wcu": 200, "open": false, "rules": {
		"SQLi_QUERYARGUMENTS", "SQLiExtendedPatterns_QUERYARGUMENTS", "SQLi_BODY",
		"SQLiExtendedPatterns_BODY", "SQLi_COOKIE", "SQLi_URIPATH",
	}},
	"AWSManagedRulesLinuxRuleSet": {"wcu": 200, "open": false, "rules": {"LFI_URIPATH", "LFI_QUERYSTRING", "LFI_HEADER"}},
	"AWSManagedRulesUnixRuleSet": {"wcu": 100, "open": false, "rules": {
		"UNIXShellCommandsVariables_QUERYSTRING", "UNIXShellCommandsVariables_BODY",
		"UNIXShellCommandsVariables_HEADER",
	}},
	"AWSManagedRulesWindowsRuleSet": {"wcu": 200, "open": false, "rules": {
		"WindowsShellCommands_COOKIE", "WindowsShellCommands_QUERYARGUMENTS", "WindowsShellCommands_BODY",
		"PowerShellCommands_COOKIE", "PowerShellCommands_QUERYARGUMENTS", "PowerShellCommands_BODY",
	}},
	"AWSManagedRulesPHPRuleSet": {"wcu": 100, "open": false, "rules": {
		"PHPHighRiskMethodsVariables_HEADER", "PHPHighRiskMethodsVariables_QUERYSTRING",
		"PHPHighRiskMethodsVariables_BODY",
	}},
	"AWSManagedRulesWordPressRuleSet": {"wcu": 100, "open": false, "rules": {
		"WordPressExploitableCommands_QUERYSTRING", "WordPressExploitablePaths_URIPATH",
	}},
	"AWSManagedRulesAmazonIpReputationList": {"wcu": 25, "open": false, "rules": {
		"AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList",
	}},
	"AWSManagedRulesAnonymousIpList": {"wcu": 50, "open": false, "rules": {"AnonymousIPList", "HostingProviderIPList"}},
	"AWSManagedRulesBotControlRuleSet": {"wcu": 50, "open": true, "rules": {
		"CategoryAdvertising", "CategoryArchiver", "CategoryContentFetcher", "CategoryEmailClient",
		"CategoryHttpLibrary", "CategoryLinkChecker", "CategoryMiscellaneous", "CategoryMonitoring",
		"CategoryScrapingFramework", "CategorySearchEngine", "CategorySecurity", "CategorySeo",
		"CategorySocialMedia", "SignalAutomatedBrowser", "SignalKnownBotDataCenter",
		"SignalNonBrowserUserAgent", "TGT_VolumetricIpTokenAbsent", "TGT_VolumetricSession",
		"TGT_SignalAutomatedBrowser", "TGT_SignalBrowserInconsistency",
		# unverified: later additions
		"CategoryAI", "TGT_TokenReuseIp", "TGT_ML_CoordinatedActivityLow",
		"TGT_ML_CoordinatedActivityMedium", "TGT_ML_CoordinatedActivityHigh",
	}},
	"AWSManagedRulesATPRuleSet": {"wcu": 50, "open": true, "rules": {
		"UnsupportedCognitoIDP", "VolumetricIpHigh", "VolumetricSession", "AttributeCompromisedCredentials",
		"AttributeUsernameTraversal", "AttributePasswordTraversal", "AttributeLongSession", "TokenRejected",
		"SignalMissingCredential", "VolumetricIpFailedLoginResponseHigh",
		"VolumetricSessionFailedLoginResponseHigh",
	}},
	"AWSManagedRulesACFPRuleSet": {"wcu": 50, "open": true, "rules": {
		# unverified
		"UnsupportedCognitoIDP", "AllRequests", "RiskScoreHigh", "SignalCredentialCompromised",
		"SignalClientHumanInteractivityAbsentLow", "AutomatedBrowser", "BrowserInconsistency",
		"VolumetricIpHigh", "VolumetricSessionHigh", "VolumetricPhoneNumberHigh", "VolumetricAddressHigh",
		"VolumetricAddressLow", "VolumetricEmailHigh", "VolumetricEmailLow",
	}},
	"AWSManagedRulesAntiDDoSRuleSet": {"wcu": 50, "open": true, "rules": set()},
}

# The rules of a group whose lower-case form equals `name`'s.
same_but_case(group, name) := {r |
	some r in groups[group].rules
	lower(r) == lower(name)
	r != name
}
