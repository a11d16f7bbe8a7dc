#!/usr/bin/env bash
# parsel fix: on a copy of examples/orders_api with two misspelled names (each diagnostic has a
# machine-applicable "did you mean" fix), fix restores the file byte for byte and exits 0; run
# again it changes nothing; with an error that has no fix left in, it applies what it can,
# leaves the rest, prints it as check does and exits 1; on a lone file, errors' fixes come
# before warnings'.
# Usage: test_fix.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
cp -r "$root/examples/orders_api" "$work/p"
rm -rf "$work/p/build"
src="$work/p/src/orders_api.pt"
cp "$src" "$work/original.pt"

sed -i -e 's/return_created(order)/return_created(ordr)/' \
  -e 's/map_put(orders, order_key(order.order_id), order)/map_put(ordrs, order_key(order.order_id), order)/' "$src"
"$parsel" check "$work/p" > /dev/null 2>&1 && fail "the broken copy checks"
"$parsel" fix "$work/p" 2> "$work/fix1.err" || { cat "$work/fix1.err"; fail "fix: not 0"; }
cmp -s "$work/original.pt" "$src" || { diff "$work/original.pt" "$src"; fail "fix did not restore the file"; }
grep -q "applied 2 fixes in 1 file" "$work/fix1.err" || { cat "$work/fix1.err"; fail "summary"; }
echo "ok two fixes applied"

"$parsel" fix "$work/p" 2> "$work/fix2.err" || fail "second fix: not 0"
grep -q "applied 0 fixes in 0 files" "$work/fix2.err" || { cat "$work/fix2.err"; fail "second fix changed something"; }
echo "ok idempotent"

sed -i -e 's/return_created(order)/return_created(ordr)/' \
  -e 's/set_var next_order_id = next_order_id + 1/set_var next_order_id = "one"/' "$src"
status=0
"$parsel" fix "$work/p" --diagnostics=json > "$work/left.jsonl" 2> "$work/fix3.err" || status=$?
[ "$status" = "1" ] || { cat "$work/fix3.err"; fail "fix with an unfixable error: status $status, wanted 1"; }
grep -q "return_created(order)" "$src" || fail "the fixable error was not fixed"
grep -q 'next_order_id = "one"' "$src" || fail "the unfixable line changed"
python3 -c 'import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; assert len(d) >= 1 and all(x["severity"] in ("error","warning") for x in d), d' \
  "$work/left.jsonl" || fail "what is left is not printed as JSON diagnostics"
echo "ok unfixable error left, exit 1"
# A lone file, and errors' fixes before warnings': the misspelled use is fixed; the parameter
# that only looked unused because of it is not renamed to _width.
printf 'module m\n\nfunction twice(width: i64) returns i64 {\n    return widht * 2\n}\n' > "$work/m.pt"
"$parsel" fix "$work/m.pt" 2> "$work/fix4.err" || { cat "$work/fix4.err"; fail "fix of a lone file"; }
grep -q "function twice(width: i64)" "$work/m.pt" || { cat "$work/m.pt"; fail "the parameter was renamed"; }
grep -q "return width \* 2" "$work/m.pt" || { cat "$work/m.pt"; fail "the misspelling was not fixed"; }
echo "ok errors first, lone file"
echo "PASS test_fix"
