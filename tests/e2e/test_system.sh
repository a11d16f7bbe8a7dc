#!/usr/bin/env bash
# Partitions, channels, tasks and receivers, end to end through `parsel build` and the binary:
#   1. every channel kind (mpsc with two senders, broadcast with two receivers, shared_memory, and
#      a receiver that sends on): exact counts and order-sensitive checksums;
#   2. supervision: a receiver that restarts past a failing message, and a task whose failure
#      stops the program with status 70 and the .pt line of the failing statement;
#   3. the stall detector (naming the .pt line) and a clean SIGTERM shutdown within its bound.
# Every program runs under `timeout`, so a hang fails the test instead of blocking it.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# new_project NAME: an empty project that allows oversubscription (CI machines have 2 cores).
new_project() {
  mkdir -p "$tmp/$1/src"
  printf '[project]\nname = "%s"\nversion = "0.1.0"\n\n[machine]\nallow_oversubscription = true\n' \
    "$1" > "$tmp/$1/parsel.toml"
}
build() {
  "$parsel" build "$tmp/$1" > "$tmp/$1.build.out" 2> "$tmp/$1.build.err" \
    || { cat "$tmp/$1.build.err"; fail "$1 does not build"; }
}

# ---- 1. every channel kind ------------------------------------------------------------------
new_project kinds
cat > "$tmp/kinds/src/kinds.pt" <<'PT'
module kinds

schema Item {
    field source: i64
    field sequence: i64
}

enum Side { left, right }

schema Tick {
    field sequence: i64
    field side: Side
    field at: duration
}

partition left_side { cores: 1, scheduler: messaging }
partition right_side { cores: 1, scheduler: backend_api }
partition sink { cores: 1, scheduler: messaging }
partition tail { cores: 1, scheduler: database }

channel items carries Item { kind: mpsc, capacity: 64 }
channel fanout carries Item { kind: broadcast, capacity: 32 }
channel ticks carries Tick { kind: shared_memory, capacity: 16 }
channel doubled carries Item { kind: spsc, capacity: 8 }

partition_task from_left runs_on left_side {
    for_each n in range(0, 20000) {
        send_message(items, Item { source: 1, sequence: n })
    }
}

partition_task from_right runs_on right_side {
    for_each n in range(0, 20000) {
        send_message(items, Item { source: 2, sequence: n })
    }
    for_each n in range(0, 5000) {
        send_message(ticks, Tick { sequence: n, side: Side.right, at: 1 ms })
    }
}

/// Checks the order of each sender's messages, and passes every item on to the broadcast.
channel_receiver merge runs_on sink reads items {
    let_mut_var next_left: i64 = 0
    let_mut_var next_right: i64 = 0
    let_mut_var out_of_order: i64 = 0
    on_message(item: Item) {
        if item.source == 1 {
            if item.sequence != next_left { set_var out_of_order = out_of_order + 1 }
            set_var next_left = item.sequence + 1
        } else {
            if item.sequence != next_right { set_var out_of_order = out_of_order + 1 }
            set_var next_right = item.sequence + 1
        }
        send_message(fanout, item)
    }
    on_channel_closed {
        print_line("merge: left {next_left} right {next_right} out of order {out_of_order}")
    }
}

channel_receiver count_all runs_on left_side reads fanout {
    let_mut_var seen: i64 = 0
    on_message(_item: Item) { set_var seen = seen + 1 }
    on_channel_closed { print_line("broadcast a: {seen}") }
}

channel_receiver sum_all runs_on left_side reads fanout {
    let_mut_var sum: i64 = 0
    on_message(item: Item) {
        set_var sum = sum + item.sequence
        if item.sequence % 1000 == 0 { send_message(doubled, item) }
    }
    on_channel_closed { print_line("broadcast b: {sum}") }
}

channel_receiver count_ticks runs_on right_side reads ticks {
    let_mut_var checksum: i64 = 0
    on_message(tick: Tick) {
        set_var checksum = (checksum * 31 + tick.sequence) % 1000000007
    }
    on_channel_closed { print_line("shared memory: {checksum}") }
}

channel_receiver count_doubled runs_on tail reads doubled {
    let_mut_var seen: i64 = 0
    on_message(_item: Item) { set_var seen = seen + 1 }
    on_channel_closed { print_line("pipeline stage: {seen}") }
}

program main {
    print_line("start")
}
PT
build kinds
timeout 60 "$tmp/kinds/build/bin/kinds" > "$tmp/kinds.out" 2> "$tmp/kinds.err" \
  || { cat "$tmp/kinds.err"; fail "kinds exited with $?"; }
