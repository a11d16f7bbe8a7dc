#!/usr/bin/env bash
# docs/errors.md is generated from the diagnostics table; fail when it has drifted.
set -euo pipefail
parsel="$1"; doc="$2"
if ! diff -u "$doc" <("$parsel" explain --markdown); then
  echo "docs/errors.md is stale: run \`build/bin/parsel explain --markdown > docs/errors.md\`"
  exit 1
fi
