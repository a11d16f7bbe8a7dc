#!/usr/bin/env bash
# Configures and builds parsel, its runtime and the tests into build/ (or $PT_BUILD_DIR).
# Extra arguments go to cmake's configure step, e.g. -DPT_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PT_BUILD_DIR:-$root/build}"
jobs="${PT_JOBS:-$(nproc)}"
if [ ! -f "$build/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S "$root" -B "$build" -G Ninja "$@"
fi
cmake --build "$build" -j "$jobs"
