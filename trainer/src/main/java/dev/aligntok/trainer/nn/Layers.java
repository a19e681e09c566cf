package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;

/**
 * Small functional pieces shared by the networks, each defined once, with their ONNX emitters
 * beside them.
 */
public final class Layers {
  private Layers() {}

  /** SiLU (swish with β = 1): x · σ(x). */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** ONNX twin of {@link #silu}: Mul(x, Sigmoid(x)). */
  public static String emitSilu(OnnxGraph graph, String x) {
    return graph.mul(x, graph.sigmoid(x));
  }

  /** Nearest-neighbour upsampling of NCHW by an integer factor (the PyTorch engine has no transposed conv). */
  public static NDArray upsampleNearest(NDArray x, int factor) {
    return x.repeat(2, factor).repeat(3, factor);
  }

  /** ONNX twin of {@link #upsampleNearest}: Resize (nearest, asymmetric, floor), an exact copy of pixels. */
  public static String emitUpsampleNearest(OnnxGraph graph, String x, int factor) {
    return graph.upsampleNearest(x, factor);
  }

  /** A k×k convolution with "same" padding for odd k. */
  public static Conv2d conv(int outChannels, int kernel, int stride) {
    return PaddedConvolution.of(Conv2d.builder().setFilters(outChannels).setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)));
  }

  /** 1×1 convolution: a per-position (per-token) linear map over channels. */
  public static Conv2d pointwise(int outChannels) {
    return conv(outChannels, 1, 1);
  }

  /**
   * ONNX twin of a DJL {@link Conv2d} (as built by {@link #conv} and {@link #pointwise}): Conv with
   * the same kernel, stride, padding, dilation and groups; DJL's OIHW weight is ONNX's layout.
   */
  public static String emitConv(OnnxGraph graph, Conv2d conv, String input, String prefix) {
    Parameter weight = conv.getParameters().get("weight");
    Shape weightShape = initialised(weight, prefix + "weight").getShape();
    String w = graph.initializer(prefix + "weight", values(weight, prefix + "weight"), weightShape.getShape());
    String b = null;
    if (conv.isIncludeBias()) {
      Parameter bias = conv.getParameters().get("bias");
      b = graph.initializer(prefix + "bias", values(bias, prefix + "bias"), initialised(bias, prefix + "bias").getShape().getShape());
    }
    return graph.conv(input, w, b, conv.getKernelShape().getShape(), conv.getStride().getShape(),
        conv.getPadding().getShape(), conv.getDilation().getShape(), conv.getGroups());
  }

  /**
   * ONNX twin of a DJL {@link Linear} over the last axis of a tensor of any rank: MatMul by the
   * weight stored transposed ({@code prefix + "weight_t"}, in × out, as MatMul wants it), plus the bias.
   */
  public static String emitLinear(OnnxGraph graph, Linear linear, String input, String prefix) {
    Parameter weight = linear.getParameters().get("weight");
    long[] shape = initialised(weight, prefix + "weight").getShape().getShape();  // (out, in)
    int out = Math.toIntExact(shape[0]);
    int in = Math.toIntExact(shape[1]);
    float[] values = values(weight, prefix + "weight");
    float[] transposed = new float[values.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        transposed[i * out + o] = values[o * in + i];
      }
    }
    String y = graph.matMul(input, graph.initializer(prefix + "weight_t", transposed, in, out));
    Parameter bias = linear.getParameters().get("bias");
    if (bias == null) {
      return y;
    }
    return graph.add(y, graph.initializer(prefix + "bias", values(bias, prefix + "bias"), out));
  }

  /**
   * Emits a child block: an {@link OnnxEmitter} emits itself, a DJL {@link Conv2d} through
   * {@link #emitConv}, a DJL {@link Linear} through {@link #emitLinear}; anything else has no ONNX form yet.
   */
  public static String emit(OnnxGraph graph, Block block, String input, String prefix) {
    if (block instanceof OnnxEmitter emitter) {
      return emitter.emit(graph, input, prefix);
    }
    if (block instanceof Conv2d conv) {
      return emitConv(graph, conv, input, prefix);
    }
    if (block instanceof Linear linear) {
      return emitLinear(graph, linear, input, prefix);
    }
    throw new UnsupportedOperationException("no ONNX emitter for " + block.getClass().getName() + " at '" + prefix + "'");
  }

  /** A float32 parameter's current values, for an ONNX initializer. */
  public static float[] values(Parameter parameter, String name) {
    NDArray array = initialised(parameter, name);
    if (array.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("parameter '" + name + "' is " + array.getDataType() + ", ONNX export expects float32");
    }
    return array.toFloatArray();
  }

  private static NDArray initialised(Parameter parameter, String name) {
    if (parameter == null || !parameter.isInitialized()) {
      throw new IllegalStateException("parameter '" + name + "' is not initialised: initialise the block before exporting it");
    }
    return parameter.getArray();
  }
}
