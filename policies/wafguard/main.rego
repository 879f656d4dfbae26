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
import data.wafguard.rules.authoring
import data.wafguard.rules.body
import data.wafguard.rules.capacity
import data.wafguard.rules.ip_sets
import data.wafguard.rules.logging
import data.wafguard.rules.managed
import data.wafguard.rules.rate

findings contains with_id(f, "WG101") if some f in managed.wg101

findings contains with_id(f, "WG102") if some f in managed.wg102

findings contains with_id(f, "WG103") if some f in managed.wg103

findings contains with_id(f, "WG104") if some f in managed.wg104

findings contains with_id(f, "WG105") if some f in managed.wg105

findings contains with_id(f, "WG106") if some f in managed.wg106

findings contains with_id(f, "WG107") if some f in managed.wg107

findings contains with_id(f, "WG108") if some f in managed.wg108

findings contains with_id(f, "WG109") if some f in managed.wg109

findings contains with_id(f, "WG111") if some f in managed.wg111

findings contains with_id(f, "WG150") if some f in logging.wg150

findings contains with_id(f, "WG151") if some f in logging.wg151

findings contains with_id(f, "WG152") if some f in logging.wg152

findings contains with_id(f, "WG153") if some f in logging.wg153

findings contains with_id(f, "WG154") if some f in logging.wg154

findings contains with_id(f, "WG155") if some f in logging.wg155

findings contains with_id(f, "WG156") if some f in logging.wg156

findings contains with_id(f, "WG201") if some f in ip_sets.wg201

findings contains with_id(f, "WG202") if some f in ip_sets.wg202

findings contains with_id(f, "WG203") if some f in ip_sets.wg203

findings contains with_id(f, "WG204") if some f in ip_sets.wg204

findings contains with_id(f, "WG205") if some f in ip_sets.wg205

findings contains with_id(f, "WG206") if some f in ip_sets.wg206

findings contains with_id(f, "WG207") if some f in ip_sets.wg207

findings contains with_id(f, "WG208") if some f in ip_sets.wg208

findings contains with_id(f, "WG209") if some f in ip_sets.wg209

findings contains with_id(f, "WG301") if some f in rate.wg301

findings contains with_id(f, "WG302") if some f in rate.wg302

findings contains with_id(f, "WG303") if some f in rate.wg303

findings contains with_id(f, "WG304") if some f in rate.wg304

findings contains with_id(f, "WG501") if some f in body.wg501

findings contains with_id(f, "WG502") if some f in body.wg502

findings contains with_id(f, "WG503") if some f in body.wg503

findings contains with_id(f, "WG504") if some f in body.wg504

findings contains with_id(f, "WG505") if some f in body.wg505

findings contains with_id(f, "WG601") if some f in capacity.wg601

findings contains with_id(f, "WG602") if some f in capacity.wg602

findings contains with_id(f, "WG603") if some f in capacity.wg603

findings contains with_id(f, "WG604") if some f in capacity.wg604

findings contains with_id(f, "WG401") if some f in association.wg401

findings contains with_id(f, "WG402") if some f in association.wg402

findings contains with_id(f, "WG403") if some f in association.wg403

findings contains with_id(f, "WG404") if some f in association.wg404

findings contains with_id(f, "WG405") if some f in association.wg405

findings contains with_id(f, "WG406") if some f in association.wg406

findings contains with_id(f, "WG407") if some f in association.wg407

findings contains with_id(f, "WG408") if some f in association.wg408

findings contains with_id(f, "WG701") if some f in aftermath.wg701

findings contains with_id(f, "WG702") if some f in aftermath.wg702

findings contains with_id(f, "WG801") if some f in authoring.wg801

findings contains with_id(f, "WG802") if some f in authoring.wg802

findings contains with_id(f, "WG803") if some f in authoring.wg803

with_id(f, id) := object.union(f, {"rule": id})
