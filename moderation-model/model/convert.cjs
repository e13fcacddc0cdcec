// Converts nsfwjs's MobileNetV2 (224x224) TensorFlow.js layers-model to ONNX.
//
// Why our own converter: there is no tf2onnx/TensorFlow here, and the model is a plain Keras 2.2.4
// layers-model whose 11 layer classes map one to one onto ONNX operators, so a direct translation is
// short and easy to check (verify.cjs runs both on real images).
//
// The package ships model.json and the weight shard as JavaScript bundles (model.min.js,
// group1-shard1of1.min.js: the JSON object and the base64 shard); weights are uint8-quantized and
// dequantized here exactly as tfjs-core's io_utils does (v * scale + min, stored as float32), so the
// ONNX file holds the float32 weights TF.js itself computes with.
//
// Contract of the output: input `image` float32 [1, 224, 224, 3] (NHWC, RGB in 0..1, as nsfwjs feeds
// its model after /255 and resizeBilinear(alignCorners)); output `probabilities` float32 [1, 5] in the
// class order Drawing, Hentai, Neutral, Porn, Sexy. Inside, the graph runs NCHW (one Transpose at the
// start; another before Flatten so the flatten order stays channels-last as Keras defines it).
//
// usage: NODE_PATH=<deps>/node_modules node convert.cjs NSFWJS_PACKAGE_DIR OUT.onnx
// deps:  npm install --prefix <deps> --ignore-scripts onnx-proto@8.0.1
'use strict';
const fs = require('fs');
const path = require('path');
const { onnx } = require('onnx-proto');

const OPSET = 13;
const MODEL_DIR = 'dist/models/mobilenet_v2';

function loadBundle(file) {
  const m = require(path.resolve(file));
  return m.default !== undefined ? m.default : m;
}

function dequantize(manifest, shardsBase64) {
  const weights = new Map();
  for (const group of manifest) {
    const blob = Buffer.concat(group.paths.map((p) => {
      if (!shardsBase64[p]) throw new Error(`missing shard ${p}`);
      return Buffer.from(shardsBase64[p], 'base64');
    }));
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      let values;
      if (w.dtype !== 'float32') throw new Error(`unsupported dtype ${w.dtype} for ${w.name}`);
      if (!q) {
        values = new Float32Array(blob.buffer.slice(blob.byteOffset + offset, blob.byteOffset + offset + count * 4));
        offset += count * 4;
      } else if (q.dtype === 'uint8') {
        values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = blob[offset + i] * q.scale + q.min; // tfjs-core io_utils
        offset += count;
      } else {
        throw new Error(`unsupported quantization ${q.dtype} for ${w.name}`);
      }
      weights.set(w.name, { shape: w.shape, values });
    }
    if (offset !== blob.length) throw new Error(`weight group size mismatch: used ${offset} of ${blob.length} bytes`);
  }
  return weights;
}

