package dev.aligntok.export.bundle;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A graph's inputs and outputs read from the ONNX bytes themselves, so the manifest declares what
 * the file really contains rather than what a caller believes it contains.
 */
record OnnxSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

  static OnnxSignature of(byte[] onnx, String what) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(what + " is not an ONNX model: " + e.getMessage(), e);
    }
    if (!model.hasGraph()) {
      throw new IllegalArgumentException(what + " is not an ONNX model: it has no graph");
    }
    // Older exporters list initializers among the inputs; they are weights, not inputs.
    Set<String> weights = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> weights.add(t.getName()));
    List<TensorSpec> inputs = new ArrayList<>();
    for (ValueInfoProto input : model.getGraph().getInputList()) {
      if (!weights.contains(input.getName())) {
        inputs.add(spec(input));
      }
    }
    List<TensorSpec> outputs = new ArrayList<>();
    model.getGraph().getOutputList().forEach(output -> outputs.add(spec(output)));
    return new OnnxSignature(List.copyOf(inputs), List.copyOf(outputs));
  }

  private static TensorSpec spec(ValueInfoProto value) {
    var tensor = value.getType().getTensorType();
    List<Long> shape = new ArrayList<>();
    for (TensorShapeProto.Dimension dim : tensor.getShape().getDimList()) {
      shape.add(dim.hasDimValue() ? dim.getDimValue() : -1L);
    }
    return new TensorSpec(value.getName(), dtype(tensor.getElemType()), List.copyOf(shape));
  }

  private static String dtype(int elemType) {
    if (elemType == TensorProto.DataType.FLOAT.getNumber()) {
      return TensorSpec.FLOAT32;
    }
    if (elemType == TensorProto.DataType.INT64.getNumber()) {
      return TensorSpec.INT64;
    }
    return "onnx-type-" + elemType;
  }
}
