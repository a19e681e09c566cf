package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;

/**
 * The AlignTok adapter {@code A}: a 2-layer MLP applied to every encoder token independently
 * (as 1×1 convolutions on the N×D×H×W feature map), mapping encoder width D to C latent channels.
 * Deterministic by default; with a Gaussian head it also predicts a per-element log-variance from
 * the same hidden layer ({@link #moments}), used only in training (a KL term and sampled latents):
 * its forward and ONNX form are the mean.
 */
public final class Adapter extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int latentChannels;
  private final Conv2d hidden;
  private final Conv2d out;
  private final Conv2d logVariance;

  public Adapter(int hiddenChannels, int latentChannels) {
    this(hiddenChannels, latentChannels, false);
  }

  public Adapter(int hiddenChannels, int latentChannels, boolean gaussian) {
    super(VERSION);
    if (hiddenChannels <= 0 || latentChannels <= 0) {
      throw new IllegalArgumentException("adapter widths must be positive, got hidden=" + hiddenChannels + " latent=" + latentChannels);
    }
    this.latentChannels = latentChannels;
    this.hidden = addChildBlock("fc1", Layers.pointwise(hiddenChannels));
    this.out = addChildBlock("fc2", Layers.pointwise(latentChannels));
    this.logVariance = gaussian ? addChildBlock("fc2_logvar", Layers.pointwise(latentChannels)) : null;
  }

  public boolean gaussian() {
    return logVariance != null;
  }

  /** Mean and log-variance of the Gaussian latent (N × C × h × w each); needs the Gaussian head. */
  public NDList moments(ParameterStore store, NDArray features, boolean training) {
    if (logVariance == null) {
      throw new IllegalStateException("this adapter has no Gaussian head (the tokenizer's latents are deterministic)");
    }
    NDList h = new NDList(Layers.silu(hidden.forward(store, new NDList(features), training).singletonOrThrow()));
    return new NDList(out.forward(store, h, training).singletonOrThrow(), logVariance.forward(store, h, training).singletonOrThrow());
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
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = Layers.emitConv(graph, hidden, input, prefix + "fc1.");
    return Layers.emitConv(graph, out, Layers.emitSilu(graph, h), prefix + "fc2.");
  }

  /** Encoder width D this adapter reads (known once it is initialised). */
  public int featureChannels() {
    var weight = hidden.getParameters().get("weight");
    if (!weight.isInitialized()) {
      throw new IllegalStateException("adapter is not initialised: its input width is not known yet");
    }
    return Math.toIntExact(weight.getArray().getShape().get(1));
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
    if (logVariance != null) {
      logVariance.initialize(manager, dataType, hidden.getOutputShapes(inputShapes));
    }
  }
}
