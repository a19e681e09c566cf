package dev.aligntok.export.analysis;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the multiply-add work of one image through an ONNX model: {@code Conv}, {@code MatMul} and
 * {@code Gemm} nodes, 2 FLOPs per multiply-accumulate (elementwise ops, norms and softmax are left
 * out: they are a few percent of the work and not what a GEMM peak measures).
 *
 * <p>ONNX files carry no intermediate shapes, so the model is run once at batch 1 with every
 * operand it needs exposed as an extra graph output; the shapes come from that run.
 */
public final class FlopCounter {
  private static final Set<String> COUNTED = Set.of("Conv", "MatMul", "Gemm");

  private FlopCounter() {}

  /** FLOPs per image of the serialised ONNX model {@code onnx} (batch axis set to 1). */
  public static FlopReport count(byte[] onnx) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    GraphProto graph = model.getGraph();
    Map<String, long[]> shapes = staticShapes(graph);
    Set<String> probed = new LinkedHashSet<>();
    for (NodeProto node : graph.getNodeList()) {
      if (COUNTED.contains(node.getOpType())) {
        for (String value : operandsOf(node)) {
          if (!shapes.containsKey(value)) {
            probed.add(value);
          }
        }
      }
    }
    shapes.putAll(runForShapes(withExtraOutputs(model, probed), graph, probed));
    Map<String, Long> byOp = new LinkedHashMap<>();
    for (NodeProto node : graph.getNodeList()) {
      if (COUNTED.contains(node.getOpType())) {
        byOp.merge(node.getOpType(), flops(node, shapes), Long::sum);
      }
    }
    return new FlopReport(graph.getName(), byOp);
  }

  /** Inputs and output of a counted node whose shapes the formula needs. */
  private static List<String> operandsOf(NodeProto node) {
    return List.of(node.getInput(0), node.getInput(1), node.getOutput(0));
  }

  private static long flops(NodeProto node, Map<String, long[]> shapes) {
    long[] output = shapes.get(node.getOutput(0));
    long[] left = shapes.get(node.getInput(0));
    long[] right = shapes.get(node.getInput(1));
    long outputCount = product(output);
    long reduced = switch (node.getOpType()) {
      // Each output value of a (grouped) conv sums over Cin/groups × kernel: exactly the weight's trailing dims.
      case "Conv" -> product(right) / right[0];
      case "MatMul" -> left[left.length - 1];
      case "Gemm" -> transA(node) ? left[0] : left[1];
      default -> throw new IllegalStateException("not a counted op: " + node.getOpType());
    };
    return 2 * outputCount * reduced;
  }

  private static boolean transA(NodeProto node) {
    return node.getAttributeList().stream().anyMatch(a -> a.getName().equals("transA") && a.getI() == 1);
  }

  private static Map<String, long[]> staticShapes(GraphProto graph) {
    Map<String, long[]> shapes = new HashMap<>();
    for (TensorProto initializer : graph.getInitializerList()) {
      shapes.put(initializer.getName(), initializer.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }
    for (ValueInfoProto input : graph.getInputList()) {
      shapes.put(input.getName(), batchOne(input));
    }
    return shapes;
  }

  /** An input's shape with every symbolic axis (the batch) set to 1. */
  private static long[] batchOne(ValueInfoProto input) {
    List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
    return dims.stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : 1).toArray();
  }

  private static byte[] withExtraOutputs(ModelProto model, Set<String> values) {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    for (String value : values) {
      // Element type only: ORT fills in the shape, and every counted operand is float.
      TypeProto type = TypeProto.newBuilder()
          .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber())).build();
      graph.addOutput(ValueInfoProto.newBuilder().setName(value).setType(type));
    }
    return model.toBuilder().setGraph(graph).build().toByteArray();
  }

  private static Map<String, long[]> runForShapes(byte[] onnx, GraphProto graph, Set<String> probed) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, long[]> shapes = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, options)) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
          for (ValueInfoProto input : graph.getInputList()) {
            inputs.put(input.getName(), zeros(env, input));
          }
          try (OrtSession.Result result = session.run(inputs, probed)) {
            for (String value : probed) {
              shapes.put(value, ((OnnxTensor) result.get(value).orElseThrow()).getInfo().getShape());
            }
          }
        } finally {
          inputs.values().forEach(OnnxTensor::close);
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not run graph '" + graph.getName() + "' to learn its shapes: "
          + e.getMessage(), e);
    }
    return shapes;
  }

  private static OnnxTensor zeros(OrtEnvironment env, ValueInfoProto input) throws OrtException {
    long[] shape = batchOne(input);
    int count = Math.toIntExact(product(shape));
    int type = input.getType().getTensorType().getElemType();
    if (type == TensorProto.DataType.FLOAT.getNumber()) {
      return OnnxTensor.createTensor(env, FloatBuffer.allocate(count), shape);
    }
    if (type == TensorProto.DataType.INT64.getNumber()) {
      return OnnxTensor.createTensor(env, LongBuffer.allocate(count), shape);
    }
    throw new IllegalArgumentException("input '" + input.getName() + "' has element type " + type
        + "; only float32 and int64 inputs can be fed");
  }

  private static long product(long[] shape) {
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
    }
    return count;
  }
}
