#!/usr/bin/env bash
# parsel fmt (docs/fmt.md):
#  (a) every .pt file of examples/, stdlib/ and tests/ formats idempotently (fmt(fmt(x)) ==
#      fmt(x)); a file refused for a syntax error is left byte-identical; `parsel check` gives
#      the same verdict on a formatted copy of each example project;
#  (b) a messy file becomes the hand-written canonical text (tests/e2e/fmt_cases/);
#  (c) an unparsable file is refused with its code, exit 1, and not modified;
#  (d) --check lists exactly the files that would change and exits 1; 0 on a clean tree;
#      rewriting keeps permissions; usage errors exit 2; --stdin;
#  (e) comments are neither lost nor added;
#  and examples/ and stdlib/ are canonical (`parsel fmt --check examples stdlib` passes).
# Usage: test_fmt.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cases="$root/tests/e2e/fmt_cases"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
checksum() { sha256sum "$1" | cut -d' ' -f1; }
# Comments as the formatter counts them: `//` and `/*` outside strings (a rough count is enough
# to compare a file with its formatted self, which holds the same strings).
count_comments() { sed -e 's/"\([^"\\]\|\\.\)*"//g' "$1" | grep -o '//\|/\*' | wc -l; }

# ---- (a) idempotence on the repository's files, (e) comments kept ------------------------------
mapfile -t files < <(cd "$root" && find examples stdlib tests -name '*.pt' \
  -not -path '*/Output/*' -not -path '*/build/*' | sort)
[ "${#files[@]}" -gt 200 ] || fail "only ${#files[@]} .pt files found"
formatted=0
refused=0
for f in "${files[@]}"; do
  src="$root/$f"
  before="$(checksum "$src")"
  status=0
  "$parsel" fmt --stdin < "$src" > "$work/once.pt" 2> "$work/once.err" || status=$?
  [ "$(checksum "$src")" = "$before" ] || fail "$f: --stdin changed the file"
  if [ "$status" = 1 ]; then
    grep -q 'error\[PT1' "$work/once.err" || { cat "$work/once.err"; fail "$f: refused without a syntax error"; }
    grep -q 'PT1008' "$work/once.err" && fail "$f: the formatter's self-check failed (PT1008)"
    # The same file through the in-place path: refused, and left byte-identical.
    cp "$src" "$work/refused.pt"
    "$parsel" fmt "$work/refused.pt" > /dev/null 2>&1 && fail "$f: fmt PATH accepted what --stdin refused"
    [ "$(checksum "$work/refused.pt")" = "$before" ] || fail "$f: a refused file was modified"
    refused=$((refused + 1))
    continue
  fi
  [ "$status" = 0 ] || { cat "$work/once.err"; fail "$f: exit $status"; }
  "$parsel" fmt --stdin < "$work/once.pt" > "$work/twice.pt" 2> "$work/twice.err" \
    || { cat "$work/twice.err"; fail "$f: the formatted text does not format"; }
  cmp -s "$work/once.pt" "$work/twice.pt" || { diff "$work/once.pt" "$work/twice.pt" | head; fail "$f: not idempotent"; }
  [ "$(count_comments "$src")" = "$(count_comments "$work/once.pt")" ] || fail "$f: comment count changed"
  formatted=$((formatted + 1))
done
[ "$formatted" -gt 200 ] || fail "only $formatted files formatted"
echo "ok (a) $formatted files format idempotently with their comments; $refused refused and untouched"

