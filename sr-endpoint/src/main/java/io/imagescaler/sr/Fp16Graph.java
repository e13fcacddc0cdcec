package io.imagescaler.sr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites an ONNX graph to half precision for the CUDA provider: float32 weights and constants become
 * float16, and the graph keeps its float32 input and output through a Cast at each end, so the server
 * feeds and reads the same tensors whichever precision runs. What a tool such as onnxconverter-common
 * does, for the operators these converted ESRGAN graphs use (Conv, Concat, Relu, Add, Mul, Clip, Resize,
 * DepthToSpace): Resize's {@code roi}/{@code scales} inputs stay float32, as the operator requires.
 *
 * <p>The model is read and written as protobuf fields by number (protobuf-java's {@link UnknownFieldSet};
 * field numbers from {@code onnx.proto}), so no generated ONNX classes are needed.
 */
public final class Fp16Graph {

    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12, GRAPH_VALUE_INFO = 13;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1, ATTR_I = 3, ATTR_T = 5, ATTR_TYPE = 20;
    private static final int TENSOR_DATA_TYPE = 2, TENSOR_FLOAT_DATA = 4, TENSOR_RAW_DATA = 9;
    private static final int VALUE_INFO_NAME = 1;
    private static final int FLOAT = 1, FLOAT16 = 10, ATTRIBUTE_TYPE_INT = 2;

    private Fp16Graph() {
    }

    /** @return the serialised fp16 model; throws IllegalArgumentException for graphs it cannot convert */
    public static byte[] convert(byte[] onnxModel) {
        try {
            UnknownFieldSet model = UnknownFieldSet.parseFrom(onnxModel);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(model, MODEL_GRAPH));
            String input = string(UnknownFieldSet.parseFrom(single(graph, GRAPH_INPUT)), VALUE_INFO_NAME);
            String output = string(UnknownFieldSet.parseFrom(single(graph, GRAPH_OUTPUT)), VALUE_INFO_NAME);
            String input16 = input + "__fp16", output16 = output + "__fp16";

            List<UnknownFieldSet> nodes = new ArrayList<>();
            for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) nodes.add(UnknownFieldSet.parseFrom(n));
            Set<String> keepFloat32 = new HashSet<>();
            for (UnknownFieldSet node : nodes) {
                String op = string(node, NODE_OP_TYPE);
                List<ByteString> ins = node.getField(NODE_INPUT).getLengthDelimitedList();
                if (op.equals("Resize")) for (int i = 1; i < ins.size(); i++) keepFloat32.add(ins.get(i).toStringUtf8());
                if (op.equals("Cast") || op.equals("ConstantOfShape") || op.equals("Range"))
                    throw new IllegalArgumentException("fp16 conversion does not handle " + op + " nodes");
            }

            List<ByteString> newNodes = new ArrayList<>();
            newNodes.add(cast("to_fp16", input, input16, FLOAT16));
            for (UnknownFieldSet node : nodes) {
                UnknownFieldSet.Builder b = node.toBuilder();
                b.clearField(NODE_INPUT);
                UnknownFieldSet.Field.Builder ins = UnknownFieldSet.Field.newBuilder();
                for (ByteString in : node.getField(NODE_INPUT).getLengthDelimitedList())
                    ins.addLengthDelimited(in.toStringUtf8().equals(input) ? ByteString.copyFromUtf8(input16) : in);
                b.addField(NODE_INPUT, ins.build());
                b.clearField(NODE_OUTPUT);
                UnknownFieldSet.Field.Builder outs = UnknownFieldSet.Field.newBuilder();
                for (ByteString out : node.getField(NODE_OUTPUT).getLengthDelimitedList())
                    outs.addLengthDelimited(out.toStringUtf8().equals(output) ? ByteString.copyFromUtf8(output16) : out);
                b.addField(NODE_OUTPUT, outs.build());
                if (string(node, NODE_OP_TYPE).equals("Constant")) {
                    b.clearField(NODE_ATTRIBUTE);
                    UnknownFieldSet.Field.Builder attrs = UnknownFieldSet.Field.newBuilder();
                    for (ByteString a : node.getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
                        UnknownFieldSet attr = UnknownFieldSet.parseFrom(a);
                        if (attr.hasField(ATTR_T) && !keepFloat32.contains(string(node, NODE_OUTPUT))) {
                            UnknownFieldSet.Builder ab = attr.toBuilder().clearField(ATTR_T);
                            ab.addField(ATTR_T, lengthDelimited(toFloat16(UnknownFieldSet.parseFrom(single(attr, ATTR_T))).toByteString()));
                            a = ab.build().toByteString();
                        }
                        attrs.addLengthDelimited(a);
                    }
                    b.addField(NODE_ATTRIBUTE, attrs.build());
                }
                newNodes.add(b.build().toByteString());
            }
            newNodes.add(cast("to_fp32", output16, output, FLOAT));

