package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;

/** ReLU capped at 6, {@code min(max(x, 0), 6)}: Keras {@code ReLU(max_value=6)}. */
public final class Relu6Layer extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  public static final float CAP = 6f;
  private final String name;

  public Relu6Layer(String name) {
    super(VERSION);
    this.name = name;
  }

  public String name() {
    return name;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(inputs.singletonOrThrow().clip(0f, CAP));
  }

  /** ONNX twin: Clip(x, 0, 6). */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    return graph.clip(input, 0f, CAP);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  public String toString() {
    return "Relu6Layer(" + name + ")";
  }
}
