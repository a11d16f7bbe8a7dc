// Requests for examples/orders_api (see openapi_conform.js): what NewOrder's schema accepts the
// service accepts, what it refuses the service refuses with 400, and every answer (201, 200,
// 204, 400, 404) matches the document.
"use strict";

const order = (extra = {}) => ({ customer: "ada", product: "tea", unit_price: 2.5, ...extra });
const post = (name, body, expect) => ({
  name,
  service: "OrderApi",
  method: "POST",
  path: "/orders",
  body,
  schema: "NewOrder",
  expect,
  ...(expect === "accept" ? { status: 201 } : {}),
});
const get = (name, path, status) => ({ name, service: "OrderApi", method: "GET", path, status });

module.exports = [
  post("an order with every field", order({ quantity: 3, note: "green" }), "accept"),
  post("quantity left to its default, note null", order({ note: null }), "accept"),
  post("an integer price", order({ unit_price: 3 }), "accept"),
  post("40 characters", order({ customer: "c".repeat(40) }), "accept"),
  post("quantity under between(1, 100)", order({ quantity: 0 }), "refuse"),
  post("quantity over between(1, 100)", order({ quantity: 101 }), "refuse"),
  post("an empty customer", order({ customer: "" }), "refuse"),
  post("41 characters", order({ customer: "c".repeat(41) }), "refuse"),
  post("a negative price", order({ unit_price: -0.5 }), "refuse"),
  post("an unknown field", order({ colour: "red" }), "refuse"),
  post("a note of the wrong type", order({ note: 5 }), "refuse"),
  post("no product", { customer: "ada", unit_price: 1 }, "refuse"),
  get("get an order", "/orders/1", 200),
  get("an order that does not exist", "/orders/999", 404),
  get("a path parameter that is not an i64", "/orders/abc", 400),
  get("list with every query parameter", "/orders?customer=ada&limit=5", 200),
  get("list with the defaults", "/orders", 200),
  get("the handler's return_bad_request", "/orders?limit=0", 400),
  get("a query parameter that is not an i64", "/orders?limit=many", 400),
  { name: "delete", service: "OrderApi", method: "DELETE", path: "/orders/1", status: 204 },
  { name: "delete again", service: "OrderApi", method: "DELETE", path: "/orders/1", status: 404 },
];
