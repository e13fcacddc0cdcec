#!/usr/bin/env bash
# Fetches nsfwjs 4.4.0 from npm, converts its MobileNetV2 (224x224) TF.js layers-model to ONNX into the
# module's resources, checks the conversion against nsfwjs itself (pure-JS @tensorflow/tfjs, CPU backend)
# on the repository's JPEG/PNG fixtures (and ../shared's when present), and rewrites the test fixture
# holding nsfwjs's probabilities for the in-repo images.
# usage: moderation-model/model/convert-all.sh [WORK_DIR]   (run from the repository root)
set -euo pipefail
work=${1:-/tmp/nsfw-model-work}
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out="$here/../src/main/resources/models/nsfwjs-mobilenet-v2.onnx"
fixture="$here/../src/test/resources/nsfwjs-reference.json"
mkdir -p "$work/pkg" "$work/deps"
cd "$work/pkg"
[ -d nsfwjs ] || { npm pack --silent nsfwjs@4.4.0 >/dev/null 2>&1; mkdir -p nsfwjs; tar xzf nsfwjs-4.4.0.tgz -C nsfwjs; }
# --ignore-scripts: onnxruntime-node's install script would download GPU binaries; the CPU one is in the package
[ -d "$work/deps/node_modules/onnxruntime-node" ] || npm install --prefix "$work/deps" --ignore-scripts \
  @tensorflow/tfjs@4.22.0 onnx-proto@8.0.1 onnxruntime-node@1.30.0 pngjs@7.0.0 jpeg-js@0.4.4 >/dev/null
export NODE_PATH="$work/deps/node_modules"
node "$here/convert.cjs" "$work/pkg/nsfwjs/package" "$out"
filter() { grep -v -e '^=*$' -e 'Hi, looks like' -e '^$' -e "You're using the model"; }
node "$here/verify.cjs" "$work/pkg/nsfwjs/package" "$out" "$fixture" "$root"/testdata/images/* 2>&1 | filter
if [ -d "$root/../shared/testdata/images" ]; then
  node --max-old-space-size=8000 "$here/verify.cjs" "$work/pkg/nsfwjs/package" "$out" "$here/../src/test/resources/nsfwjs-reference-shared.json" \
    "$root"/../shared/testdata/images/* 2>&1 | filter
fi
sha256sum "$out"
