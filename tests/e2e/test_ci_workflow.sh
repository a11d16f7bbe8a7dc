#!/usr/bin/env bash
# Keeps docs/ci.md and docs/ci/parsel.yml true: runs the workflow's annotation converter (the
# lines between its BEGIN/END annotations markers, as the runner's shell would) over the JSON
# diagnostics of a broken copy of examples/orders_api, and walks the drift checks the workflow
# relies on: `parsel build --check` (0 when up to date, 1 when stale) and `parsel openapi`
# writing the same bytes twice.
# Usage: test_ci_workflow.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

# The converter, as the runner runs it: the block scalar's 10-space indentation removed.
sed -n '/# BEGIN annotations/,/# END annotations/p' "$root/docs/ci/parsel.yml" \
  | sed -e '1d' -e '$d' -e 's/^          //' > "$work/annotate.sh"
grep -q "python3 -c" "$work/annotate.sh" || fail "no converter between the markers"

cp -r "$root/examples/orders_api" "$work/project"
rm -rf "$work/project/build"
cd "$work/project"
sed -i 's/return_created(order)/return_created(ordr)/' src/orders_api.pt
status=0
"$parsel" check . --diagnostics=json > diagnostics.jsonl || status=$?
[ "$status" = "1" ] || fail "parsel check of a broken project: status $status, wanted 1"
bash "$work/annotate.sh" > annotations.txt || fail "the converter failed: $(cat annotations.txt)"
want="::error file=src/orders_api.pt,line=56,col=24,endLine=56,endColumn=28,title=PT2001::nothing named 'ordr' is in scope here (fix: did you mean 'order'?)"
grep -qxF -- "$want" annotations.txt || { cat annotations.txt; fail "no annotation for PT2001"; }
echo "ok annotations"

sed -i 's/return_created(ordr)/return_created(order)/' src/orders_api.pt
"$parsel" build . --emit-only > /dev/null 2>&1 || fail "parsel build --emit-only"
"$parsel" build . --check > /dev/null 2>&1 || fail "build --check right after generating: not 0"
sed -i 's/there is no order {order_id}/no order {order_id}/' src/orders_api.pt
status=0
"$parsel" build . --check > check.out 2>&1 || status=$?
[ "$status" = "1" ] || { cat check.out; fail "build --check after an edit: status $status, wanted 1"; }
grep -q "stale: build/gen/" check.out || { cat check.out; fail "build --check names no stale file"; }
echo "ok build --check"

"$parsel" openapi . --output openapi.json
cp openapi.json first.json
"$parsel" openapi . --output openapi.json
cmp -s first.json openapi.json || fail "parsel openapi wrote different bytes twice"
echo "ok openapi drift check"
echo "PASS test_ci_workflow"
