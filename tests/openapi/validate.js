// Usage: node validate.js FILE.json...
// Validates each OpenAPI document against the OpenAPI 3.x schema and resolves every $ref
// (@apidevtools/swagger-parser); prints one line per file and exits 1 if any is invalid.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node validate.js FILE.json...");
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    try {
      const api = await SwaggerParser.validate(file);
      const paths = Object.keys(api.paths || {}).length;
      console.log(`ok ${file}: OpenAPI ${api.openapi}, ${paths} paths`);
    } catch (err) {
      console.log(`INVALID ${file}: ${err.message}`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
