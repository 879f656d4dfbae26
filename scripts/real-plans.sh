#!/usr/bin/env bash
# Plans of the repository's own configurations made by the real thing: the pinned OpenTofu
# (.tools/bin/tofu, scripts/build-tofu.sh) with the real AWS provider, offline. `tofu plan` of resources
# to be created calls no AWS API once credentials, account and region checks are skipped, so fake
# credentials do; the provider comes from a filesystem mirror (AWS_PROVIDER_MIRROR, default
# /opt/tf-plugins: registry.terraform.io/hashicorp/aws/VERSION/linux_amd64/). The plans are committed
# in test/fixtures/real-plans (what `tofu show -json` printed) and test/real-plans.test.ts holds the .tf
# loader and the rules to them; it also runs this script again, where the mirror exists, to catch drift.
#   bash scripts/real-plans.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/test/fixtures/real-plans}" && cd "${1:-$root/test/fixtures/real-plans}" && pwd)"
mirror="${AWS_PROVIDER_MIRROR:-/opt/tf-plugins}"
tofu="$root/.tools/bin/tofu"
[ -x "$tofu" ] || { echo "real-plans: $tofu is missing (bash scripts/build-tofu.sh)" >&2; exit 1; }
[ -d "$mirror/registry.terraform.io/hashicorp/aws" ] || { echo "real-plans: no AWS provider in $mirror (set AWS_PROVIDER_MIRROR)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 NO_COLOR=1 CHECKPOINT_DISABLE=1

# The provider settings that keep `tofu plan` offline. Where the configuration has its own provider
# block they go into an override file (merged into that block); otherwise into a plain file.
offline='  access_key                  = "offline-plan"
  secret_key                  = "offline-plan"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true'
# OpenTofu reads "hashicorp/aws" as registry.opentofu.org; the mirror, like Terraform, has registry.terraform.io.
source_pin='terraform {
  required_providers {
    aws = {
      source = "registry.terraform.io/hashicorp/aws"
    }
  }
}'

# plan NAME DIR: DIR (a copy) is planned and its JSON plan written to OUT/NAME.json.
plan() {
  local name="$1" dir="$2"
  if grep -qs '^provider "aws"' "$dir"/*.tf; then
    printf 'provider "aws" {\n%s\n}\n\n%s\n' "$offline" "$source_pin" >"$dir/wafguard_offline_override.tf"
  else
    printf 'provider "aws" {\n  region = "us-east-1"\n%s\n}\n\n%s\n' "$offline" "$source_pin" >"$dir/wafguard_offline.tf"
  fi
  (
    cd "$dir"
    "$tofu" init -backend=false -input=false -plugin-dir="$mirror" >"$work/$name.log" 2>&1 &&
      "$tofu" plan -input=false -lock=false -refresh=false -out=tfplan >>"$work/$name.log" 2>&1 &&
      "$tofu" show -json tfplan >"$out/$name.json"
  ) || { cat "$work/$name.log" >&2; echo "real-plans: $name failed" >&2; exit 1; }
  echo "real-plans: $name" >&2
}

for example in broken fixed; do
  mkdir -p "$work/examples-$example"
  cp "$root/examples/$example/main.tf" "$work/examples-$example/"
  plan "examples-$example" "$work/examples-$example"
done

# The module's examples call it as "../..": copy the module whole, once per example.
for example in "$root"/modules/waf-api-gateway/examples/*/; do
  name="module-$(basename "$example")"
  mkdir -p "$work/$name"
  cp -r "$root/modules/waf-api-gateway" "$work/$name/"
  printf '%s\n' "$source_pin" >"$work/$name/waf-api-gateway/wafguard_offline_override.tf"
  plan "$name" "$work/$name/waf-api-gateway/examples/$(basename "$example")"
done

# Configurations written to be planned: Terraform's block expansion and iteration order.
for config in "$root"/test/fixtures/real-plan-configs/*/; do
  name="$(basename "$config")"
  mkdir -p "$work/$name"
  cp "$config"/*.tf "$work/$name/"
  plan "$name" "$work/$name"
done

# The benchmark's generated stack, small: for_each through lookup() and dynamic blocks, count toggles,
# references across files. (test/fixtures/hcl is left out: it uses aws_wafv2_web_acl_rule_group_association,
# newer than the mirrored provider.)
[ -f "$root/dist/bench/generate-tf.js" ] || { echo "real-plans: run npm run build first (the stack generator)" >&2; exit 1; }
node -e 'require(process.argv[1]).generateTfStack(process.argv[2], 4, 24)' "$root/dist/bench/generate-tf.js" "$work/bench-stack"
plan bench-stack "$work/bench-stack"

# Which blocks and attributes the provider's schema makes sets: the plan orders their elements its own
# way, so the test compares them unordered. Paths are block names from the resource, without indices.
version="$(ls "$mirror/registry.terraform.io/hashicorp/aws" | sort -V | tail -1)"
(cd "$work/examples-fixed" && "$tofu" providers schema -json) >"$work/schema.json"
node - "$work/schema.json" "$version" "$out" >"$work/provider-sets.json" <<'JS'
const fs = require("fs");
const [schemaFile, version, dir] = process.argv.slice(2);
const provider = Object.values(JSON.parse(fs.readFileSync(schemaFile, "utf8")).provider_schemas)[0];
const types = new Set();
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "provider-sets.json")) {
  for (const rc of JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8")).resource_changes ?? []) types.add(rc.type);
}
const sets = (block, path, out) => {
  for (const [name, a] of Object.entries(block.attributes ?? {})) if (Array.isArray(a.type) && a.type[0] === "set") out.push(path + name);
  for (const [name, b] of Object.entries(block.block_types ?? {})) {
    if (b.nesting_mode === "set") out.push(path + name);
    sets(b.block, `${path}${name}.`, out);
  }
  return out;
};
const out = {};
for (const type of [...types].sort()) out[type] = sets(provider.resource_schemas[type].block, "", []);
process.stdout.write(JSON.stringify({ provider: `registry.terraform.io/hashicorp/aws ${version}`, sets: out }, null, 1) + "\n");
JS
mv "$work/provider-sets.json" "$out/provider-sets.json"
