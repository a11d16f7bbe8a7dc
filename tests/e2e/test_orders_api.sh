#!/usr/bin/env bash
# examples/orders_api end to end, with curl: builds it with parsel (in a scratch copy whose
# request_timeout and max_connections are made small, so that 408 and 503 are quick to reach),
# runs it on a free port, and checks every route and every error status:
#   201 create, 200 get and list (with query parameters), 204 delete, then
#   400 (a body of the wrong type, a body breaking a validate rule, malformed JSON, a bad path
#   parameter, a bad query parameter, a malformed request line), 404 (no route, no order),
#   405 with Allow, 408 (a body that never comes), 413, 414, 431, 503 (over max_connections),
#   /healthz, /metrics, the access log, HEAD, keep-alive, and a SIGTERM stop with status 0.
# After each error the service must still answer a normal request.
# Usage: test_orders_api.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pid=""
holder=""
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2> /dev/null || true
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
  [ -f "$work/run.err" ] && { echo "--- service stderr:"; tail -30 "$work/run.err"; }
  exit 1
}
command -v curl > /dev/null || fail "curl is not installed"

cp -r "$root/examples/orders_api" "$work/orders_api"
rm -rf "$work/orders_api/build"
sed -i -e 's/request_timeout: 5 seconds/request_timeout: 1 second/' \
  -e 's/max_connections: 256/max_connections: 16/' "$work/orders_api/src/orders_api.pt"
grep -q "request_timeout: 1 second" "$work/orders_api/src/orders_api.pt" || fail "could not shorten the timeout"
"$parsel" build "$work/orders_api" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "parsel build"; }
binary="$work/orders_api/build/bin/orders_api"

PT_BASILISK_PORT_OrderApi=0 "$binary" > "$work/run.out" 2> "$work/run.err" &
pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.*OrderApi listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/run.err" | head -1)"
  [ -n "$port" ] && break
  kill -0 "$pid" 2> /dev/null || fail "the service exited at start"
  sleep 0.1
done
[ -n "$port" ] || fail "no 'OrderApi listening on' line within 10 s"
base="http://127.0.0.1:$port"
echo "serving on $base"

# call NAME EXPECTED_STATUS CURL_ARGS...: runs curl, keeps the body in $work/NAME.body.
call() {
  local name="$1" want="$2"
  shift 2
  local got
  got="$(curl -sS -o "$work/$name.body" -D "$work/$name.head" -w '%{http_code}' --max-time 10 "$@" || true)"
  [ "$got" = "$want" ] || { echo "body: $(head -c 400 "$work/$name.body" 2> /dev/null)"; fail "$name: status $got, wanted $want"; }
  echo "ok $name ($got)"
}
# has NAME TEXT: the body of call NAME contains TEXT.
has() { grep -qF -- "$2" "$work/$1.body" || { echo "body: $(head -c 400 "$work/$1.body")"; fail "$1: body lacks $2"; }; }
head_has() { grep -qi -- "$2" "$work/$1.head" || { cat "$work/$1.head"; fail "$1: headers lack $2"; }; }
still_serves() { call "after_$1" 200 "$base/healthz"; }
json='Content-Type: application/json'

# --- the four routes ---
call create1 201 -H "$json" -d '{"customer":"ada","product":"tea","quantity":3,"unit_price":2.5}' "$base/orders"
has create1 '"order_id":1'
has create1 '"total":7.5'
head_has create1 '^content-type: application/json'
call create2 201 -H "$json" -d '{"customer":"bob","product":"cake","unit_price":4.0,"note":"no nuts"}' "$base/orders"
has create2 '"quantity":1'
has create2 '"note":"no nuts"'
for n in 3 4 5 6 7 8 9 10 11; do
  call "create$n" 201 -H "$json" -d '{"customer":"ada","product":"jam","unit_price":1.0}' "$base/orders"
done
call get1 200 "$base/orders/1"
has get1 '"customer":"ada"'
has get1 '"product":"tea"'
call list_all 200 "$base/orders"
python3 - "$work/list_all.body" << 'PY' || fail "list: not 11 orders in id order"
import json, sys
orders = json.load(open(sys.argv[1]))
ids = [o["order_id"] for o in orders]
assert ids == list(range(1, 12)), ids
PY
call list_bob 200 "$base/orders?customer=bob"
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert [x["customer"] for x in o]==["bob"], o' \
  "$work/list_bob.body" || fail "list?customer=bob"
call list_limit 200 "$base/orders?limit=2&customer=ada"
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert [x["order_id"] for x in o]==[1,3], o' \
  "$work/list_limit.body" || fail "list?limit=2&customer=ada"
