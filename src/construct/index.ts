/** `wafguard/cdktf`: the construct that ships the fix, and synth-time validation for any stack. */
export { WafProtectedApi, type BodyInspectionLimit, type RolloutMode, type WafProtectedApiProps } from "./waf-protected-api";
export { WafguardValidation, type WafguardValidationProps } from "./aspect";
export { WafguardSuppressions, type WafguardSuppression } from "./suppressions";
