// Checks the converted ONNX file against nsfwjs itself: the package's own load() and classify path,
// run with pure-JS @tensorflow/tfjs (CPU backend), on real JPEG/PNG files.
//
// For each image it reports two differences of the five class probabilities:
//  - conversion: the same 224x224 input tensor (nsfwjs's preprocessing, done once with tfjs) fed to the
//    TF.js model and to the ONNX file (onnxruntime-node): this isolates the conversion;
//  - pipeline: what nsfwjs.classify answers vs the ONNX file on that tensor (same thing unless nsfwjs's
//    infer differs from our reading of it; a guard on that reading).
// It also writes the nsfwjs probabilities per image as JSON (the Java test compares its own decode +
// resize + ONNX Runtime against them).
//
// Decoding as nsfwjs's Node example does (tf.node.decodeImage(buf, 3)): RGB channels, alpha dropped, no
// EXIF rotation. Here with pngjs / jpeg-js, since tfjs-node's native binary is not used.
//
// usage: NODE_PATH=<deps>/node_modules node verify.cjs NSFWJS_PACKAGE_DIR MODEL.onnx OUT.json IMAGE...
// deps:  npm install --prefix <deps> --ignore-scripts @tensorflow/tfjs@4.22.0 onnxruntime-node@1.30.0 \
//          pngjs@7.0.0 jpeg-js@0.4.4
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const ort = require('onnxruntime-node');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

function decodeRgb(file) {
  const buf = fs.readFileSync(file);
  let width, height, rgba;
  if (buf[0] === 0x89 && buf[1] === 0x50) {
    // 16-bit PNGs are reduced to 8 bits as libpng's strip-16 does (high byte)
    const png = PNG.sync.read(buf, { skipRescale: false });
    ({ width, height } = png);
    rgba = png.data;
  } else if (buf[0] === 0xff && buf[1] === 0xd8) {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048, maxResolutionInMP: 200 });
    ({ width, height } = img);
    rgba = img.data;
  } else {
    return null;
  }
  const rgb = new Int32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c];
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}

async function main() {
  const [pkgDir, onnxPath, outJson, ...images] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const nsfwjs = require(path.resolve(pkgDir, 'dist/cjs/index.js'));
  const model = await nsfwjs.load('MobileNetV2');
  const session = await ort.InferenceSession.create(onnxPath);
  const reference = {};
  let worstConversion = 0;
  let worstPipeline = 0;
  for (const file of images) {
    const img = decodeRgb(file);
    if (!img) continue;
    // nsfwjs's infer(): toFloat().div(255), resizeBilinear(alignCorners = true) when not 224x224
    const input = tf.tidy(() => {
      const normalized = img.toFloat().div(tf.scalar(255));
      const resized = img.shape[0] !== 224 || img.shape[1] !== 224
        ? tf.image.resizeBilinear(normalized, [224, 224], true) : normalized;
      return resized.reshape([1, 224, 224, 3]);
    });
    const tfjsProbs = await model.model.predict(input).data();
    const viaClassify = await model.classify(img, 5);
    const classified = CLASSES.map((c) => viaClassify.find((p) => p.className === c).probability);
    const data = Float32Array.from(await input.data());
    const out = await session.run({ image: new ort.Tensor('float32', data, [1, 224, 224, 3]) });
    const onnxProbs = out.probabilities.data;
    let conv = 0;
    let pipe = 0;
    for (let i = 0; i < 5; i++) {
      conv = Math.max(conv, Math.abs(tfjsProbs[i] - onnxProbs[i]));
      pipe = Math.max(pipe, Math.abs(classified[i] - onnxProbs[i]));
    }
    worstConversion = Math.max(worstConversion, conv);
    worstPipeline = Math.max(worstPipeline, pipe);
    const name = path.basename(file);
    reference[name] = Object.fromEntries(CLASSES.map((c, i) => [c, Number(classified[i].toFixed(6))]));
    const top = CLASSES.map((c, i) => [c, onnxProbs[i]]).sort((a, b) => b[1] - a[1])[0];
    console.log(`${name.padEnd(40)} ${img.shape[1]}x${img.shape[0]}  top ${top[0]} ${top[1].toFixed(4)}  `
      + `tfjs-vs-onnx ${conv.toExponential(2)}  classify-vs-onnx ${pipe.toExponential(2)}  `
      + CLASSES.map((c, i) => `${c[0]}=${onnxProbs[i].toFixed(4)}`).join(' '));
    tf.dispose([img, input]);
  }
  console.log(`max abs difference of the class probabilities over ${Object.keys(reference).length} images: `
    + `TF.js model vs ONNX ${worstConversion.toExponential(2)}; nsfwjs.classify vs ONNX ${worstPipeline.toExponential(2)}`);
  fs.writeFileSync(outJson, JSON.stringify({
    generatedBy: 'moderation-model/model/verify.cjs (nsfwjs 4.4.0 MobileNetV2, @tensorflow/tfjs 4.22.0 cpu)',
    classes: CLASSES, images: reference,
  }, null, 2) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
