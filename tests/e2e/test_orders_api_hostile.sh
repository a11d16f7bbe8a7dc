#!/usr/bin/env bash
# The hostile-input suite (http_hostile.py) against examples/orders_api, built by parsel: a
# scratch copy with a 1 s request timeout (slowloris), 16 connections (the flood) and a 256 KiB
# body limit (so deep JSON reaches the JSON reader). When parsel was built with ASan/UBSan the
# program is too (the sanitize label runs this in that build), and any report fails the test.
# Usage: test_orders_api_hostile.sh PARSEL
set -euo pipefail
parsel="$1"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
pid=""
fail() {
  echo "FAIL: $*"
  [ -f "$work/run.err" ] && { echo "--- service stderr:"; grep -v '^{"ts"' "$work/run.err" | tail -60; }
  exit 1
}
cleanup() {
  if [ -n "$pid" ]; then
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$root/examples/orders_api" "$work/orders_api"
rm -rf "$work/orders_api/build"
sed -i -e 's/request_timeout: 5 seconds/request_timeout: 1 second/' \
  -e 's/max_connections: 256/max_connections: 16/' \
  -e 's/max_body_bytes: 16384/max_body_bytes: 262144/' "$work/orders_api/src/orders_api.pt"
grep -q "max_body_bytes: 262144" "$work/orders_api/src/orders_api.pt" || fail "could not set the limits"
"$parsel" build "$work/orders_api" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "parsel build"; }

ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:halt_on_error=1:exitcode=99" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1" \
  PT_BASILISK_PORT_OrderApi=0 PT_BASILISK_ACCESS_LOG=off \
  "$work/orders_api/build/bin/orders_api" > "$work/run.out" 2> "$work/run.err" &
pid=$!
port=""
for _ in $(seq 1 200); do
  port="$(sed -n 's/.*OrderApi listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/run.err" | head -1)"
  [ -n "$port" ] && break
  kill -0 "$pid" 2> /dev/null || fail "the service exited at start"
  sleep 0.1
done
[ -n "$port" ] || fail "no 'OrderApi listening on' line within 20 s"

body='{"customer":"ada","product":"tea","quantity":2,"unit_price":1.5}'
timeout 400 python3 "$here/http_hostile.py" 127.0.0.1 "$port" --json-route /orders \
  --json-field quantity --json-body "$body" --max-connections 16 --flood-connections 100 \
  --slow-seconds 15 || fail "the hostile-input suite failed"

# A clean stop: SIGTERM, exit status 0 (a sanitizer report would make it 99) within 10 s.
kill -TERM "$pid"
for _ in $(seq 1 100); do
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2> /dev/null && fail "the service did not stop within 10 s of SIGTERM"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" = "0" ] || fail "exit status $status after SIGTERM"
if grep -q "ERROR: AddressSanitizer\|runtime error:" "$work/run.err"; then fail "a sanitizer report"; fi
echo "PASS test_orders_api_hostile"
