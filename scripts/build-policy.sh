#!/usr/bin/env bash
# Compiles policies/ to policies/build/policy.wasm and extracts the rule metadata to
# policies/build/rules.json. With --check, builds into a temporary folder and fails if the
# committed outputs differ (CI's drift check) or the Rego is not `opa fmt` formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-opa.sh
opa=.tools/bin/opa
out=policies/build
check=false
if [ "${1:-}" = "--check" ]; then check=true; out=$(mktemp -d); fi

unformatted=$($opa fmt -l policies/)
if [ -n "$unformatted" ]; then
  if $check; then echo "not formatted with opa fmt: $unformatted" >&2; exit 1; fi
  $opa fmt -w policies/
fi
$opa check --strict --capabilities policies/capabilities.json policies/

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$opa build -t wasm -e wafguard/main/findings --capabilities policies/capabilities.json \
  --ignore '*_test.rego' -o "$tmp/bundle.tar.gz" policies/wafguard
tar -xzf "$tmp/bundle.tar.gz" -C "$tmp" --no-same-owner policy.wasm 2>/dev/null || tar -xzf "$tmp/bundle.tar.gz" -C "$tmp" /policy.wasm 2>/dev/null
cp "$tmp/policy.wasm" "$out/policy.wasm"

$opa inspect -a --format json policies/wafguard > "$tmp/inspect.json"
$opa eval --format json -d policies/wafguard 'data.wafguard.lib.model_types' > "$tmp/types.json"
$opa eval --format json -d policies/wafguard '{"types": data.wafguard.lib.model_attributes, "always": data.wafguard.lib.model_attributes_always}' > "$tmp/attributes.json"
node scripts/extract-rules.mjs "$tmp/inspect.json" "$tmp/types.json" policies/wafguard/main.rego "$tmp/attributes.json" > "$out/rules.json"
# opa build can emit Wasm that does not validate (see main.rego): compile it here, not at a user's run.
node -e 'new WebAssembly.Module(require("fs").readFileSync(process.argv[1]))' "$out/policy.wasm"

if $check; then
  status=0
  for f in policy.wasm rules.json; do
    if ! cmp -s "$out/$f" "policies/build/$f"; then
      echo "drift: policies/build/$f is not what the Rego compiles to; run: npm run policy" >&2
      status=1
    fi
  done
  rm -rf "$out"
  [ $status -eq 0 ] && echo "policy build: no drift" >&2
  exit $status
fi
echo "wrote $out/policy.wasm and $out/rules.json" >&2
