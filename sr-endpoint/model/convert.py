#!/usr/bin/env python3
"""Converts an UpscalerJS ESRGAN TensorFlow.js layers-model (model.json + weight shards) to ONNX.

Why our own converter: the packages ship only TF.js layers-models with two custom layers
(MultiplyBeta, PixelShuffleNx), and no converter in Debian/npm handles those. The layer set is small and
maps one to one onto ONNX operators, so a direct translation is short and easy to check.

The ONNX graph takes and returns NCHW float32 RGB in 0..1 whatever the original range is (medium and slim
work in 0..255, thick in 0..1): the range change and a final Clip are folded into the graph, so the server
treats every model alike.

Needs only numpy and onnx (Debian: apt-get install -y python3-onnx python3-numpy; run with
/usr/bin/python3 if another python shadows it).

usage: convert.py MODEL_DIR OUT.onnx --range 255|1 [--name NAME]
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def load_weights(model_dir, manifest):
    weights = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w["dtype"] != "float32" or "quantization" in w:
                raise SystemExit(f"unsupported weight encoding for {w['name']}: {w}")
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            arr = np.frombuffer(blob, dtype="<f4", count=count, offset=offset).reshape(w["shape"])
            weights[w["name"]] = arr.copy()
            offset += count * 4
        if offset != len(blob):
            raise SystemExit(f"weight group size mismatch: used {offset} of {len(blob)} bytes")
    return weights


def convert(model_dir, out_path, value_range, name):
    model = json.load(open(os.path.join(model_dir, "model.json")))
    config = model["modelTopology"]["model_config"]["config"]
    weights = load_weights(model_dir, model["weightsManifest"])
    used = set()

    nodes, inits = [], []
    tensor_of = {}  # keras layer name -> onnx tensor name

    def const(cname, value):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), cname))
        return cname

    def inputs_of(layer):
        inbound = layer["inbound_nodes"]
        if len(inbound) != 1:
            raise SystemExit(f"layer {layer['name']} is shared ({len(inbound)} call sites); not supported")
        return [tensor_of[src[0]] for src in inbound[0]]

    in_layers = config["input_layers"]
    out_layers = config["output_layers"]
    if len(in_layers) != 1 or len(out_layers) != 1:
        raise SystemExit("expected a single input and a single output")

    for layer in config["layers"]:
        cls, lname, cfg = layer["class_name"], layer["name"], layer["config"]
        if cls == "InputLayer":
            # scale the 0..1 contract input into the model's own range
            if value_range == 1.0:
                tensor_of[lname] = "image"
            else:
                nodes.append(helper.make_node("Mul", ["image", const("in_range", value_range)], [lname]))
                tensor_of[lname] = lname
            continue
        ins = inputs_of(layer)
        if cls == "Conv2D":
            if cfg.get("data_format", "channels_last") != "channels_last" or cfg["strides"] != [1, 1] \
                    or cfg["dilation_rate"] != [1, 1] or cfg.get("groups", 1) != 1:
                raise SystemExit(f"unsupported Conv2D config in {lname}")
            kh, kw = cfg["kernel_size"]
            kernel = weights[f"{lname}/kernel"]  # HWIO
            used.add(f"{lname}/kernel")
            w = const(f"{lname}.W", kernel.transpose(3, 2, 0, 1))  # -> OIHW
            conv_in = [ins[0], w]
            if cfg["use_bias"]:
                conv_in.append(const(f"{lname}.B", weights[f"{lname}/bias"]))
                used.add(f"{lname}/bias")
            if cfg["padding"] == "same":
                if kh % 2 == 0 or kw % 2 == 0:
                    raise SystemExit(f"even kernel with 'same' padding in {lname}: asymmetric, not supported")
                pads = [kh // 2, kw // 2, kh // 2, kw // 2]
            else:
                pads = [0, 0, 0, 0]
            act = cfg.get("activation", "linear")
            conv_out = lname if act == "linear" else f"{lname}.pre"
            nodes.append(helper.make_node("Conv", conv_in, [conv_out], kernel_shape=[kh, kw], pads=pads,
                                          strides=[1, 1], dilations=[1, 1], name=lname))
            if act == "relu":
                nodes.append(helper.make_node("Relu", [conv_out], [lname]))
            elif act != "linear":
                raise SystemExit(f"unsupported activation {act} in {lname}")
        elif cls == "Activation":
            if cfg["activation"] != "relu":
                raise SystemExit(f"unsupported activation {cfg['activation']} in {lname}")
            nodes.append(helper.make_node("Relu", ins, [lname], name=lname))
        elif cls == "Concatenate":
            if cfg["axis"] not in (3, -1):
                raise SystemExit(f"unsupported concat axis {cfg['axis']} in {lname}")
            nodes.append(helper.make_node("Concat", ins, [lname], axis=1, name=lname))
        elif cls == "Add":
            acc = ins[0]
            for i, other in enumerate(ins[1:]):
                out = lname if i == len(ins) - 2 else f"{lname}.{i}"
                nodes.append(helper.make_node("Add", [acc, other], [out]))
                acc = out
        elif cls == "MultiplyBeta":
            nodes.append(helper.make_node("Mul", [ins[0], const(f"{lname}.beta", cfg.get("beta", 0.2))],
                                          [lname], name=lname))
        elif cls.startswith("PixelShuffle"):
            # TF depthToSpace orders channels depth-column-row: ONNX mode DCR (CRD scrambles the output)
            nodes.append(helper.make_node("DepthToSpace", ins, [lname], blocksize=int(cfg["scale"]), mode="DCR",
                                          name=lname))
        elif cls == "UpSampling2D":
            if cfg.get("interpolation", "nearest") != "nearest":
                raise SystemExit(f"unsupported interpolation in {lname}")
            sh, sw = cfg["size"]
            scales = const(f"{lname}.scales", [1.0, 1.0, float(sh), float(sw)])
            inits.append(numpy_helper.from_array(np.zeros((0,), dtype=np.float32), f"{lname}.roi"))
            nodes.append(helper.make_node("Resize", [ins[0], f"{lname}.roi", scales], [lname], mode="nearest",
                                          coordinate_transformation_mode="asymmetric", nearest_mode="floor",
                                          name=lname))
        else:
            raise SystemExit(f"unsupported layer class {cls} ({lname})")
        tensor_of[lname] = lname

    unused = set(weights) - used
    if unused:
        raise SystemExit(f"weights not used by any layer: {sorted(unused)[:5]}")

    last = tensor_of[out_layers[0][0]]
    if value_range != 1.0:
        nodes.append(helper.make_node("Mul", [last, const("out_range", 1.0 / value_range)], ["unclipped"]))
        last = "unclipped"
    # every ESRGAN here overshoots a little: clip to the contract range
    nodes.append(helper.make_node("Clip", [last, const("clip_min", 0.0), const("clip_max", 1.0)], ["upscaled"]))

    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])],
        [helper.make_tensor_value_info("upscaled", TensorProto.FLOAT, [1, 3, "out_height", "out_width"])],
        inits)
    onnx_model = helper.make_model(graph, producer_name="image-scaler sr-endpoint/model/convert.py",
                                   opset_imports=[helper.make_opsetid("", OPSET)])
    onnx_model.ir_version = 7
    pkg_json = os.path.join(model_dir, "..", "..", "package.json")
    source = os.path.basename(os.path.normpath(model_dir))
    if os.path.exists(pkg_json):
        pkg = json.load(open(pkg_json))
        source = f"{pkg['name']}@{pkg['version']} models/{source} ({pkg.get('license', '?')} licence)"
    onnx_model.doc_string = f"converted from {source}; input and output: RGB 0..1, NCHW"
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, out_path)
    params = sum(int(np.prod(v.shape)) for v in weights.values())
    print(f"{out_path}: {len(nodes)} nodes, {params} parameters, {os.path.getsize(out_path)} bytes")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("out")
    ap.add_argument("--range", type=float, required=True, help="the model's own value range: 255 or 1")
    ap.add_argument("--name", default="esrgan")
    args = ap.parse_args(argv)
    convert(args.model_dir, args.out, args.range, args.name)


if __name__ == "__main__":
    main(sys.argv[1:])
