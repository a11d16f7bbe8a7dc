#!/usr/bin/env bash
# `parsel openapi` end to end, on examples/orders_api and on tests/lit/openapi/Inputs/catalog (two
# services; nested schemas, enums, optionals, lists, maps, bytes, timestamps, durations and every
# validate rule):
#   1. each document is valid OpenAPI 3.1 for the real validator from npm (tests/openapi:
#      @apidevtools/swagger-parser, every $ref resolved), and the same bytes come out twice;
#   2. the validator does run: a document without info.version, and one with a dangling $ref,
#      are reported INVALID;
#   3. structural facts of each document, read back with python3;
#   4. each program is built and run (127.0.0.1, free ports), and openapi_conform.js sends it the
#      requests of openapi_cases/*.js: every body the schemas accept is accepted, every body they
#      refuse is answered 400, and every answer's status and body match the document.
# Usage: test_openapi.sh PARSEL
set -euo pipefail
parsel="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pid=""
stop_program() {
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2> /dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  pid=""
}
cleanup() {
  stop_program
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  [ -f "$work/run.err" ] && { echo "--- program stderr:"; tail -20 "$work/run.err"; }
  exit 1
}

# The validator: Node.js and tests/openapi's pinned packages (installed here when missing).
command -v node > /dev/null || fail "node is not installed: the OpenAPI validator runs on Node.js"
modules="$root/tests/openapi/node_modules"
if [ ! -d "$modules/@apidevtools/swagger-parser" ] || [ ! -d "$modules/ajv" ]; then
  command -v npm > /dev/null ||
    fail "npm is not installed, and tests/openapi/node_modules is missing: install Node.js's npm, then run \`npm ci --prefix tests/openapi\`"
  echo "installing the validator: npm ci --prefix tests/openapi"
  npm ci --prefix "$root/tests/openapi" --no-audit --no-fund > "$work/npm.log" 2>&1 ||
    { cat "$work/npm.log"; fail "npm ci --prefix tests/openapi"; }
fi
export NODE_PATH="$modules"
validate() { node "$root/tests/openapi/validate.js" "$@"; }

cp -r "$root/examples/orders_api" "$work/orders_api"
cp -r "$root/tests/lit/openapi/Inputs/catalog" "$work/catalog"
rm -rf "$work/orders_api/build" "$work/catalog/build"

# 1. Valid documents, deterministic.
for project in orders_api catalog; do
  "$parsel" openapi "$work/$project" --output "$work/$project.json" 2> "$work/openapi.err" ||
    { cat "$work/openapi.err"; fail "parsel openapi $project"; }
  "$parsel" openapi "$work/$project" > "$work/$project.again.json"
  cmp -s "$work/$project.json" "$work/$project.again.json" || fail "$project: two runs differ"
  validate "$work/$project.json" > "$work/validate.out" ||
    { cat "$work/validate.out"; fail "$project: the validator refuses the document"; }
  grep -q "^ok .*OpenAPI 3.1.0" "$work/validate.out" || fail "$project: $(cat "$work/validate.out")"
  echo "valid: $project ($(cat "$work/validate.out"))"
done

# 2. The validator refuses broken documents (so step 1 proves something).
python3 - "$work" << 'EOF'
import json, sys
work = sys.argv[1]
doc = json.load(open(f"{work}/orders_api.json"))
del doc["info"]["version"]
json.dump(doc, open(f"{work}/no_version.json", "w"))
doc = json.load(open(f"{work}/orders_api.json"))
doc["paths"]["/orders"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] = \
    "#/components/schemas/Nowhere"
json.dump(doc, open(f"{work}/dangling.json", "w"))
EOF
for broken in no_version dangling; do
  if validate "$work/$broken.json" > "$work/validate.out"; then
    fail "the validator accepts $broken.json: $(cat "$work/validate.out")"
  fi
  grep -q "^INVALID" "$work/validate.out" || fail "$broken: $(cat "$work/validate.out")"
done
echo "refused: a document without info.version, and one with a dangling \$ref"

# 3. Structural facts.
python3 - "$work" << 'EOF' || fail "structure (above)"
import json, sys
work = sys.argv[1]

