#!/usr/bin/env bash
# Run-time errors stop the program: exit status 70, "error: the program stopped: <why>" on
# standard error, and what was printed before still on standard output. One project is rebuilt
# for each case so that the C++ build is configured only once.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

project="$tmp/crash"
mkdir -p "$project/src"
printf '[project]\nname = "crash"\nversion = "0.1.0"\nmodules = ["src"]\n' > "$project/parsel.toml"

# expect_stop NAME STATUS MESSAGE, with the program's statements on stdin. The program prints
# "before" first; the statements must then stop it (or not, for STATUS 0).
expect_stop() {
  local name="$1" want_status="$2" want_message="$3"
  {
    printf 'module crash\n\nprogram main {\n    print_line("before")\n'
    sed 's/^/    /'
    printf '    print_line("after")\n}\n'
  } > "$project/src/main.pt"
  "$parsel" build "$project" > "$tmp/build.out" 2> "$tmp/build.err" \
    || { cat "$tmp/build.err"; cat -n "$project/src/main.pt"; fail "$name: the program does not build"; }
  set +e
  "$project/build/bin/crash" > "$tmp/stdout" 2> "$tmp/stderr"
  local status=$?
  set -e
  if [ "$status" != "$want_status" ]; then
    cat "$tmp/stdout" "$tmp/stderr"; fail "$name: exit status $status, expected $want_status"
  fi
  if [ "$want_status" = 0 ]; then
    [ "$(cat "$tmp/stdout")" = "$(printf 'before\n%s\nafter' "$want_message")" ] \
      || { cat "$tmp/stdout" "$tmp/stderr"; fail "$name: unexpected output"; }
    [ ! -s "$tmp/stderr" ] || { cat "$tmp/stderr"; fail "$name: wrote to standard error"; }
  else
    [ "$(cat "$tmp/stdout")" = "before" ] \
      || { cat "$tmp/stdout"; fail "$name: standard output should be exactly 'before'"; }
    grep -qxF "error: the program stopped: $want_message" "$tmp/stderr" \
      || { cat "$tmp/stderr"; fail "$name: standard error lacks 'error: the program stopped: $want_message'"; }
  fi
  echo "ok: $name"
}

expect_stop "i64 addition overflow" 70 "integer overflow in 9223372036854775807 + 1" <<'PT'
let_immutable_var big = 9223372036854775807
let_immutable_var one = 1
print_line("{big + one}")
PT
expect_stop "i64 multiplication overflow" 70 "integer overflow in 4294967296 * 4294967296" <<'PT'
let_immutable_var half = 4294967296
print_line("{half * half}")
PT
expect_stop "i64 subtraction overflow in a loop" 70 "integer overflow in -9223372036854775807 - 2" <<'PT'
let_mut_var low = -9223372036854775807
while true {
    set_var low = low - 2
}
PT
expect_stop "division by zero" 70 "division by zero" <<'PT'
let_immutable_var total = 10
let_immutable_var parts = length([0, 1]) - 2
print_line("{total / parts}")
PT
expect_stop "remainder by zero" 70 "division by zero" <<'PT'
let_immutable_var zero = 0
print_line("{7 % zero}")
PT
expect_stop "list index past the end" 70 "index 3 is out of range for a list of length 3" <<'PT'
let_immutable_var items = [10, 20, 30]
let_immutable_var position = length(items)
print_line("{items[position]}")
PT
expect_stop "negative list index" 70 "index -1 is out of range for a list of length 3" <<'PT'
let_immutable_var items = ["a", "b", "c"]
let_immutable_var position = 0 - 1
print_line(items[position])
PT
expect_stop "stop_program" 70 "the stock count is negative: -4" <<'PT'
let_immutable_var stock = -4
if stock < 0 {
    stop_program("the stock count is negative: {stock}")
}
PT
expect_stop "f64 to i64 out of range" 70 "cannot convert 1e+20 to an integer: it is outside the i64 range" <<'PT'
let_immutable_var huge = 100000000000000000000.0
print_line("{to_i64(huge)}")
PT
# f64 follows IEEE 754: dividing by zero is not an error.
expect_stop "f64 division by zero does not stop" 0 "inf" <<'PT'
let_immutable_var zero = 0.0
print_line("{1.0 / zero}")
PT

echo "ok: test_runtime_errors"
