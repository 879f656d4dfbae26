/** The help of `wafguard logs`, apart from the command so that `wafguard --help` does not load it. */
export const LOGS_USAGE = `Options for logs (wafguard logs LOGS... [--plan PLAN | --source DIR]):
  --plan PLAN                     The plan JSON of the web ACL that wrote the logs (its \`before\`)
  --source DIR                    Its .tf directory or cdktf.out (with --plan: the .tf files, for file and line)
  --format text|json|markdown     Output format (default: text)
  --diff                          Print only the exceptions as a unified diff of the .tf file (for git apply)
  --exception-mode block|count    Write the new rules in count first (default: block)
  --pattern N                     Put pattern N's exception in the combined change and --diff (repeatable;
                                  default: every verified pattern without a scanner or attack signal)
  --output FILE                   Write to FILE instead of stdout
  Exit status of logs: 0 when it ran, 2 on bad input.`;
