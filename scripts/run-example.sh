#!/usr/bin/env bash
# The main job, from a fresh Debian machine: install what is missing, build parsel, then build
# and run an example project (default: examples/inventory, a multi-module project).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
example="${1:-$root/examples/inventory}"
"$root/build/bin/parsel" run "$example"
