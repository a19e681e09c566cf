package dev.aligntok.trainer.encoders.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LayerNorm over the last axis (the token width) with a learned scale and shift, as
 * {@code torch.nn.LayerNorm(width, eps)}. Unlike DJL's {@code LayerNorm} block its width is fixed at
 * construction, so it works for any number of leading axes. Uses the engine's fused kernel.
 */
public final class VitLayerNorm extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int width;
  private final float epsilon;
  private final Parameter gamma;
  private final Parameter beta;

  public VitLayerNorm(int width, float epsilon) {
    super(VERSION);
    this.width = width;
    this.epsilon = epsilon;
    this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(width)).build());
    this.beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(width)).build());
  }

  public float epsilon() {
    return epsilon;
  }

  /** Parameters under the PyTorch names ({@code weight}, {@code bias}). */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    map.put("weight", gamma);
    map.put("bias", beta);
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long last = x.getShape().get(x.getShape().dimension() - 1);
    if (last != width) {
      throw new IllegalArgumentException("LayerNorm of width " + width + " got input " + x.getShape());
    }
    NDArray scale = store.getValue(gamma, x.getDevice(), training);
    NDArray shift = store.getValue(beta, x.getDevice(), training);
    return LayerNorm.layerNorm(x, new Shape(width), scale, shift, epsilon);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no children
  }
}
