package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;

/**
 * RMSNorm over the last axis: {@code x / √(mean(x²) + ε)}, times a learned per-feature weight when
 * {@code affine} (LightningDiT's norm; without affine when adaLN supplies scale and shift).
 */
public final class RmsNorm extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int features;
  private final float epsilon;
  private final Parameter weight;

  public RmsNorm(int features, boolean affine) {
    super(VERSION);
    if (features <= 0) {
      throw new IllegalArgumentException("RmsNorm needs a positive feature count, got " + features);
    }
    this.features = features;
    this.epsilon = 1e-6f;
    this.weight = affine
        ? addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).optShape(new Shape(features))
            .optInitializer(new ConstantInitializer(1f)).build())
        : null;
  }

  public float epsilon() {
    return epsilon;
  }

  public boolean affine() {
    return weight != null;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray normalised = x.div(x.square().mean(new int[] {-1}, true).add(epsilon).sqrt());
    return new NDList(weight == null ? normalised : normalised.mul(store.getValue(weight, x.getDevice(), training)));
  }

  /** The same computation op for op (not ONNX's RMSNormalization, which needs opset 23). */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String meanSquare = graph.reduceMean(graph.mul(input, input), true, -1);
    String normalised = graph.div(input, graph.sqrt(graph.add(meanSquare, graph.scalar(epsilon))));
    if (weight == null) {
      return normalised;
    }
    return graph.mul(normalised, graph.initializer(prefix + "weight", Layers.values(weight, prefix + "weight"), features));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long last = inputShapes[0].get(inputShapes[0].dimension() - 1);
    if (last != features) {
      throw new IllegalArgumentException("RmsNorm over " + features + " features got shape " + inputShapes[0]);
    }
  }
}
