#!/usr/bin/env bash
# Builds the pinned OPA (tools/opa/go.mod) into .tools/bin/opa. Users never need it: only the
# policy build, the Rego tests and the differential test do.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(cd tools/opa && go list -m -f '{{.Version}}' github.com/open-policy-agent/opa)
if [ -x .tools/bin/opa ] && .tools/bin/opa version 2>/dev/null | grep -qx "Version: ${want#v}"; then
  exit 0
fi
echo "building OPA $want from its Go module (a few minutes the first time)" >&2
(cd tools/opa && go build -trimpath -o ../../.tools/bin/opa .)
.tools/bin/opa version | head -1 >&2
