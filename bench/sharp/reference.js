// The quality reference for image-handler's ReferenceSimilarityTest: each input rendered by sharp (libvips)
// fit-inside 800x800, upright, never enlarged, as PNG (sharp's defaults otherwise: sRGB output, metadata
// stripped, first frame of an animation).
// Usage: node reference.js OUT_DIR NAME=INPUT...   (writes OUT_DIR/NAME.png for each)
'use strict';
const path = require('path');
const sharp = require('sharp');

sharp.cache(false);

async function main() {
  const [outDir, ...pairs] = process.argv.slice(2);
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const name = pair.slice(0, i);
    const input = pair.slice(i + 1);
    await sharp(input).rotate().resize(800, 800, { fit: 'inside', withoutEnlargement: true }).png()
      .toFile(path.join(outDir, `${name}.png`));
  }
  console.log(`sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}): ${pairs.length} references`);
}

main().catch((e) => { console.error(e); process.exit(1); });
