// Checks a converted ONNX model against the original TF.js layers-model, run with pure-JS @tensorflow/tfjs
// (CPU backend) and the package's own model definition (its custom layers and value range), on a real crop.
// Also compares the ONNX output on the package's own fixture.png with its published sample (in 8-bit LSBs).
//
// usage: NODE_PATH=<dir>/node_modules node verify.cjs PACKAGE_DIR SCALE MODEL.onnx IMAGE.png [X Y SIZE]
// deps:  npm install --prefix <dir> --ignore-scripts @tensorflow/tfjs@4.22.0 pngjs@7.0.0 onnxruntime-node@1.30.0
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const ort = require('onnxruntime-node');
const { PNG } = require('pngjs');

function readRgb(file, x, y, size) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const w = size || png.width, h = size || png.height;
  const rgb = new Float32Array(w * h * 3); // NHWC, 0..1
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) {
    const s = ((y + j) * png.width + (x + i)) * 4;
    for (let c = 0; c < 3; c++) rgb[(j * w + i) * 3 + c] = png.data[s + c] / 255;
  }
  return { rgb, w, h };
}

function toNchw(nhwc, w, h) {
  const out = new Float32Array(nhwc.length);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) out[c * w * h + p] = nhwc[p * 3 + c];
  return out;
}

async function runOnnx(session, img) {
  const input = new ort.Tensor('float32', toNchw(img.rgb, img.w, img.h), [1, 3, img.h, img.w]);
  const result = await session.run({ image: input });
  return result.upscaled.data; // NCHW 0..1, clipped
}

async function main() {
  const [pkgDir, scaleArg, onnxPath, imagePath, xs, ys, sizeArg] = process.argv.slice(2);
  const scale = Number(scaleArg);
  const x = Number(xs || 0), y = Number(ys || 0), size = Number(sizeArg || 64);
  await tf.setBackend('cpu');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const short = pkg.name.split('/')[1];
  const def = require(path.join(pkgDir, `dist/cjs/models/${short}/src/x${scale}/cjs.js`));
  if (def.setup) def.setup(tf); // registers MultiplyBeta / PixelShuffleNx exactly as UpscalerJS does
  const range = def.inputRange[1];
  const modelDir = path.join(pkgDir, `models/x${scale}`);
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
  const specs = [], buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(modelDir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));

  const img = readRgb(imagePath, x, y, size);
  const t0 = Date.now();
  const tfOut = tf.tidy(() => model.predict(tf.tensor4d(img.rgb, [1, img.h, img.w, 3]).mul(range))).dataSync();
  const tfMs = Date.now() - t0;
  const session = await ort.InferenceSession.create(onnxPath);
  const onnxOut = await runOnnx(session, img);
  const oh = img.h * scale, ow = img.w * scale;
  if (tfOut.length !== onnxOut.length || tfOut.length !== oh * ow * 3) throw new Error('output sizes differ');
  let maxDiff = 0, sumDiff = 0;
  for (let p = 0; p < oh * ow; p++) for (let c = 0; c < 3; c++) {
    const ref = Math.min(1, Math.max(0, tfOut[p * 3 + c] / range));
    const d = Math.abs(ref - onnxOut[c * oh * ow + p]);
    maxDiff = Math.max(maxDiff, d); sumDiff += d;
  }
  console.log(`${short} x${scale} on ${path.basename(imagePath)} crop ${img.w}x${img.h}+${x}+${y}: ` +
    `max abs diff ${maxDiff.toExponential(2)} (0..1 scale; ${(maxDiff * 255).toExponential(2)} in 0..255), ` +
    `mean ${(sumDiff / tfOut.length).toExponential(2)}; tfjs cpu ${tfMs} ms`);

  const samplePath = path.join(pkgDir, `assets/samples/${scale}x/result.png`);
  if (fs.existsSync(samplePath)) {
    const fixture = readRgb(path.join(pkgDir, 'assets/fixture.png'), 0, 0, 0);
    const out = await runOnnx(session, fixture);
    const sample = readRgb(samplePath, 0, 0, 0);
    const n = sample.w * sample.h;
    let maxLsb = 0, over1 = 0;
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) {
      const d = Math.abs(Math.round(out[c * n + p] * 255) - Math.round(sample.rgb[p * 3 + c] * 255));
      maxLsb = Math.max(maxLsb, d); if (d > 1) over1++;
    }
    console.log(`  published sample ${scale}x (${sample.w}x${sample.h}): max diff ${maxLsb} LSB, ` +
      `${(100 * over1 / (n * 3)).toFixed(3)}% of values off by more than 1 LSB`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