ticks=$(python3 -c "
c = 0
for n in range(5000): c = (c * 31 + n) % 1000000007
print(c)")
sort "$tmp/kinds.out" > "$tmp/kinds.sorted"
cat > "$tmp/kinds.want" <<EOF
broadcast a: 40000
broadcast b: 399980000
merge: left 20000 right 20000 out of order 0
pipeline stage: 40
shared memory: $ticks
start
EOF
diff -u "$tmp/kinds.want" "$tmp/kinds.sorted" || { cat "$tmp/kinds.err"; fail "kinds printed something else"; }
if ls /dev/shm | grep -q "^parsel-kinds-"; then fail "the shared-memory channel was not unlinked"; fi
echo "ok: channel kinds"

# ---- 2. supervision -------------------------------------------------------------------------
new_project failing
cat > "$tmp/failing/src/failing.pt" <<'PT'
module failing

schema Job {
    field id: i64
}

partition workers { cores: 1, scheduler: messaging, on_failure: restart }
partition feeders { cores: 1, scheduler: messaging }
partition fragile { cores: 1, scheduler: messaging, on_failure: stop_program }

channel jobs carries Job { kind: spsc, capacity: 16 }

partition_task feed runs_on feeders {
    for_each n in range(0, 100) {
        send_message(jobs, Job { id: n })
    }
}

/// Job 13 divides by zero: that message is dropped, the state starts again, the rest go on.
channel_receiver run_jobs runs_on workers reads jobs {
    let_mut_var done: i64 = 0
    on_message(job: Job) {
        let_immutable_var ratio = 100 / (job.id - 13)
        set_var done = done + 1 + ratio * 0
    }
    on_channel_closed { print_line("jobs done since the restart: {done}") }
}

partition_task break_later runs_on fragile {
    let_mut_var total: i64 = 9223372036854775800
    for_each n in range(0, 100) {
        set_var total = total + n
    }
    print_line("never printed {total}")
}

program main {
    print_line("start")
}
PT
build failing
set +e
timeout 60 "$tmp/failing/build/bin/failing" > "$tmp/failing.out" 2> "$tmp/failing.err"
status=$?
set -e
[ "$status" = 70 ] || { cat "$tmp/failing.err"; fail "failing exited with $status, expected 70"; }
grep -q "partition 'fragile' task 'break_later' failed at src/failing.pt:32:9" "$tmp/failing.err" \
  || { cat "$tmp/failing.err"; fail "the task failure does not name its .pt line"; }
grep -q "never printed" "$tmp/failing.out" && fail "the failing task went on after its failure"
echo "ok: supervision stops the program with the failing line"

# The same receiver without the fragile task: it restarts past job 13 and finishes.
sed -i '/^partition_task break_later/,/^}/d; /^partition fragile/d' "$tmp/failing/src/failing.pt"
build failing
timeout 60 "$tmp/failing/build/bin/failing" > "$tmp/failing.out" 2> "$tmp/failing.err" \
  || { cat "$tmp/failing.err"; fail "the restarting program exited with $?"; }
grep -q "jobs done since the restart: 86" "$tmp/failing.out" \
  || { cat "$tmp/failing.out" "$tmp/failing.err"; fail "the receiver did not restart past job 13"; }
grep -q "receiver 'run_jobs' failed at src/failing.pt:22:9: division by zero" "$tmp/failing.err" \
  || { cat "$tmp/failing.err"; fail "the receiver failure does not name its .pt line"; }
echo "ok: a receiver restarts past a failing message"

# ---- 3. stalls and SIGTERM ------------------------------------------------------------------
new_project stalling
cat > "$tmp/stalling/src/stalling.pt" <<'PT'
module stalling

import std.time

partition busy { cores: 1, scheduler: messaging, stall_bound: 20 ms }
partition forever { cores: 1, scheduler: messaging }

function spin_for(limit: duration) returns i64 {
    let_immutable_var start = now()
    let_mut_var turns: i64 = 0
    while now() - start < limit {
        set_var turns = turns + 1
    }
    return turns
}

partition_task hog runs_on busy {
    let_immutable_var turns = spin_for(300 ms)
    print_line("hog finished: {turns > 0}")
}

partition_task keep_going runs_on forever {
    let_mut_var rounds: i64 = 0
    while true {
        set_var rounds = rounds + 1
    }
}

program main {
    print_line("start")
}
PT
build stalling
"$tmp/stalling/build/bin/stalling" > "$tmp/stalling.out" 2> "$tmp/stalling.err" &
pid=$!
pids+=("$pid")
# Standard output is flushed at exit: wait for the stall report on standard error instead, then
# give the hog time to finish its 300 ms.
for _ in $(seq 1 100); do
  grep -q "stall:" "$tmp/stalling.err" 2>/dev/null && break
  sleep 0.1
done
sleep 1
kill -TERM "$pid"
start=$(date +%s)
set +e
wait "$pid"
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
[ "$status" = 0 ] || { cat "$tmp/stalling.err"; fail "SIGTERM gave status $status, expected 0"; }
[ "$elapsed" -le 6 ] || fail "shutdown took ${elapsed}s (bound: 5 s)"
grep -q "hog finished: true" "$tmp/stalling.out" || fail "the hog task did not finish"
grep -q "stall: partition 'busy' task 'hog' has run .* without yielding at src/stalling.pt:18:5" \
  "$tmp/stalling.err" || { cat "$tmp/stalling.err"; fail "the stall was not reported at its line"; }
echo "ok: stall detector and SIGTERM shutdown"
