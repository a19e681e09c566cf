package dev.aligntok.trainer.encoders.vit;

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

/**
 * LayerScale (CaiT, used by DINOv2): multiplies each channel of a residual branch by a learned
 * factor, initialised small so that deep stacks start close to the identity.
 */
public final class LayerScale extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int width;
  private final Parameter gamma;

  public LayerScale(int width, float init) {
    super(VERSION);
    this.width = width;
    this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.OTHER)
        .optShape(new Shape(width)).optInitializer(new ConstantInitializer(init)).build());
  }

  /** The factors (checkpoint name {@code gamma} in DINOv2, {@code lambda1} in transformers). */
  public Parameter gamma() {
    return gamma;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(x.mul(store.getValue(gamma, x.getDevice(), training)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no children
  }

  @Override
  public String toString() {
    return "LayerScale(" + width + ")";
  }
}
