#!/usr/bin/env bash
# examples/orders_stream end to end: builds it with parsel (in a scratch copy), runs it on free
# ports with a fresh data directory, and checks that
#   1. its consumer group of two members counts all 1000 orders (8 lines of 125 between them),
#   2. the broker refuses records that are not valid Orders (INVALID_RECORD) and takes one that
#      Python encodes from docs/slytherin-codec.md alone,
#   3. kcat reads the 1001 records of order_events from the beginning, with the customers as
#      keys, and a record decodes as docs/slytherin-codec.md says,
#   4. GET /metrics has the produce-to-consume latency histogram, counting all 1001 records,
#   5. SIGTERM stops it with exit status 0,
#   6. restarted on the same data directory, the members count only the 1000 new orders
#      (offsets were committed: no 16 lines), and the topic then holds 2001 records.
# The example never exits by itself (it serves its topic), so run_example.sh skips it.
# Usage: test_orders_stream.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$work"/run*.out "$work"/run*.err; do
    [ -f "$f" ] && { echo "--- $(basename "$f"):"; tail -40 "$f"; }
  done
  exit 1
}
command -v kcat > /dev/null || fail "kcat is not installed (scripts/install-deps.sh)"
command -v curl > /dev/null || fail "curl is not installed"

cp -r "$root/examples/orders_stream" "$work/orders_stream"
rm -rf "$work/orders_stream/build"
"$parsel" build "$work/orders_stream" 2> "$work/build.log" || { cat "$work/build.log"; fail "parsel build"; }
binary="$work/orders_stream/build/bin/orders_stream"

# A port nobody listens on now (the kernel's pick, released at once).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
broker_port="$(free_port)"
metrics_port="$(free_port)"
broker="127.0.0.1:$broker_port"
data="$work/data"

start() {  # start RUN: the binary in the background, its output in run<RUN>.out/.err
  PT_SLYTHERIN_LISTEN="$broker" PT_SLYTHERIN_DATA_DIR="$data" \
    PT_METRICS_LISTEN="127.0.0.1:$metrics_port" "$binary" > "$work/run$1.out" 2> "$work/run$1.err" &
  pid=$!
}

# Waits (at most 60 s) until the members have printed 8 lines of 125 orders in run RUN.
wait_counted() {
  for _ in $(seq 1 600); do
    [ "$(grep -c '^counted 125 more orders' "$work/run$1.out" || true)" -ge 8 ] && return 0
    kill -0 "$pid" 2> /dev/null || fail "run $1: the program exited early"
    sleep 0.1
  done
  fail "run $1: the members did not count 1000 orders within 60 s"
}

records() {  # the number of records kcat reads from order_events, beginning to end
  timeout 30 kcat -b "$broker" -C -t order_events -o beginning -e -q -f '%p %o\n' 2> "$work/kcat.err" \
    | wc -l || fail "kcat -C: $(cat "$work/kcat.err")"
}

stop() {  # SIGTERM, then the exit status must be 0 within 20 s
  kill -TERM "$pid"
  local status=0
  for _ in $(seq 1 200); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2> /dev/null && fail "run $1: still running 20 s after SIGTERM"
  wait "$pid" || status=$?
  pid=""
  [ "$status" = 0 ] || fail "run $1: exit status $status after SIGTERM, expected 0"
}

# ---- run 1: a fresh data directory ----
start 1
wait_counted 1
grep -q '^placed 1000 orders$' "$work/run1.out" || fail "run 1: no 'placed 1000 orders'"
# Broker-side schema validation: records that are not an Order, or break its rules, are refused
# with INVALID_RECORD; one a Kafka client encodes from the codec's docs is taken and consumed.
order() {  # order ORDER_ID CUSTOMER_ID QUANTITY: one encoded Order on standard output
  python3 -c 'import struct, sys; o, c, q = map(int, sys.argv[1:])
sys.stdout.buffer.write(b"\x01" + struct.pack("<qq", o, c) + b"\x03tea" + struct.pack("<qd", q, 2.5))' "$@"
}
echo "not an order" > "$work/garbage.bin"
order 5000 3 0 > "$work/invalid.bin"
order 5000 3 2 > "$work/valid.bin"
for bad in garbage invalid; do
  if timeout 30 kcat -b "$broker" -P -t order_events -p 0 "$work/$bad.bin" > "$work/$bad.out" 2>&1; then
    fail "kcat -P of a $bad record succeeded"
  fi
  grep -q "failed to validate record" "$work/$bad.out" || fail "$bad record: $(cat "$work/$bad.out")"
