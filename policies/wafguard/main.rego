# METADATA
# description: |
#   The one entrypoint: every finding of every rule, with its rule ID. Each rule
#   is a partial set named after its ID (wg401 in wafguard.rules.<area>) and is
#   listed here. The list is explicit because iterating a package that holds
#   functions (data.wafguard.rules[area][name]) makes OPA's Wasm planner emit
#   invalid code; scripts/extract-rules.mjs checks that no rule is missing.
package wafguard.main

import data.wafguard.rules.aftermath
import data.wafguard.rules.association

findings contains with_id(f, "WG401") if some f in association.wg401

findings contains with_id(f, "WG402") if some f in association.wg402

findings contains with_id(f, "WG403") if some f in association.wg403

findings contains with_id(f, "WG404") if some f in association.wg404

findings contains with_id(f, "WG405") if some f in association.wg405

findings contains with_id(f, "WG406") if some f in association.wg406

findings contains with_id(f, "WG407") if some f in association.wg407

findings contains with_id(f, "WG408") if some f in association.wg408

findings contains with_id(f, "WG701") if some f in aftermath.wg701

with_id(f, id) := object.union(f, {"rule": id})
