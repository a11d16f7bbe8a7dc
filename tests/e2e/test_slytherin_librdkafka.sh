#!/usr/bin/env bash
# librdkafka against Slytherin, through slytherin_host (the broker hosted by a standalone
# program) and the C programs in tests/e2e/slytherin_clients/:
#   1. 1000 keyed records with acks=all, 1000 with acks=1, 1000 with acks=0, 50 records of
#      20 KiB with acks=all and 200 with acks=all for each of librdkafka's codecs (gzip, snappy,
#      lz4, zstd: the broker stores the compressed batches as they came), into one 3-partition
#      topic with batched fsync; every acks=all and acks=1 record must be acknowledged with an
#      offset;
#   2. consume_check reads the three partitions from the beginning to the end (CRCs checked):
#      every acknowledged (partition, offset, value) is there exactly once, acknowledged offsets
#      increase per partition, offsets run 0, 1, 2, ... with no gap, and all 1000 acks=0 records
#      arrived;
#   3. the same after a restart of the host on the same data directory.
# Every client runs under `timeout`; the host is killed on exit whatever happens.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
fail() {
  echo "FAIL: $*"
  exit 1
}
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=slytherin_clients/host_lib.sh
source "$here/slytherin_clients/host_lib.sh"
need_clients
cleanup() {
  [ -z "$host_pid" ] || kill -9 "$host_pid" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

topic=orders
start_host "$tmp/data" --topic "$topic:3:batched:5" --no-auto-create

# produce NAME ACKS COUNT [SIZE [CODEC]]: one acks_producer run whose acknowledgements go to
# $tmp/acks.NAME; it must succeed (every record acknowledged).
produce() {
  local name="$1" acks="$2" count="$3" size="${4:-0}" codec="${5:-none}"
  if ! timeout 60 "$producer" "$broker" "$topic" "$count" --acks "$acks" --size "$size" \
    --compression "$codec" --prefix "$name" > "$tmp/acks.$name" \
    2> "$tmp/producer.$name.err"; then
    tail -20 "$tmp/producer.$name.err"
    tail -20 "$host_log"
    fail "acks_producer with acks=$acks did not get every record acknowledged"
  fi
  local n
  n="$(grep -c '^ack ' "$tmp/acks.$name" || true)"
  [ "$n" = "$count" ] || fail "acks=$acks: $n acknowledgements printed, expected $count"
  if [ "$acks" != 0 ] && grep -q '^ack [0-9]* -' "$tmp/acks.$name"; then
    fail "acks=$acks: an acknowledgement without an offset"
  fi
  echo "acks=$acks: $count records acknowledged ($name, compression $codec)"
}
produce all all 1000
produce one 1 1000
produce zero 0 1000
produce big all 50 20480
for codec in gzip snappy lz4 zstd; do
  produce "$codec" all 200 300 "$codec"
done

# Records used by each partition: keys spread them, so no partition may be empty.
for p in 0 1 2; do
  grep -q "^ack $p " "$tmp/acks.all" || fail "no acks=all record went to partition $p"
done

check() {
  local label="$1"
  if ! timeout 60 "$consumer" "$broker" "$topic" 3 > "$tmp/recs.$label" \
    2> "$tmp/consumer.$label.err"; then
    tail -20 "$tmp/consumer.$label.err"
    tail -20 "$host_log"
    fail "consume_check did not read every partition to its end ($label)"
  fi
  python3 "$here/slytherin_clients/check_acks.py" "$tmp/recs.$label" "$tmp/acks.all" \
    "$tmp/acks.one" "$tmp/acks.zero" "$tmp/acks.big" "$tmp/acks.gzip" "$tmp/acks.snappy" \
    "$tmp/acks.lz4" "$tmp/acks.zstd" --expect zero=1000 --contiguous \
    || fail "what was consumed does not match what was acknowledged ($label)"
  local total
  total="$(grep -c '^rec ' "$tmp/recs.$label" || true)"
  [ "$total" = 3850 ] || fail "$total records in the log, expected 3850 ($label)"
}
check running

stop_host
start_host "$tmp/data" --topic "$topic:3:batched:5" --no-auto-create
check restarted
stop_host
echo "PASS: librdkafka acks=all/1/0 against slytherin_host"