/** Reorders an array laid out in `shape` by `perm` (like numpy transpose). */
function transpose(values, shape, perm) {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < outShape.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = values[src];
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/** TF's SAME padding for one spatial axis: [before, after]. */
function samePads(size, k, s) {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function convert(pkgDir, outPath) {
  const modelJson = loadBundle(path.join(pkgDir, MODEL_DIR, 'model.min.js'));
  const shard = loadBundle(path.join(pkgDir, MODEL_DIR, 'group1-shard1of1.min.js'));
  const weights = dequantize(modelJson.weightsManifest, { 'group1-shard1of1': shard });
  const config = modelJson.modelTopology.model_config.config;
  const used = new Set();
  const nodes = [];
  const inits = [];
  const tensorOf = new Map(); // keras layer name -> onnx tensor name
  const shapeOf = new Map(); // onnx tensor name -> NCHW shape (or [N, F])

  const weight = (name) => {
    const w = weights.get(name);
    if (!w) throw new Error(`missing weight ${name}`);
    used.add(name);
    return w;
  };
  const init = (name, dims, values, dataType = onnx.TensorProto.DataType.FLOAT) => {
    const raw = dataType === onnx.TensorProto.DataType.INT64
      ? Buffer.from(BigInt64Array.from(values.map(BigInt)).buffer)
      : Buffer.from(Float32Array.from(values).buffer);
    inits.push(onnx.TensorProto.create({ name, dims, dataType, rawData: raw }));
    return name;
  };
  const ints = (name, v) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const int = (name, v) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
  const flt = (name, v) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
  const str = (name, v) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(v) });
  const nodeNames = new Set();
  const node = (opType, input, output, name, attribute = []) => {
    let unique = name || output[0];
    if (nodeNames.has(unique)) unique = `${unique}.${opType}`;
    nodeNames.add(unique);
    nodes.push(onnx.NodeProto.create({ opType, input, output, name: unique, attribute }));
  };

  const inputsOf = (layer) => {
    if (layer.inbound_nodes.length !== 1) throw new Error(`layer ${layer.name} is shared; not supported`);
    return layer.inbound_nodes[0].map((src) => tensorOf.get(src[0]));
  };
  const conv = (lname, cfg, input, kernel, group, outChannels) => {
    const [h, w] = shapeOf.get(input).slice(2);
    const [kh, kw] = cfg.kernel_size;
    const [sh, sw] = cfg.strides;
    if (cfg.data_format !== 'channels_last' || cfg.dilation_rate.some((d) => d !== 1)) {
      throw new Error(`unsupported conv config in ${lname}`);
    }
    let pads = [0, 0, 0, 0];
    if (cfg.padding === 'same') {
      const [pt, pb] = samePads(h, kh, sh);
      const [pl, pr] = samePads(w, kw, sw);
      pads = [pt, pl, pb, pr];
    } else if (cfg.padding !== 'valid') {
      throw new Error(`unsupported padding ${cfg.padding} in ${lname}`);
    }
    const ins = [input, kernel];
    if (cfg.use_bias) ins.push(init(`${lname}.B`, [outChannels], weight(`${lname}/bias`).values));
    const act = cfg.activation;
    const convOut = act === 'linear' ? lname : `${lname}.pre`;
    node('Conv', ins, [convOut], lname, [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]),
      ints('pads', pads), ints('dilations', [1, 1]), int('group', group)]);
    const oh = Math.floor((h + pads[0] + pads[2] - kh) / sh) + 1;
    const ow = Math.floor((w + pads[1] + pads[3] - kw) / sw) + 1;
    shapeOf.set(convOut, [1, outChannels, oh, ow]);
    shapeOf.set(lname, [1, outChannels, oh, ow]);
    if (act === 'relu') node('Relu', [convOut], [lname]);
    else if (act !== 'linear') throw new Error(`unsupported activation ${act} in ${lname}`);
  };

  if (config.input_layers.length !== 1 || config.output_layers.length !== 1) {
    throw new Error('expected a single input and a single output');
  }
  for (const layer of config.layers) {
    const cls = layer.class_name;
    const lname = layer.name;
    const cfg = layer.config;
    if (cls === 'InputLayer') {
      const [, h, w, c] = cfg.batch_input_shape;
      node('Transpose', ['image'], [lname], `${lname}.nchw`, [ints('perm', [0, 3, 1, 2])]);
      shapeOf.set(lname, [1, c, h, w]);
      tensorOf.set(lname, lname);
      continue;
    }
    const ins = inputsOf(layer);
    const inShape = shapeOf.get(ins[0]);
    if (cls === 'ZeroPadding2D') {
      const [[t, b], [l, r]] = cfg.padding;
      const pads = init(`${lname}.pads`, [8], [0, 0, t, l, 0, 0, b, r], onnx.TensorProto.DataType.INT64);
      node('Pad', [ins[0], pads], [lname], lname, [str('mode', 'constant')]);
      shapeOf.set(lname, [1, inShape[1], inShape[2] + t + b, inShape[3] + l + r]);
    } else if (cls === 'Conv2D') {
      const k = weight(`${lname}/kernel`); // HWIO
      const t = transpose(k.values, k.shape, [3, 2, 0, 1]); // OIHW
      conv(lname, cfg, ins[0], init(`${lname}.W`, t.shape, t.values), 1, cfg.filters);
    } else if (cls === 'DepthwiseConv2D') {
      const k = weight(`${lname}/depthwise_kernel`); // [kh, kw, in, mult]
      const [kh, kw, cin, mult] = k.shape;
      // output channel c*mult+m: flatten (in, mult) then move it first -> [in*mult, 1, kh, kw]
      const t = transpose(k.values, [kh, kw, cin * mult], [2, 0, 1]);
      conv(lname, cfg, ins[0], init(`${lname}.W`, [cin * mult, 1, kh, kw], t.values), cin, cin * mult);
    } else if (cls === 'BatchNormalization') {
      if (cfg.axis !== -1 && cfg.axis !== 3) throw new Error(`unsupported BN axis in ${lname}`);
      const c = inShape[1];
      const get = (n, fallback) => (weights.has(`${lname}/${n}`) ? weight(`${lname}/${n}`).values : new Float32Array(c).fill(fallback));
      const gamma = cfg.scale ? get('gamma', 1) : new Float32Array(c).fill(1);
      const beta = cfg.center ? get('beta', 0) : new Float32Array(c).fill(0);
      node('BatchNormalization', [ins[0], init(`${lname}.gamma`, [c], gamma), init(`${lname}.beta`, [c], beta),
        init(`${lname}.mean`, [c], weight(`${lname}/moving_mean`).values),
        init(`${lname}.var`, [c], weight(`${lname}/moving_variance`).values)], [lname], lname,
      [flt('epsilon', cfg.epsilon)]);
      shapeOf.set(lname, inShape);
    } else if (cls === 'ReLU') {
      if ((cfg.negative_slope || 0) !== 0 || (cfg.threshold || 0) !== 0) throw new Error(`unsupported ReLU in ${lname}`);
      if (cfg.max_value == null) {
        node('Relu', ins, [lname]);
      } else {
        node('Clip', [ins[0], init(`${lname}.min`, [], [0]), init(`${lname}.max`, [], [cfg.max_value])], [lname]);
      }
      shapeOf.set(lname, inShape);
    } else if (cls === 'Add') {
      let acc = ins[0];
      ins.slice(1).forEach((other, i) => {
        const out = i === ins.length - 2 ? lname : `${lname}.${i}`;
        node('Add', [acc, other], [out]);
        acc = out;
      });
      shapeOf.set(lname, inShape);
    } else if (cls === 'AveragePooling2D') {
      if (cfg.padding !== 'valid') throw new Error(`unsupported pooling padding in ${lname}`);
      const [kh, kw] = cfg.pool_size;
      const [sh, sw] = cfg.strides;
      node('AveragePool', ins, [lname], lname, [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw])]);
      shapeOf.set(lname, [1, inShape[1], Math.floor((inShape[2] - kh) / sh) + 1, Math.floor((inShape[3] - kw) / sw) + 1]);
    } else if (cls === 'Flatten') {
      // Keras flattens channels-last: go back to NHWC first so the feature order is the same
      node('Transpose', ins, [`${lname}.nhwc`], `${lname}.nhwc`, [ints('perm', [0, 2, 3, 1])]);
      node('Flatten', [`${lname}.nhwc`], [lname], lname, [int('axis', 1)]);
      shapeOf.set(lname, [1, inShape[1] * inShape[2] * inShape[3]]);
    } else if (cls === 'Dense') {
      const k = weight(`${lname}/kernel`); // [in, out]
      const ins2 = [ins[0], init(`${lname}.W`, k.shape, k.values)];
      if (cfg.use_bias) ins2.push(init(`${lname}.B`, [cfg.units], weight(`${lname}/bias`).values));
      const act = cfg.activation;
      const out = act === 'linear' ? lname : `${lname}.pre`;
      node('Gemm', ins2, [out], lname);
      if (act === 'relu') node('Relu', [out], [lname]);
      else if (act === 'softmax') node('Softmax', [out], [lname], `${lname}.softmax`, [int('axis', -1)]);
      else if (act !== 'linear') throw new Error(`unsupported activation ${act} in ${lname}`);
      shapeOf.set(lname, [1, cfg.units]);
    } else if (cls === 'Dropout') {
      tensorOf.set(lname, ins[0]); // inference: identity
      continue;
    } else {
      throw new Error(`unsupported layer class ${cls} (${lname})`);
    }
    tensorOf.set(lname, lname);
  }
  const unused = [...weights.keys()].filter((n) => !used.has(n));
  if (unused.length) throw new Error(`weights not used: ${unused.join(', ')}`);

  const last = tensorOf.get(config.output_layers[0][0]);
  node('Identity', [last], ['probabilities'], 'probabilities');
  const floatTensor = (name, dims) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const [, h, w, c] = config.layers[0].config.batch_input_shape;
  const graph = onnx.GraphProto.create({
    name: 'nsfwjs-mobilenet-v2',
    node: nodes,
    initializer: inits,
    input: [floatTensor('image', [1, h, w, c])],
    output: [floatTensor('probabilities', [1, shapeOf.get(last)[1]])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'image-scaler moderation-model/model/convert.cjs',
    producerVersion: '1',
    docString: 'nsfwjs 4.4.0 MobileNetV2 224x224 (MIT, Infinite Red, Inc.), converted from its TF.js layers-model. '
      + 'Input image: NHWC RGB 0..1; output probabilities: Drawing, Hentai, Neutral, Porn, Sexy.',
    graph,
    metadataProps: [{ key: 'classes', value: 'Drawing,Hentai,Neutral,Porn,Sexy' },
      { key: 'source', value: 'npm nsfwjs@4.4.0 dist/models/mobilenet_v2' }],
  });
  fs.writeFileSync(outPath, onnx.ModelProto.encode(model).finish());
  let params = 0;
  for (const w of weights.values()) params += w.values.length;
  console.log(`wrote ${outPath}: ${nodes.length} nodes, ${params} parameters, ${fs.statSync(outPath).size} bytes`);
}

const [pkgDir, out] = process.argv.slice(2);
if (!pkgDir || !out) {
  console.error('usage: node convert.cjs NSFWJS_PACKAGE_DIR OUT.onnx');
  process.exit(2);
}
convert(pkgDir, out);
