#!/usr/bin/env bash
# The hostile-input suite (http_hostile.py) against http_host with small limits: a 1 s request
# timeout (slowloris), 50 connections (the flood), a 256 KiB body (deep JSON reaches the JSON
# reader). Usage: test_http_hostile_host.sh PARSEL (http_host is found next to parsel, in the
# same bin directory).
set -euo pipefail
parsel="$1"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "$parsel")" && pwd)"
host="$bin/http_host"
tmp="$(mktemp -d)"
host_pid=""
fail() {
  echo "FAIL: $*"
  [ -f "$tmp/host.err" ] && { echo "--- host log:"; tail -50 "$tmp/host.err"; }
  exit 1
}
cleanup() {
  if [ -n "$host_pid" ]; then
    kill -9 "$host_pid" 2> /dev/null || true
    wait "$host_pid" 2> /dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
[ -x "$host" ] || fail "$host is not built"

"$host" --port 0 --max-body 262144 --request-timeout-ms 1000 --max-connections 50 \
  > "$tmp/host.out" 2> "$tmp/host.err" &
host_pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$tmp/host.out" 2> /dev/null || true)"
  [ -n "$port" ] && break
  kill -0 "$host_pid" 2> /dev/null || fail "http_host exited at start"
  sleep 0.1
done
[ -n "$port" ] || fail "http_host printed no port within 10 s"

timeout 300 python3 "$here/http_hostile.py" 127.0.0.1 "$port" --max-connections 50 \
  --flood-connections 200 --slow-seconds 15 || fail "the hostile-input suite failed"

# A clean stop: SIGTERM, exit status 0 within 10 s.
kill -TERM "$host_pid"
for _ in $(seq 1 100); do
  kill -0 "$host_pid" 2> /dev/null || break
  sleep 0.1
done
if kill -0 "$host_pid" 2> /dev/null; then fail "http_host did not stop within 10 s of SIGTERM"; fi
status=0
wait "$host_pid" || status=$?
host_pid=""
[ "$status" -eq 0 ] || fail "http_host exited with $status after SIGTERM"
echo "PASS: hostile input against http_host"