# check's verdict on each example project is the same after formatting a copy.
for project in "$root"/examples/*/; do
  [ -f "$project/parsel.toml" ] || continue
  name="$(basename "$project")"
  mkdir -p "$work/ex"
  cp -r "$project" "$work/ex/$name"
  rm -rf "$work/ex/$name/build"
  want=0
  "$parsel" check "$work/ex/$name" > /dev/null 2>&1 || want=$?
  "$parsel" fmt "$work/ex/$name" || fail "fmt $name"
  got=0
  "$parsel" check "$work/ex/$name" > /dev/null 2>&1 || got=$?
  [ "$want" = "$got" ] || fail "check $name: $want before formatting, $got after"
done
echo "ok (a) parsel check verdicts of the examples unchanged by formatting"

# ---- (b) a messy file and its canonical text ------------------------------------------------
cp "$cases/messy.pt" "$work/messy.pt"
chmod 640 "$work/messy.pt"
"$parsel" fmt "$work/messy.pt" > "$work/b.out" 2>&1 || { cat "$work/b.out"; fail "fmt messy.pt"; }
cmp -s "$work/messy.pt" "$cases/messy.expected.pt" \
  || { diff "$cases/messy.expected.pt" "$work/messy.pt"; fail "messy.pt is not the expected text"; }
[ "$(stat -c %a "$work/messy.pt")" = 640 ] || fail "fmt changed the file's permissions"
[ "$(count_comments "$cases/messy.pt")" = "$(count_comments "$work/messy.pt")" ] || fail "(e) comments of messy.pt"
[ "$(count_comments "$work/messy.pt")" -ge 8 ] || fail "(e) messy.pt should hold comments"
ls "$work" | grep -q 'parsel-fmt' && fail "a temporary file was left behind"
"$parsel" fmt --stdin < "$cases/messy.pt" > "$work/b.stdin" || fail "--stdin"
cmp -s "$work/b.stdin" "$cases/messy.expected.pt" || fail "--stdin output differs from fmt PATH"
echo "ok (b) messy.pt becomes messy.expected.pt (in place, permissions kept, and via --stdin)"

# ---- (c) a file that does not parse ---------------------------------------------------------
cp "$cases/broken.pt" "$work/broken.pt"
sum="$(checksum "$work/broken.pt")"
status=0
"$parsel" fmt "$work/broken.pt" > "$work/c.out" 2> "$work/c.err" || status=$?
[ "$status" = 1 ] || fail "(c) exit $status for an unparsable file, wanted 1"
grep -q 'broken.pt:5:12: error\[PT1002\]' "$work/c.err" || { cat "$work/c.err"; fail "(c) no PT1002 diagnostic"; }
grep -q '1 file not formatted' "$work/c.err" || fail "(c) no summary"
[ "$(checksum "$work/broken.pt")" = "$sum" ] || fail "(c) the unparsable file was modified"
status=0
"$parsel" fmt --diagnostics=json "$work/broken.pt" > "$work/c.json" 2> /dev/null || status=$?
[ "$status" = 1 ] && grep -q '"code":"PT1002"' "$work/c.json" || fail "(c) --diagnostics=json"
# With other files: they are formatted, the broken one is not, exit 1.
mkdir -p "$work/mixed/src"
cp "$cases/broken.pt" "$work/mixed/src/"
cp "$cases/messy.pt" "$work/mixed/src/"
status=0
"$parsel" fmt "$work/mixed" 2> /dev/null || status=$?
[ "$status" = 1 ] || fail "(c) mixed tree: exit $status"
cmp -s "$work/mixed/src/messy.pt" "$cases/messy.expected.pt" || fail "(c) the parsable file beside a broken one was not formatted"
[ "$(checksum "$work/mixed/src/broken.pt")" = "$sum" ] || fail "(c) broken.pt changed in a tree"
echo "ok (c) an unparsable file is refused with PT1002, exit 1, untouched; the others are formatted"

# ---- (d) --check ----------------------------------------------------------------------------
mkdir -p "$work/tree/a/b" "$work/tree/build" "$work/tree/node_modules/x"
cp "$cases/messy.expected.pt" "$work/tree/clean.pt"
cp "$cases/messy.pt" "$work/tree/a/one.pt"
cp "$cases/messy.pt" "$work/tree/a/b/two.pt"
cp "$cases/messy.pt" "$work/tree/a/b/notes.txt"
cp "$cases/messy.pt" "$work/tree/build/skipped.pt"
cp "$cases/messy.pt" "$work/tree/node_modules/x/skipped.pt"
sums_before="$(cd "$work/tree" && find . -type f | sort | xargs sha256sum)"
status=0
"$parsel" fmt --check "$work/tree" > "$work/d.out" 2> "$work/d.err" || status=$?
[ "$status" = 1 ] || fail "(d) --check on an unformatted tree: exit $status"
printf '%s\n' "$work/tree/a/b/two.pt" "$work/tree/a/one.pt" > "$work/d.want"
cmp -s "$work/d.out" "$work/d.want" || { diff "$work/d.want" "$work/d.out"; fail "(d) --check listed other files"; }
[ "$sums_before" = "$(cd "$work/tree" && find . -type f | sort | xargs sha256sum)" ] || fail "(d) --check wrote something"
"$parsel" fmt "$work/tree" > "$work/d2.out" 2>&1 || { cat "$work/d2.out"; fail "(d) fmt tree"; }
[ -s "$work/d2.out" ] && { cat "$work/d2.out"; fail "(d) fmt printed something"; }
cmp -s "$work/tree/build/skipped.pt" "$cases/messy.pt" || fail "(d) build/ was formatted"
cmp -s "$work/tree/node_modules/x/skipped.pt" "$cases/messy.pt" || fail "(d) node_modules/ was formatted"
cmp -s "$work/tree/a/b/notes.txt" "$cases/messy.pt" || fail "(d) a .txt file was formatted"
"$parsel" fmt --check "$work/tree" > "$work/d3.out" || fail "(d) --check on the formatted tree is not 0"
[ -s "$work/d3.out" ] && fail "(d) --check on a clean tree printed files"
"$parsel" fmt --check "$work/tree/a/one.pt" || fail "(d) --check on one clean file"
status=0
"$parsel" fmt --check --stdin < "$cases/messy.pt" > "$work/d4.out" || status=$?
[ "$status" = 1 ] && grep -qx '<stdin>' "$work/d4.out" || fail "(d) --check --stdin"
echo "ok (d) --check lists exactly the files that would change (exit 1), 0 on a clean tree"

for args in "" "--bogus x.pt" "--stdin x.pt" "$work/no-such-file.pt"; do
  status=0
  # shellcheck disable=SC2086
  "$parsel" fmt $args > /dev/null 2>&1 < /dev/null || status=$?
  [ "$status" = 2 ] || fail "usage: 'parsel fmt $args' exited $status, wanted 2"
done
echo "ok usage errors exit 2"

# ---- the repository's own sources are canonical ---------------------------------------------
(cd "$root" && "$parsel" fmt --check examples stdlib) > "$work/repo.out" \
  || { cat "$work/repo.out"; fail "examples/ or stdlib/ are not formatted: run parsel fmt examples stdlib"; }
echo "ok examples/ and stdlib/ are canonical"
echo "test_fmt: all passed"
