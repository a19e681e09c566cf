package dev.aligntok.trainer.encoders.vit;

import dev.aligntok.trainer.nn.DirectParameters;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cuts the image into non-overlapping patch×patch squares and projects each to a token: a
 * convolution with kernel = stride = patch. NCHW image in, NCHW token map (N, width, H/p, W/p) out.
 */
public final class PatchEmbedding extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int patchSize;
  private final int width;
  private final Conv2d projection;

  public PatchEmbedding(int patchSize, int width) {
    super(VERSION);
    this.patchSize = patchSize;
    this.width = width;
    this.projection = addChildBlock("proj", Conv2d.builder().setFilters(width)
        .setKernelShape(new Shape(patchSize, patchSize)).optStride(new Shape(patchSize, patchSize)).build());
  }

  /** Conv weight (width, C, p, p) and bias (width), under the PyTorch names. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    DirectParameters.put(map, "", projection);
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return projection.forward(store, inputs, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), width, in.get(2) / patchSize, in.get(3) / patchSize)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(manager, dataType, inputShapes);
  }
}
