#!/usr/bin/env bash
# Every diagnostic code has at least one lit test named after it (tests/lit/diagnostics/PTxxxx*).
set -euo pipefail
parsel="$1"; dir="$2"
missing=0
for code in $("$parsel" explain --list | awk '{print $1}'); do
  if ! ls "$dir"/"$code"* >/dev/null 2>&1; then
    echo "no lit test for $code (add $dir/$code-<what>.pt or a directory $code-<what>/)"
    missing=1
  fi
done
exit $missing
