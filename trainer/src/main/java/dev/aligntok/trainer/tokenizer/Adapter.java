package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.trainer.nn.Layers;

/**
 * The AlignTok adapter {@code A}: a 2-layer MLP applied to every encoder token independently
 * (as 1×1 convolutions on the N×D×H×W feature map), mapping encoder width D to C latent channels.
 * Deterministic: no KL term, no noise.
 */
public final class Adapter extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int latentChannels;
  private final Conv2d hidden;
  private final Conv2d out;

  public Adapter(int hiddenChannels, int latentChannels) {
    super(VERSION);
    if (hiddenChannels <= 0 || latentChannels <= 0) {
      throw new IllegalArgumentException("adapter widths must be positive, got hidden=" + hiddenChannels + " latent=" + latentChannels);
    }
    this.latentChannels = latentChannels;
    this.hidden = addChildBlock("fc1", Layers.pointwise(hiddenChannels));
    this.out = addChildBlock("fc2", Layers.pointwise(latentChannels));
  }

  public int latentChannels() {
    return latentChannels;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList h = hidden.forward(store, inputs, training);
    return out.forward(store, new NDList(Layers.silu(h.singletonOrThrow())), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), latentChannels, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    hidden.initialize(manager, dataType, inputShapes);
    out.initialize(manager, dataType, hidden.getOutputShapes(inputShapes));
  }
}
