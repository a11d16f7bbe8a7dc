#!/usr/bin/env bash
# Builds one example project with parsel (in a scratch copy), runs the binary, and compares its
# standard output with the example's expected_output.txt. Also checks that generation is
# deterministic: `parsel build --check` passes right after a build, and a second build writes
# nothing.
set -euo pipefail
parsel="$1"; example="$2"
name="$(basename "$example")"
# An example with a file `serves` hosts a server (a Slytherin topic) until it is stopped, so it
# has no output to compare: its own tests/e2e/test_<name>.sh runs it instead.
if [ -f "$example/serves" ]; then
  echo "skip: $name serves until stopped ($example/serves)"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$example" "$work/$name"
rm -rf "$work/$name/build"
project="$work/$name"

"$parsel" build "$project" 2> "$work/build.log" || { cat "$work/build.log"; exit 1; }
binary="$project/build/bin/$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$project/parsel.toml" | head -1)"
set +e
"$binary" $(cat "$project/args.txt" 2>/dev/null) > "$work/stdout.txt" 2> "$work/stderr.txt"
status=$?
set -e
expected_status=$(cat "$project/expected_status.txt" 2>/dev/null || echo 0)
if [ "$status" != "$expected_status" ]; then
  echo "FAIL: $name exited with $status, expected $expected_status"; cat "$work/stderr.txt"; exit 1
fi
if ! diff -u "$project/expected_output.txt" "$work/stdout.txt"; then
  echo "FAIL: $name printed something else (diff above: expected vs actual)"; exit 1
fi
"$parsel" build "$project" --check > /dev/null 2>&1 || { echo "FAIL: --check after build"; exit 1; }
"$parsel" build "$project" 2> "$work/rebuild.log"
if ! grep -q "0 file(s) written" "$work/rebuild.log"; then
  echo "FAIL: rebuilding an unchanged project wrote files:"; cat "$work/rebuild.log"; exit 1
fi
echo "ok: $name"
