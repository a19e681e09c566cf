package dev.aligntok.export.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small builder of one ONNX graph (opset {@value #OPSET}, IR version {@value #IR_VERSION}) over the
 * ONNX protobuf classes. Every graph input and output has a symbolic first axis {@value #BATCH} and
 * is float32 (an input may also be int64). Weights are named initializers; small constants (scalars,
 * shapes, axes) are deduplicated by value. The op helpers each add one node and return the name of its output, so
 * an emitter reads like the forward it mirrors.
 */
public final class OnnxGraph {
  /** ONNX opset of every exported graph: standard ops up to opset 21 (ONNX Runtime 1.29 runs it). */
  public static final int OPSET = 21;
  /** IR version paired with opset 21 (IR 14 is not loadable by ONNX Runtime 1.29). */
  public static final long IR_VERSION = 10;
  /** Name of the dynamic batch axis of every input and output. */
  public static final String BATCH = "batch";
  private static final String PRODUCER = "aligntok-model-export";

  private final String name;
  private final List<ValueInfoProto> inputs = new ArrayList<>();
  private final List<ValueInfoProto> outputs = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final List<NodeProto> nodes = new ArrayList<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> values = new HashSet<>();
  private final Map<String, String> constants = new HashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();

  public OnnxGraph(String name) {
    this.name = requireName(name, "graph name");
  }

  public String name() {
    return name;
  }

  // ---------------------------------------------------------------- names

  /** A name not used yet in this graph, built from {@code prefix} ({@code prefix}, then {@code prefix_1}, ...). */
  public String fresh(String prefix) {
    requireName(prefix, "name prefix");
    int n = counters.getOrDefault(prefix, 0);
    String candidate = n == 0 ? prefix : prefix + "_" + n;
    while (usedNames.contains(candidate)) {
      n++;
      candidate = prefix + "_" + n;
    }
    counters.put(prefix, n + 1);
    usedNames.add(candidate);
    return candidate;
  }

  private void claim(String valueName, String what) {
    requireName(valueName, what);
    if (!usedNames.add(valueName)) {
      throw new IllegalArgumentException(what + " '" + valueName + "' is already used in graph '" + name + "'");
    }
  }

  // ---------------------------------------------------------------- inputs, outputs, initializers

  /** A float32 graph input of shape [batch, dims...]; returns its name. */
  public String input(String inputName, long... dims) {
    claim(inputName, "input");
    inputs.add(valueInfo(inputName, TensorProto.DataType.FLOAT, dims));
    values.add(inputName);
    return inputName;
  }

  /** An int64 graph input of shape [batch, dims...] (class ids, token ids); returns its name. */
  public String inputInt64(String inputName, long... dims) {
    claim(inputName, "input");
    inputs.add(valueInfo(inputName, TensorProto.DataType.INT64, dims));
    values.add(inputName);
    return inputName;
  }

  /** Declares the value {@code valueName} as a float32 graph output of shape [batch, dims...]. */
  public void output(String valueName, long... dims) {
    requireValue(valueName);
    for (ValueInfoProto existing : outputs) {
      if (existing.getName().equals(valueName)) {
        throw new IllegalArgumentException("'" + valueName + "' is already an output of graph '" + name + "'");
      }
    }
    outputs.add(valueInfo(valueName, TensorProto.DataType.FLOAT, dims));
  }

  /** Renames a value to a chosen output name (with Identity) and declares it an output. */
  public String output(String valueName, String outputName, long... dims) {
    requireValue(valueName);
    claim(outputName, "output");
    nodes.add(NodeProto.newBuilder().setOpType("Identity").setName(fresh("Identity")).addInput(valueName).addOutput(outputName).build());
    values.add(outputName);
    output(outputName, dims);
    return outputName;
  }

  /** A float32 weight; {@code values.length} must equal the product of {@code shape}. */
  public String initializer(String initializerName, float[] data, long... shape) {
    checkCount(initializerName, Objects.requireNonNull(data, "data").length, shape);
    claim(initializerName, "initializer");
    return floatTensor(initializerName, data, shape);
  }

  private String floatTensor(String initializerName, float[] data, long... shape) {
    checkCount(initializerName, data.length, shape);
    ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    addInitializer(initializerName, TensorProto.DataType.FLOAT, bytes, shape);
    return initializerName;
  }

  /** An int64 tensor (shapes, axes); {@code values.length} must equal the product of {@code shape}. */
  public String initializerInt64(String initializerName, long[] data, long... shape) {
    checkCount(initializerName, Objects.requireNonNull(data, "data").length, shape);
    claim(initializerName, "initializer");
    return int64Tensor(initializerName, data, shape);
  }

  private String int64Tensor(String initializerName, long[] data, long... shape) {
    checkCount(initializerName, data.length, shape);
    ByteBuffer bytes = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(data);
    addInitializer(initializerName, TensorProto.DataType.INT64, bytes, shape);
    return initializerName;
  }

  /** A float32 scalar constant, stored once per distinct value. */
  public String scalar(float value) {
    return constants.computeIfAbsent("f:" + Float.floatToIntBits(value),
        k -> floatTensor(fresh("const_f"), new float[] {value}));
  }

  /** A float32 constant tensor, stored once per distinct value and shape. */
  public String constant(float[] data, long... shape) {
    return constants.computeIfAbsent("f:" + Arrays.toString(data) + Arrays.toString(shape),
        k -> floatTensor(fresh("const_f"), data.clone(), shape));
  }

  /** A 1-D int64 constant (a shape or a list of axes), stored once per distinct value. */
  public String int64s(long... data) {
    return constants.computeIfAbsent("i:" + Arrays.toString(data),
        k -> int64Tensor(fresh("const_i"), data.clone(), data.length));
  }

  // ---------------------------------------------------------------- nodes

  /**
   * Adds one node; every input must be an existing value (or {@code ""} for an omitted optional
   * input) and every output a new name.
   */
  public void node(String opType, List<String> nodeInputs, List<String> nodeOutputs, AttributeProto... attributes) {
    requireName(opType, "op type");
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType));
    for (String in : nodeInputs) {
      if (!in.isEmpty()) {
        requireValue(in);
      }
      node.addInput(in);
    }
    if (nodeOutputs.isEmpty()) {
      throw new IllegalArgumentException(opType + ": a node needs at least one output");
    }
    for (String out : nodeOutputs) {
      if (!usedNames.contains(out)) {
        claim(out, opType + " output");
      } else if (values.contains(out)) {
        throw new IllegalArgumentException(opType + ": value '" + out + "' already has a producer");
      }
      node.addOutput(out);
      values.add(out);
    }
    for (AttributeProto attribute : attributes) {
      node.addAttribute(attribute);
    }
    nodes.add(node.build());
  }

  /** Adds a node with one fresh output (named after the op) and returns that output's name. */
  public String op(String opType, List<String> nodeInputs, AttributeProto... attributes) {
    String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
    node(opType, nodeInputs, List.of(out), attributes);
    return out;
  }

  // ---------------------------------------------------------------- attributes

  public static AttributeProto intAttr(String attrName, long value) {
    return AttributeProto.newBuilder().setName(attrName).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  public static AttributeProto floatAttr(String attrName, float value) {
    return AttributeProto.newBuilder().setName(attrName).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  public static AttributeProto stringAttr(String attrName, String value) {
    return AttributeProto.newBuilder().setName(attrName).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value)).build();
  }

  public static AttributeProto intsAttr(String attrName, long... values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(attrName).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  public static AttributeProto floatsAttr(String attrName, float... values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(attrName).setType(AttributeProto.AttributeType.FLOATS);
    for (float v : values) {
      b.addFloats(v);
    }
    return b.build();
  }

  // ---------------------------------------------------------------- ops used by the emitters

  public String add(String a, String b) {
    return op("Add", List.of(a, b));
  }

  public String sub(String a, String b) {
    return op("Sub", List.of(a, b));
  }

  public String mul(String a, String b) {
    return op("Mul", List.of(a, b));
  }

  public String div(String a, String b) {
    return op("Div", List.of(a, b));
  }

  public String sqrt(String x) {
    return op("Sqrt", List.of(x));
  }

  public String sigmoid(String x) {
    return op("Sigmoid", List.of(x));
  }

  public String matMul(String a, String b) {
    return op("MatMul", List.of(a, b));
  }

  public String softmax(String x, int axis) {
    return op("Softmax", List.of(x), intAttr("axis", axis));
  }

  public String transpose(String x, long... permutation) {
    return op("Transpose", List.of(x), intsAttr("perm", permutation));
  }

  /** Reshape to a constant shape (ONNX semantics: 0 copies the input's dimension, -1 is inferred). */
  public String reshape(String x, long... shape) {
    return op("Reshape", List.of(x, int64s(shape)));
  }

  /** Reshape to the runtime shape of another value (e.g. back to the input's shape after a grouped op). */
  public String reshapeLike(String x, String like) {
    return op("Reshape", List.of(x, op("Shape", List.of(like))));
  }

  /** Mean over {@code axes} (from opset 18 the axes are an input, not an attribute). */
  public String reduceMean(String x, boolean keepDims, long... axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("reduceMean: give at least one axis (no axes would mean all axes)");
    }
    return op("ReduceMean", List.of(x, int64s(axes)), intAttr("keepdims", keepDims ? 1 : 0));
  }

  /**
   * 2-D convolution of NCHW by an OIHW weight with symmetric padding; {@code bias} may be null.
   */
  public String conv(String x, String weight, String bias, long[] kernel, long[] strides, long[] pads, long[] dilations, long groups) {
    requireLength(kernel, 2, "conv kernel");
    requireLength(strides, 2, "conv strides");
    requireLength(pads, 2, "conv pads");
    requireLength(dilations, 2, "conv dilations");
    if (groups <= 0) {
      throw new IllegalArgumentException("conv groups must be positive, got " + groups);
    }
    List<String> in = bias == null ? List.of(x, weight) : List.of(x, weight, bias);
    return op("Conv", in,
        intsAttr("kernel_shape", kernel),
        intsAttr("strides", strides),
        intsAttr("pads", pads[0], pads[1], pads[0], pads[1]),
        intsAttr("dilations", dilations),
        intAttr("group", groups));
  }

  /** Nearest-neighbour upsampling of NCHW by an integer factor: every pixel copied factor×factor times. */
  public String upsampleNearest(String x, int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("upsample factor must be at least 1, got " + factor);
    }
    String scales = constant(new float[] {1f, 1f, factor, factor}, 4);
    return op("Resize", List.of(x, "", scales),
        stringAttr("mode", "nearest"),
        stringAttr("coordinate_transformation_mode", "asymmetric"),
        stringAttr("nearest_mode", "floor"));
  }

  // ---------------------------------------------------------------- building

  /** The model: this graph with opset {@value #OPSET} and IR version {@value #IR_VERSION}. */
  public ModelProto build() {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalStateException("graph '" + name + "' needs at least one input and one output (has "
          + inputs.size() + " and " + outputs.size() + ")");
    }
    GraphProto graph = GraphProto.newBuilder().setName(name)
        .addAllInput(inputs).addAllOutput(outputs).addAllInitializer(initializers).addAllNode(nodes).build();
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(PRODUCER)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET).build())
        .setGraph(graph)
        .build();
  }

  public byte[] toBytes() {
    return build().toByteArray();
  }

  public void write(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, toBytes());
  }

  /** Number of nodes so far (for tests and logs). */
  public int nodeCount() {
    return nodes.size();
  }

  // ---------------------------------------------------------------- helpers

  private void addInitializer(String initializerName, TensorProto.DataType type, ByteBuffer bytes, long[] shape) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(initializerName).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : shape) {
      tensor.addDims(d);
    }
    initializers.add(tensor.build());
    values.add(initializerName);
  }

  private static ValueInfoProto valueInfo(String valueName, TensorProto.DataType elemType, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (long d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("'" + valueName + "': dimensions after the batch axis must be positive, got "
            + Arrays.toString(dims));
      }
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(elemType.getNumber()).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(valueName).setType(type).build();
  }

  private static void checkCount(String initializerName, int length, long[] shape) {
    long count = elementCount(shape, initializerName);
    if (count != length) {
      throw new IllegalArgumentException("initializer '" + initializerName + "': shape " + Arrays.toString(shape)
          + " holds " + count + " values but " + length + " were given");
    }
  }

  private static long elementCount(long[] shape, String what) {
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("initializer '" + what + "': negative dimension in " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    return count;
  }

  private void requireValue(String valueName) {
    if (!values.contains(valueName)) {
      throw new IllegalArgumentException("graph '" + name + "' has no value '" + valueName + "' (not an input, initializer or node output)");
    }
  }

  private static void requireLength(long[] array, int length, String what) {
    if (array == null || array.length != length) {
      throw new IllegalArgumentException(what + " needs " + length + " values, got " + Arrays.toString(array));
    }
  }

  private static String requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
