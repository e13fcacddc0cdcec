// Runs edge/auto-format.js (a CloudFront Function) in a node vm against edge/accept-formats.json.
// The `cloudfront` module exists only inside CloudFront, so its import is replaced by a stand-in whose
// key value store answers from the table. Usage: node auto-format.test.js <auto-format.js> <accept-formats.json>
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');

const [source, tablePath] = process.argv.slice(2);
const table = JSON.parse(fs.readFileSync(tablePath, 'utf8'));
const code = fs.readFileSync(source, 'utf8');
if (!/^import cf from 'cloudfront';$/m.test(code)) {
  throw new Error('expected the cloudfront-js-2.0 import line');
}

function load(avifEncoder, alphaIds) {
  const kvs = {
    get: async (key) => {
      if (!(key in alphaIds)) throw new Error('key not found');
      return alphaIds[key];
    },
  };
  const context = vm.createContext({ cf: { kvs: () => kvs } });
  const script = code.replace(/^import cf from 'cloudfront';$/m, '')
    .replace(/^var AVIF_ENCODER_AVAILABLE = false;$/m, 'var AVIF_ENCODER_AVAILABLE = ' + avifEncoder + ';');
  vm.runInContext(script, context);
  return context;
}

const failures = [];
let checked = 0;
const ID = 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF';
const ALPHA_ID = 'QWxwaGFBbHBoYUFscGhhQWxwaGFBbHBoYUFscGhhQWx';

(async () => {
  for (const c of table.cases) {
    const fn = load(c.avifEncoder, { [ALPHA_ID]: 'alpha' });
    const direct = fn.chooseFormat(c.accept, c.hasAlpha, c.avifEncoder);
    if (direct !== c.expected) failures.push(`${c.name}: chooseFormat gave ${direct}, table says ${c.expected}`);
    // the handler path: alpha comes from the key value store, the format from the Accept header
    const id = c.hasAlpha ? ALPHA_ID : ID;
    const headers = c.accept === '' ? {} : { accept: { value: c.accept } };
    const req = await fn.handler({ request: { uri: `/v1/images/${id}/w_800,fit_cover.auto`, headers } });
    const want = `/v1/images/${id}/w_800,fit_cover.${c.expected}`;
    if (req.uri !== want) failures.push(`${c.name}: handler rewrote to ${req.uri}, want ${want}`);
    checked++;
  }
  // paths that are not .auto variants pass untouched
  const fn = load(true, {});
  for (const uri of [`/v1/images/${ID}/w_800.webp`, `/v1/images/${ID}/original`, '/v1/images/short/w_1.auto',
    `/v1/images/${ID}/a/b.auto`, '/v1/stats']) {
    const req = await fn.handler({ request: { uri, headers: { accept: { value: 'image/avif' } } } });
    if (req.uri !== uri) failures.push(`${uri} should not be rewritten, got ${req.uri}`);
  }
  // without a key value store the function still answers (no alpha)
  const noStore = vm.createContext({ cf: { kvs: () => { throw new Error('no key value store associated'); } } });
  vm.runInContext(code.replace(/^import cf from 'cloudfront';$/m, ''), noStore);
  const r = await noStore.handler({ request: { uri: `/v1/images/${ALPHA_ID}/w_1.auto`, headers: {} } });
  if (r.uri !== `/v1/images/${ALPHA_ID}/w_1.jpg`) failures.push(`no store: got ${r.uri}`);

  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log(`ok ${checked} cases`);
})().catch((e) => { console.error(e); process.exit(2); });