call list_encoded 200 "$base/orders?customer=%62ob"
has list_encoded '"customer":"bob"'
call delete2 204 -X DELETE "$base/orders/2"
call get_deleted 404 "$base/orders/2"
head_has get_deleted '^content-type: application/problem+json'
has get_deleted '"status":404'
has get_deleted 'there is no order 2'
call delete_again 404 -X DELETE "$base/orders/2"
call head1 200 -I "$base/orders/1"
head_has head1 '^content-length: [1-9]'
# curl -I writes the headers where the body would go: there must be nothing after them.
! grep -q '"order_id"' "$work/head1.body" || fail "HEAD returned a body"

# --- 400: the request body, the parameters, the request line ---
call wrong_type 400 -H "$json" -d '{"customer":"ada","product":"tea","quantity":"three","unit_price":1.0}' "$base/orders"
head_has wrong_type '^content-type: application/problem+json'
has wrong_type '"field":"$.quantity"'
call broken_rule 400 -H "$json" -d '{"customer":"ada","product":"tea","quantity":500,"unit_price":1.0}' "$base/orders"
has broken_rule '"field":"$.quantity"'
has broken_rule 'between(1, 100)'
call missing_field 400 -H "$json" -d '{"customer":"ada","unit_price":1.0}' "$base/orders"
has missing_field 'product'
call bad_json 400 -H "$json" -d '{"customer":' "$base/orders"
call bad_path_param 400 "$base/orders/abc"
has bad_path_param 'order_id'
call bad_query_param 400 "$base/orders?limit=many"
has bad_query_param 'limit'
call out_of_range_limit 400 "$base/orders?limit=0"
has out_of_range_limit 'limit must be between 1 and 1000'
call bad_request_line 400 -X 'GE T' "$base/orders"
still_serves 400

# --- 404 and 405 ---
call no_route 404 "$base/customers"
has no_route '"status":404'
call traversal 404 --path-as-is "$base/orders/../../etc/passwd"
call wrong_method 405 -X PUT -H "$json" -d '{}' "$base/orders/1"
head_has wrong_method '^allow: .*GET'
head_has wrong_method '^allow: .*DELETE'
call wrong_method_list 405 -X DELETE "$base/orders"
head_has wrong_method_list '^allow: .*POST'

# --- 408: headers arrive, the announced body never does (request_timeout is 1 s here) ---
call slow_body 408 -H "$json" -H 'Content-Length: 100' --data-binary @<(sleep 4) "$base/orders"
still_serves 408

# --- 413, 414, 431 ---
head -c 20000 /dev/zero | tr '\0' 'a' > "$work/big.txt"
call too_big 413 -H "$json" --data-binary @"$work/big.txt" "$base/orders"
still_serves 413
long="$(head -c 9000 /dev/zero | tr '\0' 'x')"
call too_long_uri 414 "$base/orders/$long"
still_serves 414
flood=()
for i in $(seq 1 80); do flood+=(-H "X-Flood-$i: $i"); done
call header_flood 431 "${flood[@]}" "$base/orders/1"
still_serves 431
call huge_header 431 -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' 'y')" "$base/orders/1"
still_serves 431b

# --- 503: max_connections is 16 here; hold 16 idle connections open, then ask once more ---
python3 - "$port" 16 > "$work/holder.out" 2>&1 << 'PY' &
import socket, sys, time
held = []
for _ in range(int(sys.argv[2])):
    held.append(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
print("holding", flush=True)
time.sleep(8)
PY
holder=$!
for _ in $(seq 1 50); do grep -q holding "$work/holder.out" && break; sleep 0.1; done
sleep 0.3
call over_capacity 503 "$base/orders/1"
has over_capacity '"status":503'
kill "$holder" 2> /dev/null || true
wait "$holder" 2> /dev/null || true
holder=""
sleep 0.3
still_serves 503

# --- keep-alive: three requests on one connection ---
curl -sS -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' "$base/orders/1" "$base/orders/3" "$base/healthz" > "$work/ka.txt"
[ "$(awk '{s += $1} END {print s}' "$work/ka.txt")" = "1" ] || { cat "$work/ka.txt"; fail "keep-alive: more than one connection for three requests"; }
echo "ok keep-alive (3 requests, 1 connection)"

# --- /healthz, /metrics, access log ---
call healthz 200 "$base/healthz"
has healthz '"status":"ok"'
call metrics 200 "$base/metrics"
has metrics 'basilisk_requests_total{'
has metrics 'route="/orders/{order_id: i64}"'
has metrics 'basilisk_request_duration_seconds_bucket{'
grep -q '"status":201' "$work/run.err" || fail "no access log line for a 201"
grep '"path":"/orders/1"' "$work/run.err" | head -1 | python3 -c 'import json,sys; json.loads(sys.stdin.readline())' \
  || fail "an access log line is not JSON"
echo "ok access log"

# --- SIGTERM: exit status 0 ---
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" = "0" ] || fail "exit status $status after SIGTERM"
echo "ok SIGTERM stop (status 0)"
echo "PASS test_orders_api"
