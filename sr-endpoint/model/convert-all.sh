#!/usr/bin/env bash
# Fetches the UpscalerJS packages from npm, converts the served scales to ONNX into the module's resources,
# and checks each conversion against the TF.js original (pure-JS @tensorflow/tfjs, CPU backend).
# usage: sr-endpoint/model/convert-all.sh [WORK_DIR]   (run from the repository root)
set -euo pipefail
work=${1:-/tmp/sr-model-work}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/main/resources/models"
image="$here/../../testdata/images/png-rgba-dice-800x600.png"
py=/usr/bin/python3   # Debian's python3-onnx / python3-numpy live there
mkdir -p "$work/pkg" "$work/deps"
cd "$work/pkg"
for p in esrgan-medium esrgan-thick; do
  [ -d "$p" ] || { npm pack --silent "@upscalerjs/$p@1.0.0" >/dev/null 2>&1; mkdir -p "$p"; tar xzf "upscalerjs-$p-1.0.0.tgz" -C "$p"; }
done
# --ignore-scripts: onnxruntime-node's install script would download GPU binaries; the CPU one is in the package
[ -d "$work/deps/node_modules/onnxruntime-node" ] || \
  npm install --prefix "$work/deps" --ignore-scripts @tensorflow/tfjs@4.22.0 pngjs@7.0.0 onnxruntime-node@1.30.0 >/dev/null
for s in 2 4; do
  "$py" "$here/convert.py" "$work/pkg/esrgan-medium/package/models/x$s" "$out/esrgan-medium-x$s.onnx" --range 255 --name "esrgan-medium-x$s"
done
"$py" "$here/convert.py" "$work/pkg/esrgan-thick/package/models/x4" "$out/esrgan-thick-x4.onnx" --range 1 --name esrgan-thick-x4
export NODE_PATH="$work/deps/node_modules"
for s in 2 4; do
  node "$here/verify.cjs" "$work/pkg/esrgan-medium/package" $s "$out/esrgan-medium-x$s.onnx" "$image" 300 200 64 2>&1 | grep -v -e '^=*$' -e 'Hi, looks like' -e '^$'
done
node "$here/verify.cjs" "$work/pkg/esrgan-thick/package" 4 "$out/esrgan-thick-x4.onnx" "$image" 300 200 64 2>&1 | grep -v -e '^=*$' -e 'Hi, looks like' -e '^$'
sha256sum "$out"/*.onnx
