// Requests for tests/lit/openapi/Inputs/catalog (see openapi_conform.js): bodies the document's
// schemas accept must be accepted by the service, bodies they refuse must be refused with 400,
// and every answer must match the document. Rules and types each get a case on both sides.
"use strict";

// A Product with only what must be given.
function product(extra = {}) {
  return {
    code: "ABC-1234",
    name: "Tea",
    price: { cents: 150 },
    weight: 1.5,
    colours: ["red"],
    labels: { a: 1 },
    picture: "AAEC",
    added: "2026-01-02T03:04:05Z",
    ...extra,
  };
}
function without(name) {
  const p = product();
  delete p[name];
  return p;
}
const put = (name, body, expect) => ({
  name,
  service: "Catalog",
  method: "PUT",
  path: "/products/ABC-1234",
  body,
  schema: "Product",
  expect,
});
const accept = (name, body) => put(name, body, "accept");
const refuse = (name, body) => put(name, body, "refuse");
const base64 = (n) => Buffer.alloc(n, 7).toString("base64");

module.exports = [
  accept("the required fields only", product()),
  accept(
    "every field given",
    product({
      unit: "kilogram",
      stock: 5,
      tags: ["green", "tea"],
      attributes: { origin: "Assam" },
      note: "loose leaf",
      grade: 2,
      size: "litre",
      thumbnail: "AA==",
      shelf_life: 3600000000000,
      related: [{ cents: 1, currency: "USD" }],
      variants: [product({ code: "ABC-0001" })],
      discount: { cents: 10, currency: "GBP" },
      rank: 9,
      offset: -10,
    })
  ),
  accept(
    "optionals as null",
    product({ note: null, grade: null, size: null, thumbnail: null, discount: null })
  ),
  accept("an f64 written as an integer", product({ weight: 2 })),
  accept("80 characters of two bytes each", product({ name: "é".repeat(80) })),
  accept("a timestamp with an offset and nanoseconds", product({ added: "2026-01-02T03:04:05.123456789+02:00" })),
  accept("a timestamp in lower case", product({ added: "2026-01-02t03:04:05z" })),
  accept("3000 bytes", product({ picture: base64(3000) })),
  accept("lists and maps at their bounds", product({ tags: Array(10).fill("t"), attributes: Object.fromEntries([...Array(20).keys()].map((i) => ["k" + i, "v"])) })),
  refuse("a missing required field", without("code")),
  refuse("a list whose empty value breaks non_empty, left out", without("colours")),
  refuse("a map whose empty value breaks non_empty, left out", without("labels")),
  refuse("an unknown field", product({ colour: "red" })),
  refuse("matches: not the pattern", product({ code: "abc-1234" })),
  refuse("matches: the whole text", product({ code: "ABC-12345" })),
  refuse("length_between: too short", product({ name: "" })),
  refuse("length_between: 81 characters", product({ name: "é".repeat(81) })),
  refuse("between on f64: above", product({ weight: 1000.6 })),
  refuse("f64 given as a string", product({ weight: "1.5" })),
  refuse("at_most", product({ stock: 1000001 })),
  refuse("non_empty on a list", product({ colours: [] })),
  refuse("an enum member that does not exist", product({ colours: ["purple"] })),
  refuse("non_empty on a map", product({ labels: {} })),
  refuse("a map value of the wrong type", product({ labels: { a: "x" } })),
  refuse("non_empty on an optional string", product({ note: "" })),
  refuse("one_of on an optional i64", product({ grade: 4 })),
  refuse("a base64 text of the wrong length", product({ picture: "AAE" })),
  refuse("length_between on bytes: none", product({ picture: "" })),
  refuse("length_between on bytes: 3001", product({ picture: base64(3001) })),
  refuse("non_empty on optional bytes", product({ thumbnail: "" })),
  refuse("a month 13", product({ added: "2026-13-01T00:00:00Z" })),
  refuse("a space for the T", product({ added: "2026-01-02 03:04:05Z" })),
  refuse("ten fraction digits", product({ added: "2026-01-02T03:04:05.1234567890Z" })),
  refuse("a timestamp without an offset", product({ added: "2026-01-02T03:04:05" })),
  refuse("between on a duration", product({ shelf_life: 0 })),
  refuse("a duration as text", product({ shelf_life: "1 h" })),
  refuse("between under allOf", product({ rank: 1 })),
  refuse("at_most beside between", product({ rank: 10 })),
  refuse("a negative bound", product({ offset: -11 })),
  refuse("a nested schema's rule", product({ price: { cents: -1 } })),
  refuse("a nested one_of", product({ price: { cents: 1, currency: "JPY" } })),
  refuse("a nested unknown field", product({ price: { cents: 1, euros: 2 } })),
  refuse("a schema inside a list of itself", product({ variants: [product({ code: "x" })] })),
  refuse("null for a field that is not optional", product({ unit: null })),
  refuse("too many list items", product({ tags: Array(11).fill("t") })),
  refuse("not an object", [product()]),
  // Answers and problems without a body to compare.
  { name: "get the stored product", service: "Catalog", method: "GET", path: "/products/ABC-1234", status: 200 },
  { name: "list the products", service: "Catalog", method: "GET", path: "/products?owner=me&unit=kilogram&limit=5&in_stock=false&min_weight=0", status: 200 },
  { name: "a missing required query parameter", service: "Catalog", method: "GET", path: "/products", status: 400 },
  { name: "a query parameter of the wrong type", service: "Catalog", method: "GET", path: "/products?owner=me&limit=many", status: 400 },
  { name: "an enum path parameter", service: "Catalog", method: "GET", path: "/units/litre/count/1.5/true", status: 200 },
  { name: "an enum path parameter that is no member", service: "Catalog", method: "GET", path: "/units/gallon/count/1.5/true", status: 400 },
  { name: "a return_not_found", service: "Catalog", method: "GET", path: "/products/XYZ-0000", status: 404 },
  { name: "a literal return_error", service: "Catalog", method: "PUT", path: "/products/XYZ-0000", body: product(), status: 409 },
  { name: "a computed return_error", service: "Catalog", method: "POST", path: "/products/ABC-1234/price", body: { cents: 29 }, status: 429 },
  { name: "a computed status out of range", service: "Catalog", method: "POST", path: "/products/ABC-1234/price", body: { cents: 300 }, status: 500 },
  { name: "a map answer", service: "Admin", method: "GET", path: "/stats", status: 200 },
  { name: "a string answer at the root", service: "Admin", method: "GET", path: "/", status: 200 },
  { name: "no content", service: "Admin", method: "DELETE", path: "/products/ABC-1234", status: 204 },
];
