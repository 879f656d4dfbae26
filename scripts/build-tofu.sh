#!/usr/bin/env bash
# Builds the pinned OpenTofu into .tools/bin/tofu. Only the differential test of the `.tf` expression
# evaluator uses it (test/terraform-expressions.test.ts runs `tofu console`); users never need it.
# `go install` refuses the module because of its replace directives, so download it and build inside.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.10.10
if [ -x .tools/bin/tofu ] && .tools/bin/tofu version 2>/dev/null | head -1 | grep -qx "OpenTofu ${version}"; then
  exit 0
fi
echo "building OpenTofu $version from its Go module (several minutes the first time)" >&2
dir=$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "go mod download github.com/opentofu/opentofu@$version gave no directory" >&2; exit 1; }
out="$PWD/.tools/bin/tofu"
mkdir -p "$(dirname "$out")"
(cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$out" ./cmd/tofu)
"$out" version | head -1 >&2
