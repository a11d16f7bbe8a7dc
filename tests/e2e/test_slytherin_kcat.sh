#!/usr/bin/env bash
# Slytherin with Debian's kcat (librdkafka 2.0): metadata (-L), produce (-P, one message per
# line) and consume from the beginning to the end (-C -o beginning -e), against slytherin_host
# on a free port with a fresh data directory. Usage: test_slytherin_kcat.sh PARSEL (the host is
# found next to parsel, in the same bin directory).
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
host_log=""
fail() {
  echo "FAIL: $*"
  [ -n "$host_log" ] && [ -f "$host_log" ] && { echo "--- host log:"; cat "$host_log"; }
  exit 1
}
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=slytherin_clients/host_lib.sh
source "$here/slytherin_clients/host_lib.sh"
cleanup() {
  if [ -n "$host_pid" ]; then
    kill -9 "$host_pid" 2> /dev/null || true
    wait "$host_pid" 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
command -v kcat > /dev/null || fail "kcat is not installed (scripts/install-deps.sh)"

start_host "$tmp/data"

# -L: the one broker, at the address we listen on.
timeout 20 kcat -b "$broker" -L > "$tmp/meta.txt" 2>&1 || fail "kcat -L: $(cat "$tmp/meta.txt")"
grep -q "broker 0 at $broker" "$tmp/meta.txt" || fail "kcat -L: no broker 0 at $broker: $(cat "$tmp/meta.txt")"

# -P: 100 lines, one message each; the topic is auto-created by the producer's Metadata.
for i in $(seq 1 100); do echo "message $i: $(printf '%*s' "$i" '' | tr ' ' x)"; done > "$tmp/in.txt"
timeout 30 kcat -b "$broker" -P -t t1 -p 0 < "$tmp/in.txt" > "$tmp/produce.txt" 2>&1 \
  || fail "kcat -P: $(cat "$tmp/produce.txt")"

timeout 20 kcat -b "$broker" -L -t t1 > "$tmp/meta_t1.txt" 2>&1 || fail "kcat -L -t t1"
grep -q 'topic "t1" with 1 partitions' "$tmp/meta_t1.txt" || fail "t1 not listed: $(cat "$tmp/meta_t1.txt")"

# -C from the beginning to the end: the same 100 lines, in order.
timeout 30 kcat -b "$broker" -C -t t1 -p 0 -o beginning -e > "$tmp/out.txt" 2> "$tmp/consume.err" \
  || fail "kcat -C: $(cat "$tmp/consume.err")"
cmp "$tmp/in.txt" "$tmp/out.txt" || fail "consumed lines differ from produced lines"

# Keys and a second produce append after the first 100: offsets 100..109, read with -o 100.
for i in $(seq 1 10); do echo "k$i:v$i"; done > "$tmp/keyed.txt"
timeout 30 kcat -b "$broker" -P -t t1 -p 0 -K: < "$tmp/keyed.txt" > "$tmp/produce2.txt" 2>&1 \
  || fail "kcat -P -K: $(cat "$tmp/produce2.txt")"
timeout 30 kcat -b "$broker" -C -t t1 -p 0 -o 100 -e -f '%o %k %s\n' > "$tmp/keyed_out.txt" \
  2> "$tmp/consume2.err" || fail "kcat -C -o 100: $(cat "$tmp/consume2.err")"
for i in $(seq 1 10); do echo "$((99 + i)) k$i v$i"; done > "$tmp/keyed_want.txt"
cmp "$tmp/keyed_want.txt" "$tmp/keyed_out.txt" || fail "keyed records: $(cat "$tmp/keyed_out.txt")"

stop_host  # SIGTERM: the host must stop within 10 s
echo "PASS: kcat -L, -P, -C against slytherin_host"