done
grep -q 'refused: .*\$\.quantity: must be between 1 and 100' "$work/run1.err" \
  || fail "the program did not report why it refused the invalid record"
timeout 30 kcat -b "$broker" -P -t order_events -p 0 -k 3 "$work/valid.bin" > "$work/valid.out" 2>&1 \
  || fail "kcat -P of a valid record: $(cat "$work/valid.out")"
n="$(records)"
[ "$n" = 1001 ] || fail "run 1: kcat read $n records of order_events, expected 1001"
# The keys are the customers' ids as decimal text, as documented.
timeout 30 kcat -b "$broker" -C -t order_events -o beginning -e -q -f '%k\n' 2> /dev/null \
  | sort -u | tr '\n' ' ' > "$work/keys.txt"
[ "$(cat "$work/keys.txt")" = "0 1 2 3 4 5 6 7 " ] || fail "keys are not 0..7: $(cat "$work/keys.txt")"
# A client that knows only docs/slytherin-codec.md decodes a record: format byte, then order_id,
# customer_id (i64 little-endian), product (uvarint length + UTF-8), quantity, unit_price (f64).
timeout 30 kcat -b "$broker" -C -t order_events -p 0 -o beginning -c 1 -e -q -f '%k\n%s' \
  > "$work/record.bin" 2> /dev/null || fail "kcat -C -c 1"
python3 - "$work/record.bin" << 'PY' || fail "a record does not decode as the codec's docs say"
import struct, sys
data = open(sys.argv[1], "rb").read()
key, value = data.split(b"\n", 1)
assert value[0] == 0x01, "format byte"
order_id, customer_id = struct.unpack_from("<qq", value, 1)
n = value[17]  # a uvarint below 128 is one byte
product = value[18:18 + n].decode("utf-8")
quantity, unit_price = struct.unpack_from("<qd", value, 18 + n)
assert len(value) == 18 + n + 16, "nothing after the last field"
assert key == str(customer_id).encode(), (key, customer_id)
assert 0 <= order_id < 1000 and order_id % 8 == customer_id, (order_id, customer_id)
assert (product, quantity, unit_price) == ("tea", 1 + order_id % 3, 2.5), (product, quantity)
PY
# The latency histogram counts every record the members handled: 1000 orders and the client's.
counted=""
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$work/metrics.txt" || fail "GET /metrics failed"
  grep -q '^slytherin_consume_latency_seconds_bucket{topic="order_events",group="revenue"' \
    "$work/metrics.txt" || fail "no latency histogram in /metrics: $(head -20 "$work/metrics.txt")"
  if grep -q '^slytherin_consume_latency_seconds_count{topic="order_events",group="revenue"} 1001$' \
    "$work/metrics.txt"; then
    counted=yes
    break
  fi
  sleep 0.1
done
[ -n "$counted" ] || fail "the histogram did not count 1001 records: $(grep _count "$work/metrics.txt")"
stop 1

# ---- run 2: the same data directory ----
start 2
wait_counted 2
sleep 2  # time for any record consumed twice to show up as a 9th line
lines="$(grep -c '^counted 125 more orders' "$work/run2.out" || true)"
[ "$lines" = 8 ] || fail "run 2: $lines lines of 125 orders; expected 8 (only the new orders)"
n="$(records)"
[ "$n" = 2001 ] || fail "run 2: kcat read $n records of order_events, expected 2001"
stop 2
echo "ok: orders_stream"
