#!/usr/bin/env bash
# Slytherin consumer groups with Debian's kcat (librdkafka 2.0) in balanced-consumer mode (-G):
# two members share a 4-partition topic's messages exactly once, the survivor takes over every
# partition when the other stops, restarted members continue from the committed offsets, and a
# member killed with -9 is dropped when its session times out.
# Usage: test_slytherin_groups.sh PARSEL (slytherin_host is found next to parsel, in the same
# bin directory). Set SLYTHERIN_GROUPS_DEBUG=1 to have kcat log its group protocol
# (-d cgrp,protocol) into the member logs.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
member_pids=()
cleanup() {
  for pid in "${member_pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  if [ -n "${host_pid:-}" ]; then
    kill -TERM "$host_pid" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$host_pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$host_pid" 2> /dev/null || true
  fi
  for pid in "${member_pids[@]}"; do kill -9 "$pid" 2> /dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$tmp"/host.*.log "$tmp"/member*.err; do
    [ -f "$f" ] && { echo "--- $(basename "$f"):"; tail -n 60 "$f"; }
  done
  exit 1
}
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=slytherin_clients/host_lib.sh
source "$here/slytherin_clients/host_lib.sh"
command -v kcat > /dev/null || fail "kcat is not installed (scripts/install-deps.sh)"

start_host "$tmp/data" --topic gt:4:none

debug=()
[ -n "${SLYTHERIN_GROUPS_DEBUG:-}" ] && debug=(-d "cgrp,protocol")

last_member_pid=""
# A group member: kcat -G in the background (bounded by timeout), one line per message:
# "partition offset key:value". Commits every 100 ms; a new group starts at the earliest offset.
start_member() {  # start_member NAME [kcat args...]
  local name="$1"
  shift
  timeout -s TERM 120 kcat -b "$broker" -G grp -u -q "${debug[@]}" "$@" \
    -X auto.offset.reset=earliest -X auto.commit.interval.ms=100 \
    -f '%p %o %k:%s\n' gt > "$tmp/$name.out" 2> "$tmp/$name.err" &
  member_pids+=($!)
  last_member_pid=$!
}
# Stops a member with SIGTERM (kcat commits and leaves the group) and waits for it.
stop_member() {
  local pid="$1"
  kill -TERM "$pid" 2> /dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || return 0; sleep 0.1; done
  fail "member $pid did not exit within 10 s of SIGTERM"
}
# The distinct "key:value" lines a set of member outputs hold.
payloads() { cat "$@" 2> /dev/null | cut -d' ' -f3- | sort -u; }
# Waits (at most $1 seconds) until every line of file $2 appears in the members' outputs $3...
wait_for_all() {
  local seconds="$1" want="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    [ -z "$(comm -23 <(sort -u "$want") <(payloads "$@"))" ] && return 0
    sleep 0.1
  done
  return 1
}
produce() {  # produce FILE [kcat args...]
  local file="$1"
  shift
  timeout 30 kcat -b "$broker" -P -t gt -K: "$@" < "$file" > "$tmp/produce.log" 2>&1 \
    || fail "kcat -P: $(cat "$tmp/produce.log")"
}

# 1. 200 keyed messages, spread over the 4 partitions by the key.
for i in $(seq 1 200); do echo "key$i:first-$i"; done > "$tmp/first.txt"
produce "$tmp/first.txt"

# 2. Two members share them: each message exactly once in the union, both members busy.
start_member member1
member1_pid=$last_member_pid
start_member member2
member2_pid=$last_member_pid
wait_for_all 60 "$tmp/first.txt" "$tmp/member1.out" "$tmp/member2.out" \
  || fail "the two members did not receive all 200 messages within 60 s ($(payloads "$tmp"/member*.out | wc -l) seen)"
sleep 1  # commits (every 100 ms) and any stray duplicate
if [ ! -s "$tmp/member1.out" ] || [ ! -s "$tmp/member2.out" ]; then
  fail "one member received nothing: $(wc -l < "$tmp/member1.out") and $(wc -l < "$tmp/member2.out") messages"
fi
cut -d' ' -f3- "$tmp/member1.out" "$tmp/member2.out" | sort > "$tmp/union.txt"
sort "$tmp/first.txt" | cmp -s - "$tmp/union.txt" \
  || fail "the members' union is not the 200 messages exactly once: $(sort "$tmp/union.txt" | uniq -d | head -5)"