def refs(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                out.append(v)
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
    return out

def resolve(doc, ref):
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node

def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method != "servers":
                yield path, method, op

def common(doc):
    assert doc["openapi"] == "3.1.0"
    for r in refs(doc, []):
        resolve(doc, r)  # every $ref points at something
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids)), ids
    for path, method, op in operations(doc):
        for status in ("400", "500"):
            assert status in op["responses"], (path, method, status)
        for name in path.split("{")[1:]:
            name = name.split("}")[0]
            params = [p for p in op.get("parameters", []) if p["in"] == "path"]
            assert any(p["name"] == name and p["required"] for p in params), (path, name)

orders = json.load(open(f"{work}/orders_api.json"))
common(orders)
assert orders["info"] == {"title": "orders_api", "version": "0.1.0"}, orders["info"]
assert [s["url"] for s in orders["servers"]] == ["http://127.0.0.1:8080"]
shape = {p: sorted(m for m in item if m != "servers") for p, item in orders["paths"].items()}
assert shape == {"/orders": ["get", "post"], "/orders/{order_id}": ["delete", "get"]}, shape
post = orders["paths"]["/orders"]["post"]
assert post["requestBody"]["required"] is True
assert post["requestBody"]["content"]["application/json"]["schema"] == {
    "$ref": "#/components/schemas/NewOrder"}
assert post["responses"]["201"]["content"]["application/json"]["schema"] == {
    "$ref": "#/components/schemas/Order"}
assert "413" in post["responses"] and "413" not in orders["paths"]["/orders"]["get"]["responses"]
assert "content" not in orders["paths"]["/orders/{order_id}"]["delete"]["responses"]["204"]
assert "404" in orders["paths"]["/orders/{order_id}"]["get"]["responses"]
query = {p["name"]: p for p in orders["paths"]["/orders"]["get"]["parameters"]}
assert query["limit"]["schema"]["default"] == 100 and not query["limit"]["required"]
assert query["customer"]["schema"] == {"type": "string"} and not query["customer"]["required"]
new_order = orders["components"]["schemas"]["NewOrder"]
assert new_order["required"] == ["customer", "product", "unit_price"], new_order["required"]
assert new_order["additionalProperties"] is False
q = new_order["properties"]["quantity"]
assert (q["minimum"], q["maximum"], q["default"]) == (1, 100, 1), q
assert new_order["properties"]["note"]["type"] == ["string", "null"]
problem = orders["components"]["schemas"]["Problem"]
assert set(problem["properties"]) == {"type", "title", "status", "detail", "instance", "field", "rule"}

catalog = json.load(open(f"{work}/catalog.json"))
common(catalog)
assert [t["name"] for t in catalog["tags"]] == ["Catalog", "Admin"]
assert [s["url"] for s in catalog["servers"]] == ["http://127.0.0.1:8081", "http://127.0.0.1:8082"]
for path, method, op in operations(catalog):  # two services: each operation says its server
    where = op.get("servers") or catalog["paths"][path].get("servers")
    port = {"Catalog": "8081", "Admin": "8082"}[op["tags"][0]]
    assert where and where[0]["url"].endswith(":" + port), (path, method, where)
print("structure: ok")
EOF

# 4. Build, run, and hold each program to its document.
conform() {  # PROJECT SERVICE...
  local project="$1"
  shift
  "$parsel" build "$work/$project" > "$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; fail "parsel build $project"; }
  local env=(PT_BASILISK_HOST=127.0.0.1 PT_BASILISK_ACCESS_LOG=off)
  for service in "$@"; do env+=("PT_BASILISK_PORT_$service=0"); done
  env "${env[@]}" "$work/$project/build/bin/$project" > "$work/run.out" 2> "$work/run.err" &
  pid=$!
  local urls=()
  for service in "$@"; do
    local port=""
    for _ in $(seq 1 100); do
      port="$(sed -n "s/.*$service listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p" "$work/run.err" | head -1)"
      [ -n "$port" ] && break
      kill -0 "$pid" 2> /dev/null || fail "$project exited at start"
      sleep 0.1
    done
    [ -n "$port" ] || fail "no '$service listening on' line within 10 s"
    urls+=("$service=http://127.0.0.1:$port")
  done
  node "$root/tests/e2e/openapi_conform.js" "$work/$project.json" \
    "$root/tests/e2e/openapi_cases/$project.js" "${urls[@]}" > "$work/conform.out" ||
    { cat "$work/conform.out"; fail "$project does not conform to its document"; }
  tail -1 "$work/conform.out"
  stop_program
  rm -f "$work/run.err"
}
conform orders_api OrderApi
conform catalog Catalog Admin
echo "ok: parsel openapi"
