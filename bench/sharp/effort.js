// What lower encoder effort would buy, for the product decision it needs (README, Benchmarks): W1 to WebP
// q80 and W1 to AVIF q50 (4:2:0) at effort 4 (sharp's default and the engine's), 3 and 2, with sharp on
// the same libvips build, over the given photos; per effort the sum of each photo's median time (3 runs
// after one untimed) and of its output sizes.
// Usage: node bench/sharp/effort.js photo.jpg...
'use strict';
const fs = require('fs');
const sharp = require('sharp');

sharp.concurrency(1);
sharp.cache(false);

const fit = { fit: 'inside', withoutEnlargement: true };
const w1 = (src) => sharp(src).rotate().resize(800, 800, fit);
const cases = [];
for (const effort of [4, 3, 2]) {
  cases.push([`webp q80 effort ${effort}`, (src) => w1(src).webp({ quality: 80, effort })]);
}
for (const effort of [4, 3, 2]) {
  cases.push([`avif q50 effort ${effort}`, (src) => w1(src).avif({ quality: 50, effort, chromaSubsampling: '4:2:0' })]);
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node bench/sharp/effort.js photo.jpg...');
    process.exit(2);
  }
  const sources = files.map((f) => fs.readFileSync(f));
  for (const [name, make] of cases) {
    let ms = 0;
    let bytes = 0;
    for (const src of sources) {
      await make(src).toBuffer();
      const times = [];
      let size = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = process.hrtime.bigint();
        size = (await make(src).toBuffer()).length;
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      ms += times[1];
      bytes += size;
    }
    console.log(`${name}: ms=${ms.toFixed(0)} bytes=${bytes}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
