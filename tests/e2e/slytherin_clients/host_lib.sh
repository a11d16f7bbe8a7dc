# shellcheck shell=bash
# Sourced by tests/e2e/test_slytherin_*.sh: starts and stops slytherin_host, found next to
# parsel, and finds the librdkafka client programs (need_clients). Expects $parsel, $tmp and a
# fail() function.
bin="$(cd "$(dirname "$parsel")" && pwd)"
host="$bin/slytherin_host"
producer="$bin/acks_producer"
consumer="$bin/consume_check"
[ -x "$host" ] || fail "$host is not built"

# need_clients: the tests that drive librdkafka directly call this first.
need_clients() {
  for b in "$producer" "$consumer"; do
    [ -x "$b" ] || fail "$b is not built (librdkafka-dev is needed for the clients)"
  done
}
host_pid=""
host_starts=0
broker=""

# start_host DATA_DIR HOST_ARGS...: starts the host on a free port (--port 0) and waits up to
# 10 s for its "listening on 127.0.0.1:PORT" line; sets $host_pid, $broker and $host_log.
start_host() {
  local data="$1"
  shift
  host_starts=$((host_starts + 1))
  host_log="$tmp/host.$host_starts.log"
  "$host" --data "$data" --port 0 "$@" > "$host_log" 2>&1 &
  host_pid=$!
  local port=""
  for _ in $(seq 1 100); do
    port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$host_log" | head -1)"
    if [ -n "$port" ]; then
      broker="127.0.0.1:$port"
      return 0
    fi
    if ! kill -0 "$host_pid" 2> /dev/null; then
      cat "$host_log"
      fail "slytherin_host exited at start ($*)"
    fi
    sleep 0.1
  done
  cat "$host_log"
  fail "slytherin_host printed no 'listening on' line within 10 s"
}

# stop_host: SIGTERM, and the host must be gone within 10 s.
stop_host() {
  [ -n "$host_pid" ] || return 0
  kill -TERM "$host_pid" 2> /dev/null || true
  for _ in $(seq 1 100); do
    if ! kill -0 "$host_pid" 2> /dev/null; then
      wait "$host_pid" 2> /dev/null || true
      host_pid=""
      return 0
    fi
    sleep 0.1
  done
  kill -9 "$host_pid" 2> /dev/null || true
  cat "$host_log"
  fail "slytherin_host did not stop within 10 s of SIGTERM"
}

# crash_host: kill -9, no chance to flush anything.
crash_host() {
  kill -9 "$host_pid" 2> /dev/null || true
  wait "$host_pid" 2> /dev/null || true
  host_pid=""
}
