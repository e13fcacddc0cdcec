// One-off: signs fixed inputs with @aws-sdk/cloudfront-signer to produce the committed vectors in
// src/test/resources/vectors/. Run next to an installed package.json (e.g. copy into target/node-crosscheck):
//   node make-vectors.js test-only-private.pem test-only-public.pem > cloudfront-signer-node.json
const fs = require('node:fs');
const { getSignedUrl, getSignedCookies } = require('@aws-sdk/cloudfront-signer');
const privateKey = fs.readFileSync(process.argv[2], 'utf8');
const publicKey = fs.readFileSync(process.argv[3], 'utf8');
const keyPairId = 'KTESTVECTORS01';
const img = 'https://d111111abcdef8.cloudfront.net/v1/images/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF/';
const now = 1795435200; // 2026-11-23T12:00:00Z
const exp = new Date((now + 3600) * 1000).toISOString();
const start = new Date((now - 60) * 1000).toISOString();
const cases = [];
for (const algorithm of ['SHA1', 'SHA256']) {
  cases.push({ name: `canned url ${algorithm}`, kind: 'url', algorithm, canned: true, resource: img + 'w_640.webp',
    output: getSignedUrl({ url: img + 'w_640.webp', keyPairId, privateKey, dateLessThan: exp, algorithm }) });
  cases.push({ name: `canned url with query ${algorithm}`, kind: 'url', algorithm, canned: true, resource: img + 'w_640.webp?v=3',
    output: getSignedUrl({ url: img + 'w_640.webp?v=3', keyPairId, privateKey, dateLessThan: exp, algorithm }) });
  cases.push({ name: `custom url start+ip ${algorithm}`, kind: 'url', algorithm, canned: false, clientIp: '198.51.100.20',
    output: getSignedUrl({ url: img + 'w_320.avif', keyPairId, privateKey, dateLessThan: exp, dateGreaterThan: start,
      ipAddress: '198.51.100.0/24', algorithm }) });
  const policy = JSON.stringify({ Statement: [{ Resource: img + '*', Condition: { DateLessThan: { 'AWS:EpochTime': now + 3600 } } }] });
  cases.push({ name: `wildcard policy url ${algorithm}`, kind: 'url', algorithm, canned: false,
    output: getSignedUrl({ url: img + 'w_1280.webp', keyPairId, privateKey, policy, algorithm }),
    alsoCovers: img + 'w_10,q_50.jpg' });
  const c = getSignedCookies({ url: img + 'original', keyPairId, privateKey, dateLessThan: exp, algorithm });
  cases.push({ name: `canned cookies ${algorithm}`, kind: 'cookies', algorithm, canned: true, resource: img + 'original',
    request: img + 'original', output: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)])) });
  const w = getSignedCookies({ policy, keyPairId, privateKey, algorithm });
  cases.push({ name: `wildcard cookies ${algorithm}`, kind: 'cookies', algorithm, canned: false,
    request: img + 'w_99.png', output: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, String(v)])) });
}
const doc = {
  description: 'Signed by @aws-sdk/cloudfront-signer ' + require('@aws-sdk/cloudfront-signer/package.json').version +
    ' (node) with the TEST-ONLY key below, at now=' + now + '. Checked by CloudFrontVectorsTest without node.',
  generator: 'signer/src/test/node/make-vectors.js',
  keyPairId, now, privateKeyPem: privateKey, publicKeyPem: publicKey, cases,
};
process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
