// Validates an AsyncAPI document with the official parser (@asyncapi/parser), resolving its
// relative $refs from the file system. Prints every diagnostic; exits 1 when any is an error
// or a warning, 2 on bad usage. Run by the Maven tests (dev.sandq.ops.AsyncApiDocumentTest).
//
//   node validate-asyncapi.mjs PATH/asyncapi.yaml
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, fromFile } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate-asyncapi.mjs ASYNCAPI_FILE');
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, resolve(file)).parse();
const severities = ['error', 'warning', 'info', 'hint'];
let bad = 0;
for (const d of diagnostics) {
  const severity = severities[d.severity] ?? String(d.severity);
  if (d.severity <= 1) bad++;
  console.log(`${severity} ${d.code} at ${(d.path || []).join('.')}: ${d.message}`);
}
if (!document || bad > 0) {
  console.log(`INVALID: ${bad} error(s)/warning(s)`);
  process.exit(1);
}
console.log(`VALID: asyncapi ${document.version()}, channels ${document.channels().all().map(c => c.address()).join(', ')}`);
