// Checks a running Basilisk program against the OpenAPI document `parsel openapi` wrote for it.
//
// Usage: node openapi_conform.js DOC.json CASES.js Service=http://127.0.0.1:PORT...
// (NODE_PATH must reach tests/openapi/node_modules, for Ajv's draft 2020-12 validator.)
//
// CASES.js exports an array of cases (openapi_cases/). Each case sends one request: {"name", "service", "method", "path", "body"?, "schema"?,
// "expect": "accept" | "refuse"}. With a body and a schema, the body is validated against
// components.schemas[schema] and the verdict must be the expected one; the service must agree
// (2xx for "accept", 400 for "refuse"). A case without "expect" only checks the response. Every
// response is then checked against the document: its status is listed for the operation (or
// there is a `default`), and its body matches the listed content (application/json with the
// schema, application/problem+json with Problem, nothing for a response without content).
// Prints one line per case and exits 1 on the first failure.
"use strict";
const fs = require("fs");
const http = require("http");
const Ajv2020 = require("ajv/dist/2020");

function fail(message) {
  console.log(`FAIL: ${message}`);
  process.exit(1);
}

const [docFile, casesFile, ...bases] = process.argv.slice(2);
if (!docFile || !casesFile || bases.length === 0) {
  console.error("usage: node openapi_conform.js DOC.json CASES.js Service=URL...");
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(docFile, "utf8"));
const cases = require(require("path").resolve(casesFile));
const urls = Object.fromEntries(bases.map((b) => b.split(/=(.*)/s).slice(0, 2)));

// The document is compiled as one schema (OpenAPI's own keywords are not JSON Schema's: strict
// mode off); formats are annotations in 2020-12, so the checks come from type, pattern, etc.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
ajv.addSchema(doc, "doc");
function validator(pointer) {
  const v = ajv.getSchema(`doc#${pointer}`);
  if (!v) fail(`the document has no schema at ${pointer}`);
  return v;
}
function check(pointer, value) {
  const v = validator(pointer);
  return v(value) ? null : ajv.errorsText(v.errors);
}

// The operation answering `method` `path`, found through the document's path templates.
function operation(method, path) {
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    if (new RegExp(`^${pattern}$`).test(path) && item[method.toLowerCase()]) {
      return { template, op: item[method.toLowerCase()] };
    }
  }
  return null;
}

function request(base, method, path, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const headers = {};
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    const req = http.request(url, { method, headers, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode,
          type: res.headers["content-type"] || "",
          text: Buffer.concat(chunks).toString("utf8"),
        })
      );
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// The response object the document lists for `status`, with a $ref to components resolved.
function listed(op, status) {
  let r = op.responses[String(status)] || op.responses.default;
  if (r && r.$ref) r = doc.components.responses[r.$ref.split("/").pop()];
  return r;
}

async function run(c) {
  const base = urls[c.service];
  if (!base) fail(`${c.name}: no URL for service ${c.service}`);
  const found = operation(c.method, c.path.split("?")[0]);
  if (!found) fail(`${c.name}: the document has no operation for ${c.method} ${c.path}`);
  const body = c.body === undefined ? undefined : c.raw ? c.body : JSON.stringify(c.body);
  let verdict = "";
  if (c.schema) {
    const why = check(`/components/schemas/${c.schema}`, c.body);
    verdict = why ? `schema refuses (${why})` : "schema accepts";
    if ((why === null) !== (c.expect === "accept")) {
      fail(`${c.name}: expected the schema to ${c.expect}, but: ${verdict}`);
    }
  }
  const res = await request(base, c.method, c.path, body);
  if (c.expect === "accept" && (res.status < 200 || res.status > 299)) {
    fail(`${c.name}: ${verdict}, but the service answered ${res.status}: ${res.text}`);
  }
  if (c.expect === "refuse" && res.status !== 400) {
    fail(`${c.name}: ${verdict}, but the service answered ${res.status}: ${res.text}`);
  }
  if (c.status !== undefined && res.status !== c.status) {
    fail(`${c.name}: expected status ${c.status}, got ${res.status}: ${res.text}`);
  }
  const r = listed(found.op, res.status);
  if (!r) fail(`${c.name}: ${res.status} is not among ${found.template}'s responses`);
  const content = r.content || {};
  const media = Object.keys(content);
  if (media.length === 0) {
    if (res.text !== "") fail(`${c.name}: ${res.status} has no content in the document: ${res.text}`);
  } else {
    const type = res.type.split(";")[0].trim();
    if (!content[type]) fail(`${c.name}: answered ${type}, the document lists ${media.join(", ")}`);
    let value;
    try {
      value = JSON.parse(res.text);
    } catch (e) {
      fail(`${c.name}: the body is not JSON: ${res.text}`);
    }
    const schema = content[type].schema;
    const pointer = schema.$ref ? schema.$ref.slice(1) : null;
    const why = pointer
      ? check(pointer, value)
      : (() => {
          const inline = ajv.compile(rewrite(schema));
          return inline(value) ? null : ajv.errorsText(inline.errors);
        })();
    if (why) fail(`${c.name}: the ${res.status} body does not match the document: ${why}\n${res.text}`);
  }
  console.log(`ok ${c.name}: ${res.status}${verdict ? ", " + verdict.split(" (")[0] : ""}`);
}

// An inline response schema refers to "#/components/..." of the document: point it at "doc#".
function rewrite(schema) {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"doc#/'));
}

(async () => {
  for (const c of cases) await run(c);
  console.log(`${cases.length} cases conform`);
})().catch((e) => fail(e.stack || String(e)));