p1="$(cut -d' ' -f1 "$tmp/member1.out" | sort -u | tr '\n' ' ')"
p2="$(cut -d' ' -f1 "$tmp/member2.out" | sort -u | tr '\n' ' ')"
[ -z "$(comm -12 <(tr ' ' '\n' <<< "$p1" | sed '/^$/d') <(tr ' ' '\n' <<< "$p2" | sed '/^$/d'))" ] \
  || fail "both members read the same partition: [$p1] and [$p2]"
echo "two members: member1 read partitions [$p1], member2 [$p2]"

# 3. member2 stops (commits, leaves): member1 takes over all 4 partitions.
stop_member "$member2_pid"
lines_before="$(wc -l < "$tmp/member1.out")"
: > "$tmp/second.txt"
for p in 0 1 2 3; do
  for i in $(seq 1 10); do echo "key-p$p-$i:second-p$p-$i"; done > "$tmp/second_p$p.txt"
  produce "$tmp/second_p$p.txt" -p "$p"
  cat "$tmp/second_p$p.txt" >> "$tmp/second.txt"
done
wait_for_all 60 "$tmp/second.txt" "$tmp/member1.out" \
  || fail "member1 did not receive the new messages of every partition within 60 s after member2 left"
sleep 1
tail -n +"$((lines_before + 1))" "$tmp/member1.out" > "$tmp/member1_after.txt"
for p in 0 1 2 3; do
  grep -q "^$p .*:second-p$p-" "$tmp/member1_after.txt" || fail "member1 got nothing new from partition $p"
done
# member2 committed before leaving: member1 may re-read at most a few of its messages.
redelivered="$(grep -c ':first-' "$tmp/member1_after.txt" || true)"
[ "$redelivered" -le 8 ] || fail "member1 re-read $redelivered old messages after the rebalance"
echo "after member2 left: member1 read all 40 new messages ($redelivered old ones again)"

# 4. member1 stops too; two new members of the same group continue from the committed offsets.
stop_member "$member1_pid"
for i in $(seq 1 20); do echo "key-third-$i:third-$i"; done > "$tmp/third.txt"
produce "$tmp/third.txt"
start_member member3 -X session.timeout.ms=6000
member3_pid=$last_member_pid
start_member member4 -X session.timeout.ms=6000
member4_pid=$last_member_pid
wait_for_all 60 "$tmp/third.txt" "$tmp/member3.out" "$tmp/member4.out" \
  || fail "the restarted members did not receive the 20 new messages within 60 s"
sleep 1
old="$(cat "$tmp/member3.out" "$tmp/member4.out" | grep -vc ':third-' || true)"
[ "$old" -le 8 ] || fail "the restarted members re-read $old old messages (committed offsets ignored?)"
echo "restarted members: 20 new messages, $old old ones again"

# 5. member4's kcat dies without leaving (kill -9): its session times out (6 s) and member3
# takes over every partition.
kcat4="$(pgrep -P "$member4_pid" kcat || true)"
[ -n "$kcat4" ] || fail "no kcat process under member4's timeout ($member4_pid)"
kill -9 "$kcat4"
wait "$member4_pid" 2> /dev/null || true  # its timeout exits too (no "Killed" job notice)
: > "$tmp/fourth.txt"
for p in 0 1 2 3; do
  for i in $(seq 1 5); do echo "key-p$p-$i:fourth-p$p-$i"; done > "$tmp/fourth_p$p.txt"
  produce "$tmp/fourth_p$p.txt" -p "$p"
  cat "$tmp/fourth_p$p.txt" >> "$tmp/fourth.txt"
done
wait_for_all 60 "$tmp/fourth.txt" "$tmp/member3.out" \
  || fail "member3 did not receive every partition's new messages within 60 s of member4's death"
grep -q "grp: member .* timed out; rebalancing" "$host_log" \
  || fail "the host did not report member4's session timeout"
stop_member "$member3_pid"
echo "after member4 was killed: its session timed out and member3 read all 20 new messages"

grep -q "group grp: generation" "$host_log" || fail "the host reported no rebalance"
echo "PASS: kcat -G members share partitions, rebalance on leave and on session timeout, resume from committed offsets"
