#!/usr/bin/env bash
# decode_json / decode_json_error / to_json end to end: a valid document decodes (defaults and
# optionals filled in) and re-encodes canonically; each invalid one is refused with a JSON path
# and a reason: wrong type, missing field, unknown field, bad enum member, a validate rule broken
# at the top level and inside a list element (`$.lines[1].quantity`), and text that is not JSON.
set -euo pipefail
parsel="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

project="$tmp/json_check"
mkdir -p "$project/src"
printf '[project]\nname = "json_check"\nversion = "0.1.0"\nmodules = ["src"]\n' > "$project/parsel.toml"
cat > "$project/src/main.pt" <<'PT'
module json_check

import std.strings

enum Status { draft, sent, paid }

schema Line {
    field sku: string       validate non_empty()
    field quantity: i64     validate between(1, 1000)
    field unit_price: f64   validate at_least(0.0)
}

schema Invoice {
    field invoice_id: i64           validate at_least(1)
    field customer: string          validate length_between(1, 64)
    field status: Status
    field lines: list<Line>
    field note: optional<string>
    field paid: bool = false
    field tags: map<string, i64>
}

function show(label: string, text: string) {
    let_immutable_var error = decode_json_error(text, Invoice)
    if error == "" {
        print_line("{label}: accepted")
    } else {
        print_line("{label}: {error}")
    }
}

program main {
    let_immutable_var good = "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", "
        + "\"lines\": [\{\"sku\": \"TEA\", \"quantity\": 2, \"unit_price\": 4.5\}, "
        + "\{\"sku\": \"MUG\", \"quantity\": 1, \"unit_price\": 3\}], \"tags\": \{\"vip\": 1\}\}"
    match decode_json(good, Invoice) {
        when some(invoice) {
            print_line("decoded {invoice.invoice_id} for {invoice.customer}: {invoice.status}, {length(invoice.lines)} lines, paid {invoice.paid}")
            print_line("second line: {invoice.lines[1].sku} at {invoice.lines[1].unit_price}")
            match invoice.note {
                when some(text) {
                    print_line("note: {text}")
                }
                when none {
                    print_line("note: none")
                }
            }
            print_line(to_json(invoice))
            let_immutable_var again = decode_json(to_json(invoice), Invoice)
            match again {
                when some(copy) {
                    print_line("round trip equal: {to_json(copy) == to_json(invoice)}")
                }
                when none {
                    print_line("round trip failed: {decode_json_error(to_json(invoice), Invoice)}")
                }
            }
        }
        when none {
            print_line("the good document was refused: {decode_json_error(good, Invoice)}")
        }
    }
    show("good", good)
    show("wrong type", "\{\"invoice_id\": \"one\", \"customer\": \"Ada\", \"status\": \"sent\"\}")
    show("nested wrong type", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"lines\": [\{\"sku\": \"TEA\", \"quantity\": \"2\", \"unit_price\": 1.0\}]\}")
    show("float for i64", "\{\"invoice_id\": 1.5, \"customer\": \"Ada\", \"status\": \"sent\"\}")
    show("missing field", "\{\"invoice_id\": 1, \"status\": \"sent\"\}")
    show("nested missing field", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"lines\": [\{\"sku\": \"TEA\", \"unit_price\": 1.0\}]\}")
    show("null for a required field", "\{\"invoice_id\": 1, \"customer\": null, \"status\": \"sent\"\}")
    show("unknown field", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"colour\": \"red\"\}")
    show("unknown field with an odd name", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"odd key\": 1\}")
    show("bad enum member", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"lost\"\}")
    show("top-level rule", "\{\"invoice_id\": 1, \"customer\": \"\", \"status\": \"sent\"\}")
    show("nested rule", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"lines\": [\{\"sku\": \"TEA\", \"quantity\": 1, \"unit_price\": 1.0\}, \{\"sku\": \"MUG\", \"quantity\": 0, \"unit_price\": 1.0\}]\}")
    show("map value of the wrong type", "\{\"invoice_id\": 1, \"customer\": \"Ada\", \"status\": \"sent\", \"tags\": \{\"vip\": true\}\}")
    show("not an object", "[1, 2]")
    show("duplicate key", "\{\"invoice_id\": 1, \"invoice_id\": 2, \"customer\": \"Ada\", \"status\": \"sent\"\}")
    let_immutable_var not_json = decode_json_error("\{\"invoice_id\": ", Invoice)
    print_line("truncated text: {starts_with(not_json, "$: not valid JSON: ")}")

    // validation_error on a value built in the program, with the path of a nested field.
    let_immutable_var built = Invoice {
        invoice_id: 2,
        customer: "Bo",
        status: Status.draft,
        lines: [Line { sku: "TEA", quantity: 1, unit_price: 1.0 }, Line { sku: "", quantity: 1, unit_price: 1.0 }],
    }
    print_line("validation_error: {validation_error(built)}")
}
PT
cat > "$tmp/expected.txt" <<'OUT'
decoded 1 for Ada: sent, 2 lines, paid false
second line: MUG at 3.0
note: none
{"invoice_id":1,"customer":"Ada","status":"sent","lines":[{"sku":"TEA","quantity":2,"unit_price":4.5},{"sku":"MUG","quantity":1,"unit_price":3}],"note":null,"paid":false,"tags":{"vip":1}}
round trip equal: true
good: accepted
wrong type: $.invoice_id: expected an integer (i64), found a string
nested wrong type: $.lines[0].quantity: expected an integer (i64), found a string
float for i64: $.invoice_id: expected an integer (i64), found a floating-point number
missing field: $.customer: missing required field (string)
nested missing field: $.lines[0].quantity: missing required field (i64)
null for a required field: $.customer: expected a string, found null
unknown field: $.colour: unknown field: Invoice has no such field
unknown field with an odd name: $["odd key"]: unknown field: Invoice has no such field
bad enum member: $.status: expected one of Status (draft, sent, paid), found "lost"
top-level rule: $.customer: length must be between 1 and 64 (length_between(1, 64))
nested rule: $.lines[1].quantity: must be between 1 and 1000 (between(1, 1000))
map value of the wrong type: $.tags.vip: expected an integer (i64), found a boolean
not an object: $: expected an object, found an array
duplicate key: $: duplicate field "invoice_id"
truncated text: true
validation_error: lines[1].sku: must not be empty
OUT

"$parsel" build "$project" > "$tmp/build.out" 2> "$tmp/build.err" || { cat "$tmp/build.err"; fail "the JSON program does not build"; }
set +e
"$project/build/bin/json_check" > "$tmp/actual.txt" 2> "$tmp/stderr.txt"
status=$?
set -e
[ "$status" = 0 ] || { cat "$tmp/stderr.txt"; fail "the JSON program exited $status"; }
diff -u "$tmp/expected.txt" "$tmp/actual.txt" || fail "decode_json output differs (diff above: expected vs actual)"
echo "ok: test_json"