            UnknownFieldSet.Field.Builder inits = UnknownFieldSet.Field.newBuilder();
            for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                UnknownFieldSet tensor = UnknownFieldSet.parseFrom(t);
                boolean keep = keepFloat32.contains(tensor.hasField(8) ? string(tensor, 8) : "");
                inits.addLengthDelimited(keep ? t : toFloat16(tensor).toByteString());
            }
            UnknownFieldSet.Field.Builder nodeField = UnknownFieldSet.Field.newBuilder();
            newNodes.forEach(nodeField::addLengthDelimited);
            UnknownFieldSet newGraph = graph.toBuilder()
                    .clearField(GRAPH_NODE).addField(GRAPH_NODE, nodeField.build())
                    .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, inits.build())
                    .clearField(GRAPH_VALUE_INFO) // intermediate shapes/types: optional, and they would say float32
                    .build();
            return model.toBuilder().clearField(MODEL_GRAPH)
                    .addField(MODEL_GRAPH, lengthDelimited(newGraph.toByteString())).build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * A float32 graph that computes what the fp16 one would store: weights and constants rounded to float16
     * values, and every operator's output rounded to float16 (a Cast to float16 and back after each), while
     * each operator's own arithmetic stays float32. ONNX Runtime's CPU provider has no float16 convolution on
     * x86 and runs {@link #convert} graphs by upcasting their weights, so this is how the rounding of the
     * stored tensors can be measured on a CPU; it does not model a GPU kernel's internal arithmetic.
     */
    public static byte[] emulate(byte[] onnxModel) {
        try {
            UnknownFieldSet model = UnknownFieldSet.parseFrom(onnxModel);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(model, MODEL_GRAPH));
            Set<String> keepFloat32 = new HashSet<>();
            List<UnknownFieldSet> nodes = new ArrayList<>();
            for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
                UnknownFieldSet node = UnknownFieldSet.parseFrom(n);
                nodes.add(node);
                List<ByteString> ins = node.getField(NODE_INPUT).getLengthDelimitedList();
                if (string(node, NODE_OP_TYPE).equals("Resize"))
                    for (int i = 1; i < ins.size(); i++) keepFloat32.add(ins.get(i).toStringUtf8());
            }
            String input = string(UnknownFieldSet.parseFrom(single(graph, GRAPH_INPUT)), VALUE_INFO_NAME);
            List<ByteString> newNodes = new ArrayList<>();
            newNodes.add(cast("round_in_h", input, input + "__h", FLOAT16));
            newNodes.add(cast("round_in", input + "__h", input + "__r", FLOAT));
            int k = 0;
            for (UnknownFieldSet node : nodes) {
                UnknownFieldSet.Builder b = node.toBuilder().clearField(NODE_INPUT).clearField(NODE_OUTPUT);
                UnknownFieldSet.Field.Builder ins = UnknownFieldSet.Field.newBuilder();
                for (ByteString in : node.getField(NODE_INPUT).getLengthDelimitedList())
                    ins.addLengthDelimited(in.toStringUtf8().equals(input) ? ByteString.copyFromUtf8(input + "__r") : in);
                b.addField(NODE_INPUT, ins.build());
                UnknownFieldSet.Field.Builder outs = UnknownFieldSet.Field.newBuilder();
                List<ByteString> rounding = new ArrayList<>();
                for (ByteString out : node.getField(NODE_OUTPUT).getLengthDelimitedList()) {
                    String name = out.toStringUtf8();
                    outs.addLengthDelimited(ByteString.copyFromUtf8(name + "__f"));
                    rounding.add(cast("round_h_" + k, name + "__f", name + "__h", FLOAT16));
                    rounding.add(cast("round_" + k++, name + "__h", name, FLOAT));
                }
                b.addField(NODE_OUTPUT, outs.build());
                newNodes.add(b.build().toByteString());
                newNodes.addAll(rounding);
            }
            UnknownFieldSet.Field.Builder inits = UnknownFieldSet.Field.newBuilder();
            for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                UnknownFieldSet tensor = UnknownFieldSet.parseFrom(t);
                inits.addLengthDelimited(keepFloat32.contains(string(tensor, 8)) ? t : roundedToFloat16(tensor).toByteString());
            }
            UnknownFieldSet.Field.Builder nodeField = UnknownFieldSet.Field.newBuilder();
            newNodes.forEach(nodeField::addLengthDelimited);
            UnknownFieldSet newGraph = graph.toBuilder()
                    .clearField(GRAPH_NODE).addField(GRAPH_NODE, nodeField.build())
                    .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, inits.build())
                    .clearField(GRAPH_VALUE_INFO)
                    .build();
            return model.toBuilder().clearField(MODEL_GRAPH)
                    .addField(MODEL_GRAPH, lengthDelimited(newGraph.toByteString())).build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** A float32 tensor whose values are rounded to the nearest float16, still stored as float32. */
    private static UnknownFieldSet roundedToFloat16(UnknownFieldSet tensor) {
        UnknownFieldSet half = toFloat16(tensor);
        if (half == tensor) return tensor;
        ByteBuffer h = single(half, TENSOR_RAW_DATA).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f = ByteBuffer.allocate(h.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (h.remaining() >= 2) f.putFloat(Float.float16ToFloat(h.getShort()));
        return half.toBuilder()
                .clearField(TENSOR_DATA_TYPE).addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT).build())
                .clearField(TENSOR_RAW_DATA).addField(TENSOR_RAW_DATA, lengthDelimited(ByteString.copyFrom(f.array())))
                .build();
    }

    /** A float32 tensor as float16 raw data (round to nearest even, as numpy's astype does); others as they are. */
    private static UnknownFieldSet toFloat16(UnknownFieldSet tensor) {
        List<Long> type = tensor.getField(TENSOR_DATA_TYPE).getVarintList();
        if (type.isEmpty() || type.getFirst() != FLOAT) return tensor;
        float[] values;
        if (tensor.hasField(TENSOR_RAW_DATA)) {
            ByteBuffer raw = single(tensor, TENSOR_RAW_DATA).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            values = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(values);
        } else {
            List<Float> list = new ArrayList<>();
            for (ByteString packed : tensor.getField(TENSOR_FLOAT_DATA).getLengthDelimitedList()) {
                ByteBuffer b = packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() >= 4) list.add(b.getFloat());
            }
            for (Integer bits : tensor.getField(TENSOR_FLOAT_DATA).getFixed32List()) list.add(Float.intBitsToFloat(bits));
            values = new float[list.size()];
            for (int i = 0; i < values.length; i++) values[i] = list.get(i);
        }
        ByteBuffer half = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            short h = Float.floatToFloat16(v);
            if (Float.isFinite(v) && !Float.isFinite(Float.float16ToFloat(h)))
                throw new IllegalArgumentException("a constant (" + v + ") is out of float16 range");
            half.putShort(h);
        }
        return tensor.toBuilder()
                .clearField(TENSOR_DATA_TYPE).addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT16).build())
                .clearField(TENSOR_FLOAT_DATA)
                .clearField(TENSOR_RAW_DATA).addField(TENSOR_RAW_DATA, lengthDelimited(ByteString.copyFrom(half.array())))
                .build();
    }

    private static ByteString cast(String name, String from, String to, int type) {
        UnknownFieldSet attr = UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, lengthDelimited(ByteString.copyFromUtf8("to")))
                .addField(ATTR_I, UnknownFieldSet.Field.newBuilder().addVarint(type).build())
                .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTRIBUTE_TYPE_INT).build())
                .build();
        return UnknownFieldSet.newBuilder()
                .addField(NODE_INPUT, lengthDelimited(ByteString.copyFromUtf8(from)))
                .addField(NODE_OUTPUT, lengthDelimited(ByteString.copyFromUtf8(to)))
                .addField(NODE_NAME, lengthDelimited(ByteString.copyFromUtf8(name)))
                .addField(NODE_OP_TYPE, lengthDelimited(ByteString.copyFromUtf8("Cast")))
                .addField(NODE_ATTRIBUTE, lengthDelimited(attr.toByteString()))
                .build().toByteString();
    }

    private static UnknownFieldSet.Field lengthDelimited(ByteString bytes) {
        return UnknownFieldSet.Field.newBuilder().addLengthDelimited(bytes).build();
    }

    private static ByteString single(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        if (values.size() != 1)
            throw new IllegalArgumentException("expected one field " + field + ", found " + values.size());
        return values.getFirst();
    }

    private static String string(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.getFirst().toStringUtf8();
    }
}
