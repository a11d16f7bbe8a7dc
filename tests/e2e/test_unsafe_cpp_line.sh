#!/usr/bin/env bash
# A C++ error inside an unsafe_cpp block is reported at its line in the .pt file (through #line
# directives), the build fails with exit status 1, and the generated file's own line numbers
# resume correctly after the block.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

project="$tmp/cpp_error"
mkdir -p "$project/src"
cat > "$project/parsel.toml" <<'TOML'
[project]
name = "cpp_error"
version = "0.1.0"
modules = ["src"]
TOML
# Line 12 holds the C++ error (an undeclared name), on the third line of a multi-line block.
cat > "$project/src/main.pt" <<'PT'
module cpp_error

program main {
    let_immutable_var count = 3
    unsafe_cpp(inputs: count; outputs: doubled: i64) { doubled = count * 2; }
    print_line("doubled: {doubled}")

    let_immutable_var base = 10
    unsafe_cpp(inputs: base; outputs: result: i64) {
        long long total = base;
        total += 1;
        result = total + not_declared_anywhere;
    }
    print_line("result: {result}")
}
PT
[ "$(sed -n 12p "$project/src/main.pt" | grep -c not_declared_anywhere)" = 1 ] || fail "the test's own line numbers are off"

set +e
"$parsel" build "$project" > "$tmp/out" 2> "$tmp/err"
status=$?
set -e
[ "$status" = 1 ] || { cat "$tmp/err"; fail "parsel build of a C++ error exited $status, expected 1"; }
grep -q "src/main.pt:12:[0-9]*: error: .*not_declared_anywhere" "$tmp/err" \
  || { cat "$tmp/err"; fail "the C++ error is not reported at src/main.pt:12"; }
grep -q "PT0005" "$tmp/err" || { cat "$tmp/err"; fail "parsel does not report PT0005 after the C++ failure"; }
if grep "error:" "$tmp/err" | grep -v "PT0005" | grep -q "gen/"; then
  cat "$tmp/err"; fail "an error is reported in the generated C++ instead of the .pt file"
fi

# After each block, a #line directive hands the numbering back to the generated file: the line
# after `#line N "gen/<file>"` must really be line N of that file.
gen="$project/build/gen"
checked=0
for file in "$gen"/*.cpp; do
  rel="gen/$(basename "$file")"
  while IFS=: read -r physical directive; do
    declared=$(echo "$directive" | sed -n 's/^#line \([0-9]*\) "\(.*\)"$/\1 \2/p')
    [ -n "$declared" ] || continue
    number=${declared%% *}; named=${declared#* }
    [ "$named" = "$rel" ] || continue
    [ "$number" = "$((physical + 1))" ] \
      || fail "$rel:$physical says '#line $number' but the next line is $((physical + 1))"
    checked=$((checked + 1))
  done < <(grep -n '^#line ' "$file")
done
[ "$checked" -ge 2 ] || fail "expected a #line back into the generated file after each of 2 blocks, found $checked"

# With the error fixed, the project builds and both blocks run.
sed -i 's/ + not_declared_anywhere//' "$project/src/main.pt"
"$parsel" build "$project" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err"; fail "the fixed project does not build"; }
[ "$("$project/build/bin/cpp_error")" = "$(printf 'doubled: 6\nresult: 11')" ] \
  || fail "the fixed project printed something else: $("$project/build/bin/cpp_error")"

echo "ok: test_unsafe_cpp_line"
