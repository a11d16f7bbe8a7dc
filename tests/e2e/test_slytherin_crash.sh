#!/usr/bin/env bash
# Crash test: kill -9 slytherin_host at random moments while librdkafka produces with acks=all,
# restart it on the same data directory, and check that every acknowledged record survived.
#   - SLYTHERIN_CRASH_ROUNDS rounds (default 6); odd rounds declare the 3-partition topic with
#     fsync_batched (5 ms), even rounds with fsync_every_write;
#   - each round: start the host, run acks_producer in the background (SLYTHERIN_CRASH_RECORDS
#     records, default 4000, at 4000 records/s, values "r<round>-<n>" unique across rounds), kill
#     the host with SIGKILL a random 50-600 ms after the producer's start (rounds 1-2, 5-6, ...)
#     or after its first acknowledgement (rounds 3-4, 7-8, ...), let the producer give up
#     (message timeout 3 s), and go on to the next round, whose start is the restart;
#   - finally start the host once more and read every partition from the beginning: every
#     acknowledged record of every round is at its acknowledged partition and offset exactly
#     once, acknowledged offsets increase per partition in acknowledgement order, and no record,
#     acknowledged or not, is present twice.
# SLYTHERIN_CRASH_SEED fixes the kill delays (the seed used is printed); SLYTHERIN_CRASH_KEEP=1
# keeps the temporary directory (data, host logs, acknowledgements) for a look afterwards.
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
producer_pid=""
cleanup() {
  [ -z "$host_pid" ] || kill -9 "$host_pid" 2> /dev/null || true
  [ -z "$producer_pid" ] || kill "$producer_pid" 2> /dev/null || true
  if [ -n "${SLYTHERIN_CRASH_KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

rounds="${SLYTHERIN_CRASH_ROUNDS:-6}"
records="${SLYTHERIN_CRASH_RECORDS:-4000}"
seed="${SLYTHERIN_CRASH_SEED:-$$}"
RANDOM="$seed"
topic=crash
data="$tmp/data"
echo "crash test: $rounds rounds of $records records, seed $seed"

ack_files=()
rounds_with_acks=0
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then durability="batched:5"; else durability="every"; fi
  start_host "$data" --topic "$topic:3:$durability" --no-auto-create
  acks="$tmp/acks.$round"
  ack_files+=("$acks")
  timeout 60 "$producer" "$broker" "$topic" "$records" --acks all --prefix "r$round" \
    --rate 4000 --timeout-ms 3000 > "$acks" 2> "$tmp/producer.$round.err" &
  producer_pid=$!
  # Rounds 1-2, 5-6, ... count the delay from the producer's start (the kill may come before
  # any acknowledgement, even during the connection); rounds 3-4, 7-8, ... from its first
  # acknowledgement, so that a slow disk cannot leave a round without acknowledged records.
  from="start"
  if [ $(((round - 1) / 2 % 2)) = 1 ]; then
    from="first ack"
    for _ in $(seq 1 200); do
      grep -q '^ack ' "$acks" && break
      kill -0 "$producer_pid" 2> /dev/null || break
      sleep 0.05
    done
  fi
  delay_ms=$((50 + RANDOM % 551))
  sleep "$(printf '0.%03d' "$delay_ms")"
  crash_host
  producer_status=0
  wait "$producer_pid" || producer_status=$?
  producer_pid=""
  n="$(grep -c '^ack ' "$acks" || true)"
  [ "$n" -gt 0 ] && rounds_with_acks=$((rounds_with_acks + 1))
  if [ "$producer_status" = 124 ]; then
    fail "round $round: acks_producer still running after 60 s"
  fi
  echo "round $round ($durability): killed ${delay_ms} ms after the $from, $n acknowledged," \
    "producer exit $producer_status"
done

start_host "$data" --topic "$topic:3:batched:5" --no-auto-create
if ! timeout 60 "$consumer" "$broker" "$topic" 3 > "$tmp/recs" 2> "$tmp/consumer.err"; then
  tail -20 "$tmp/consumer.err"
  tail -20 "$host_log"
  fail "consume_check did not read every partition to its end after the last restart"
fi
stop_host
if ! python3 "$here/slytherin_clients/check_acks.py" "$tmp/recs" "${ack_files[@]}"; then
  fail "an acknowledged record was lost, moved or duplicated (seed $seed)"
fi
# A run in which no round got an acknowledgement checked nothing.
[ "$rounds_with_acks" -gt 0 ] || fail "no round acknowledged any record before its kill"
echo "PASS: $rounds rounds, $rounds_with_acks with acknowledged records; lost 0, duplicates 0"
