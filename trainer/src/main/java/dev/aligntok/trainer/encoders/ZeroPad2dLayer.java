package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;

/**
 * Keras {@code ZeroPadding2D} on NCHW: zeros added per side, possibly asymmetric. Keras MobileNetV2
 * pads stride-2 convolutions by (top 0, bottom 1, left 0, right 1) and then convolves "valid",
 * which a symmetric conv padding cannot express.
 */
public final class ZeroPad2dLayer extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final String name;
  private final int top;
  private final int bottom;
  private final int left;
  private final int right;

  public ZeroPad2dLayer(String name, int top, int bottom, int left, int right) {
    super(VERSION);
    if (top < 0 || bottom < 0 || left < 0 || right < 0) {
      throw new IllegalArgumentException(name + ": negative padding " + top + "," + bottom + "," + left + "," + right);
    }
    this.name = name;
    this.top = top;
    this.bottom = bottom;
    this.left = left;
    this.right = right;
  }

  public String name() {
    return name;
  }

  /** Padding as (top, bottom, left, right). */
  public int[] padding() {
    return new int[] {top, bottom, left, right};
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    // NDArray.pad follows torch.nn.functional.pad: pairs from the last axis inwards (W, then H).
    return new NDList(inputs.singletonOrThrow().pad(new Shape(left, right, top, bottom), 0));
  }

  /** ONNX twin: Pad, whose pads list every axis's begin (N, C, top, left), then every end (N, C, bottom, right). */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    return graph.pad(input, 0, 0, top, left, 0, 0, bottom, right);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), in.get(2) + top + bottom, in.get(3) + left + right)};
  }

  @Override
  public String toString() {
    return "ZeroPad2dLayer(" + name + ", top " + top + ", bottom " + bottom + ", left " + left + ", right " + right + ")";
  }
}
