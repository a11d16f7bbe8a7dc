#!/usr/bin/env bash
# Fuzzes the parser, checker and emitter: scripts/fuzz.sh [SECONDS] (default 60).
# `scripts/fuzz.sh kafka [SECONDS]` fuzzes the Kafka broker's request decoding instead
# (tests/fuzz/kafka_request_fuzzer, seeds tests/fuzz/kafka_corpus/), and `scripts/fuzz.sh http
# [SECONDS]` Basilisk's request parser, router and responses (tests/fuzz/http_request_fuzzer,
# seeds tests/fuzz/http_corpus/, dictionary tests/fuzz/http.dict), and `scripts/fuzz.sh format
# [SECONDS]` the formatter behind parsel fmt (tests/fuzz/format_fuzzer, the parser's seeds).
#
# Builds tests/fuzz/parse_check_fuzzer with clang-14, libFuzzer, ASan and UBSan into build-fuzz/
# (or $PT_FUZZ_BUILD_DIR), then runs it with one worker over a scratch copy of the seed corpus
# (tests/fuzz/corpus/ + tests/fuzz/regressions/), so the tree's corpus is never modified.
# Crashes, timeouts and OOMs go to $work/crashes/; the run keeps going after one (fork mode with
# one job) unless PT_FUZZ_STOP_AT_FIRST=1. Prints a summary at the end.
#   PT_FUZZ_WORK   scratch directory (default: $build/fuzz-run, wiped at each run)
#   PT_JOBS        build parallelism (default 1)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target=parse_check_fuzzer
seeds_dir="$root/tests/fuzz/corpus"
dict=(-dict="$root/tests/fuzz/pt.dict")
if [ "${1:-}" = "kafka" ]; then
  shift
  target=kafka_request_fuzzer
  seeds_dir="$root/tests/fuzz/kafka_corpus"
  dict=()
elif [ "${1:-}" = "format" ]; then
  shift
  target=format_fuzzer
elif [ "${1:-}" = "http" ]; then
  shift
  target=http_request_fuzzer
  seeds_dir="$root/tests/fuzz/http_corpus"
  dict=(-dict="$root/tests/fuzz/http.dict")
fi
seconds="${1:-60}"
build="${PT_FUZZ_BUILD_DIR:-$root/build-fuzz}"
work="${PT_FUZZ_WORK:-$build/fuzz-run}"
jobs="${PT_JOBS:-1}"

"$root/scripts/install-deps.sh"

if [ ! -f "$build/build.ninja" ]; then
  # -O1 with assertions on (no NDEBUG): the usual trade-off for fuzzing.
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DPT_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g"
fi
cmake --build "$build" -j "$jobs" --target "$target"
fuzzer="$build/bin/$target"

rm -rf "$work"
mkdir -p "$work/corpus" "$work/crashes"
if [ "$target" != parse_check_fuzzer ]; then
  find "$seeds_dir" -type f ! -name 'README*' -exec cp {} "$work/corpus/" \;
else
  cp "$root"/tests/fuzz/corpus/*.pt "$work/corpus/"
fi
if { [ "$target" = parse_check_fuzzer ] || [ "$target" = format_fuzzer ]; } && compgen -G "$root/tests/fuzz/regressions/*" >/dev/null; then
  for f in "$root"/tests/fuzz/regressions/*; do
    case "$f" in */README*) ;; *) cp "$f" "$work/corpus/regression-$(basename "$f")" ;; esac
  done
fi
seeds=$(ls "$work/corpus" | wc -l)

mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
if [ "${PT_FUZZ_STOP_AT_FIRST:-0}" = "1" ]; then mode=(); fi

echo "fuzz.sh: running $fuzzer for ${seconds}s over $seeds seeds (work dir $work)"
set +e
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}" \
  "$fuzzer" "${mode[@]}" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 "${dict[@]}" -artifact_prefix="$work/crashes/" \
  -print_final_stats=1 "$work/corpus" 2>&1 | tee "$work/fuzzer.log"
status=${PIPESTATUS[0]}
set -e

# ---- summary ---- (no pipeline here may fail the script: set -e and pipefail are on)
log="$work/fuzzer.log"
# Plain mode prints "#N ... cov: C ft: F corp: K/..."; fork mode prints "#N: cov: C ft: F corp: K ...".
last=$(grep -E '^#[0-9]+:? .*cov: ' "$log" | tail -n 1 || true)
execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -n 1 | awk '{print $2}' || true)
[ -n "$execs" ] || execs=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/' || true)
cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}' || true)
ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | awk '{print $2}' || true)
corp=$(echo "$last" | grep -oE 'corp: [0-9]+' | awk '{print $2}' || true)
rate=$(grep -oE 'exec/s:? [0-9]+' "$log" | tail -n 1 | awk '{print $2}' || true)
crashes=$(find "$work/crashes" -type f -name 'crash-*' | wc -l)
timeouts=$(find "$work/crashes" -type f -name 'timeout-*' | wc -l)
ooms=$(find "$work/crashes" -type f \( -name 'oom-*' -o -name 'leak-*' \) | wc -l)
echo
echo "==== fuzz.sh summary ===="
echo "duration:        ${seconds}s (fuzzer exit status $status)"
echo "executions:      ${execs:-?} (last exec/s: ${rate:-?})"
echo "coverage:        cov ${cov:-?} edges, ft ${ft:-?} features, corpus ${corp:-?} inputs (from $seeds seeds)"
echo "crashes:         $crashes"
echo "timeouts:        $timeouts"
echo "ooms/leaks:      $ooms"
echo "artifacts:       $work/crashes/"
if [ $((crashes + timeouts + ooms)) -gt 0 ]; then
  ls -la "$work/crashes"
  echo "replay one with: $fuzzer FILE   (or $build/bin/fuzz_replay FILE)"
  exit 1
fi
