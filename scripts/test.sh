#!/usr/bin/env bash
# Every test, from a fresh Debian machine: install what is missing, build, run ctest (unit,
# lit + FileCheck, end-to-end examples, docs checks), then the sanitizer build's tests.
# then the ThreadSanitizer build's concurrency tests (channels, schedulers, log, Kafka broker,
# HTTP server). PT_SKIP_SANITIZERS=1 skips both passes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
(cd "$root/build" && ctest --output-on-failure -j 2)
if [ "${PT_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== ASan + UBSan build =="
  PT_BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DPT_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=Debug
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
     UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j 2 -L sanitize)
fi
if [ "${PT_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== ThreadSanitizer build (runtime concurrency tests) =="
  # Only the runtime's concurrency tests: the compiler is single-threaded.
  cmake -S "$root" -B "$root/build-tsan" -G Ninja -DPT_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$root/build-tsan" -j "${PT_JOBS:-$(nproc)}" --target runtime_chan_tests \
    runtime_sched_tests runtime_log_tests runtime_kafka_tests runtime_http_tests
  (cd "$root/build-tsan" && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
     ctest --output-on-failure -j 2 -L tsan)
fi
