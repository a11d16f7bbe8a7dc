#!/usr/bin/env bash
# `parsel new` writes a project that builds and runs, and refuses bad names and occupied
# directories with exit status 2 (a usage error) without writing anything.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A fresh project: the manifest, a module, a .gitignore.
"$parsel" new demo --dir "$tmp/demo" > "$tmp/new.out" 2>&1 || { cat "$tmp/new.out"; fail "parsel new demo"; }
for f in parsel.toml src/main.pt .gitignore; do
  [ -f "$tmp/demo/$f" ] || fail "parsel new did not write $f"
done
grep -q '^name = "demo"$' "$tmp/demo/parsel.toml" || fail "parsel.toml does not name the project demo"
grep -q '^module demo$' "$tmp/demo/src/main.pt" || fail "src/main.pt does not start with 'module demo'"

# It checks cleanly (no warnings either), then runs and prints its greeting.
"$parsel" check "$tmp/demo" > "$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "parsel check on a new project"; }
[ ! -s "$tmp/check.out" ] || { cat "$tmp/check.out"; fail "parsel check printed diagnostics for a new project"; }
"$parsel" run "$tmp/demo" > "$tmp/run.out" 2> "$tmp/run.err" || { cat "$tmp/run.err"; fail "parsel run on a new project"; }
cat > "$tmp/expected.txt" <<'OUT'
1: Hello, Parseltongue!
{"name":"Parseltongue","times":1}
OUT
diff -u "$tmp/expected.txt" "$tmp/run.out" || fail "the new project printed something else (diff above)"
[ -x "$tmp/demo/build/bin/demo" ] || fail "parsel run did not leave build/bin/demo"

# Refusals: exit status 2, and nothing written.
expect_refusal() {
  local what="$1" want="$2"; shift 2
  set +e
  "$parsel" new "$@" > "$tmp/refuse.out" 2>&1
  local status=$?
  set -e
  [ "$status" = 2 ] || { cat "$tmp/refuse.out"; fail "$what: exit status $status, expected 2"; }
  grep -q -- "$want" "$tmp/refuse.out" || { cat "$tmp/refuse.out"; fail "$what: the message does not say '$want'"; }
}
expect_refusal "an upper-case name" "cannot name a project" "Demo" --dir "$tmp/bad1"
[ ! -e "$tmp/bad1" ] || fail "parsel new wrote $tmp/bad1 for a bad name"
expect_refusal "a name with a dash" "cannot name a project" "my-app" --dir "$tmp/bad2"
[ ! -e "$tmp/bad2" ] || fail "parsel new wrote $tmp/bad2 for a bad name"
expect_refusal "a name starting with a digit" "cannot name a project" "1demo" --dir "$tmp/bad3"
expect_refusal "no name" "usage: parsel new"

mkdir "$tmp/occupied"
echo "keep me" > "$tmp/occupied/notes.txt"
expect_refusal "a non-empty directory" "already exists and is not empty" demo --dir "$tmp/occupied"
[ "$(ls -A "$tmp/occupied")" = "notes.txt" ] || fail "parsel new wrote into a non-empty directory"
[ "$(cat "$tmp/occupied/notes.txt")" = "keep me" ] || fail "parsel new changed a file in a non-empty directory"
expect_refusal "the same project twice" "already exists and is not empty" demo --dir "$tmp/demo"

# An existing but empty directory is fine.
mkdir "$tmp/empty"
"$parsel" new empty_ok --dir "$tmp/empty" > /dev/null 2>&1 || fail "parsel new refused an empty directory"
[ -f "$tmp/empty/parsel.toml" ] || fail "parsel new did not write into an empty directory"

echo "ok: test_new_project"
