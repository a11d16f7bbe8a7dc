#!/usr/bin/env bash
# parsel's exit statuses: 0 success, 1 errors in the program (including a failed C++ build),
# 2 usage errors. `parsel run` passes the program's own status through.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect STATUS DESCRIPTION ARGS...: runs parsel and compares its exit status.
expect() {
  local want="$1" what="$2"; shift 2
  set +e
  "$parsel" "$@" > "$tmp/out" 2> "$tmp/err"
  local status=$?
  set -e
  if [ "$status" != "$want" ]; then
    cat "$tmp/out" "$tmp/err"
    fail "$what (parsel $*): exit status $status, expected $want"
  fi
}

make_project() {  # make_project DIR NAME, then the body of src/main.pt on stdin
  mkdir -p "$1/src"
  printf '[project]\nname = "%s"\nversion = "0.1.0"\nmodules = ["src"]\n' "$2" > "$1/parsel.toml"
  cat > "$1/src/main.pt"
}

make_project "$tmp/good" good <<'PT'
module good

program main {
    print_line("fine")
}
PT
make_project "$tmp/type_error" type_error <<'PT'
module type_error

program main {
    let_immutable_var price: f64 = 3
    print_line("{price}")
}
PT
make_project "$tmp/syntax_error" syntax_error <<'PT'
module syntax_error

program main {
    print_line("fine");
}
PT
make_project "$tmp/cpp_error" cpp_error <<'PT'
module cpp_error

program main {
    unsafe_cpp(inputs: ; outputs: ) { this is not C++; }
}
PT
make_project "$tmp/stops" stops <<'PT'
module stops

program main {
    print_line("before")
    stop_program("on purpose")
}
PT
make_project "$tmp/warns" warns <<'PT'
module warns

program main {
    let_immutable_var unused = 1
    print_line("fine")
}
PT
printf 'module single\n\nfunction twice(x: i64) returns i64 {\n    return x * 2\n}\n' > "$tmp/single.pt"

# 0: success.
expect 0 "version" version
expect 0 "help" --help
expect 0 "explain a known code" explain PT3001
expect 0 "explain --list" explain --list
expect 0 "check a good project" check "$tmp/good"
expect 0 "check one .pt file" check "$tmp/single.pt"
expect 0 "check a project with only warnings" check "$tmp/warns"
grep -q "PT4003" "$tmp/err" || { cat "$tmp/err"; fail "the warning was not printed"; }
expect 0 "build --emit-only a good project" build "$tmp/good" --emit-only
expect 0 "emit a good project" emit "$tmp/good"
expect 0 "run a good project" run "$tmp/good"
[ "$(cat "$tmp/out")" = "fine" ] || fail "parsel run printed '$(cat "$tmp/out")', expected 'fine'"

# 1: errors in the program.
expect 1 "check a type error" check "$tmp/type_error"
grep -q "PT3001" "$tmp/err" || { cat "$tmp/err"; fail "the type error is not reported as PT3001"; }
expect 1 "build a type error" build "$tmp/type_error"
[ ! -e "$tmp/type_error/build" ] || fail "a build with errors wrote build/"
expect 1 "check a syntax error" check "$tmp/syntax_error"
grep -q "PT1001" "$tmp/err" || { cat "$tmp/err"; fail "the stray ';' is not reported as PT1001"; }
expect 1 "run a type error" run "$tmp/type_error"
expect 1 "check a directory without parsel.toml" check "$tmp/good/src"
expect 1 "check a missing .pt file" check "$tmp/missing.pt"
expect 1 "a failed C++ build" build "$tmp/cpp_error"
grep -q "PT0005" "$tmp/err" || { cat "$tmp/err"; fail "the failed C++ build is not reported as PT0005"; }

# The program's own status: parsel run passes it through.
expect 70 "run a program that calls stop_program" run "$tmp/stops"
[ "$(cat "$tmp/out")" = "before" ] || fail "output before stop_program was lost"
grep -q "error: the program stopped: on purpose" "$tmp/err" || { cat "$tmp/err"; fail "stop_program's message is missing"; }

# 2: usage errors.
expect 2 "no arguments" 
expect 2 "an unknown command" frobnicate
grep -q "unknown command 'frobnicate'" "$tmp/err" || { cat "$tmp/err"; fail "the unknown command is not named"; }
expect 2 "an unknown option to build" build "$tmp/good" --fast
grep -q "unknown option '--fast'" "$tmp/err" || { cat "$tmp/err"; fail "the unknown option is not named"; }
expect 2 "an unknown option to check" check --strict "$tmp/good"
expect 2 "a build-only option to check" check "$tmp/good" --emit-only
expect 2 "check without a path" check
expect 2 "build without a path" build
expect 2 "run without a path" run
expect 2 "emit without a path" emit
expect 2 "two paths" check "$tmp/good" "$tmp/warns"
expect 2 "build a directory that does not exist" build "$tmp/nowhere"
expect 2 "explain an unknown code" explain PT9999
grep -q "no diagnostic PT9999" "$tmp/err" || { cat "$tmp/err"; fail "explain PT9999 does not say why"; }
expect 2 "explain without a code" explain
expect 2 "new without a name" new
expect 2 "a reserved command" fmt

echo "ok: test_exit_codes"
