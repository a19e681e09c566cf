package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;

/**
 * Group normalisation of NCHW tensors with a learned per-channel scale and shift. DJL's PyTorch
 * engine has no group norm, so it is written from reshape, mean and variance (biased, as PyTorch).
 */
public final class GroupNorm extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int groups;
  private final int channels;
  private final float epsilon;
  private final Parameter gamma;
  private final Parameter beta;

  public GroupNorm(int groups, int channels) {
    this(groups, channels, 1e-6f);
  }

  public GroupNorm(int groups, int channels, float epsilon) {
    super(VERSION);
    if (groups <= 0 || channels % groups != 0) {
      throw new IllegalArgumentException("GroupNorm: " + channels + " channels cannot be split into " + groups + " groups");
    }
    this.groups = groups;
    this.channels = channels;
    this.epsilon = epsilon;
    this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(channels)).build());
    this.beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(channels)).build());
  }

  /** Fewest channels a group may hold when there are enough channels (LDM's narrowest level: 128 / 32). */
  static final int MIN_CHANNELS_PER_GROUP = 4;

  /**
   * LDM's choice, 32 groups, but never fewer than {@value #MIN_CHANNELS_PER_GROUP} channels per
   * group: with one channel per group the norm becomes an instance norm, which wipes each
   * channel's per-image mean — at the decoder's output that erased the colour of whole emoji.
   */
  public static GroupNorm forChannels(int channels) {
    int groups = Math.max(1, Math.min(32, channels / MIN_CHANNELS_PER_GROUP));
    while (channels % groups != 0) {
      groups--;
    }
    return new GroupNorm(groups, channels);
  }

  public int groups() {
    return groups;
  }

  public float epsilon() {
    return epsilon;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape shape = x.getShape();
    NDArray grouped = x.reshape(shape.get(0), groups, -1);
    NDArray mean = grouped.mean(new int[] {2}, true);
    NDArray centred = grouped.sub(mean);
    NDArray variance = centred.square().mean(new int[] {2}, true);
    NDArray normalised = centred.div(variance.add(epsilon).sqrt()).reshape(shape);
    NDArray scale = store.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
    NDArray shift = store.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
    return new NDList(normalised.mul(scale).add(shift));
  }

  /**
   * The same computation, op for op (rather than ONNX's GroupNormalization, so that the two
   * definitions cannot drift and any runtime without that op still runs it).
   */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String grouped = graph.reshape(input, 0, groups, -1);
    String mean = graph.reduceMean(grouped, true, 2);
    String centred = graph.sub(grouped, mean);
    String variance = graph.reduceMean(graph.mul(centred, centred), true, 2);
    String normalised = graph.reshapeLike(graph.div(centred, graph.sqrt(graph.add(variance, graph.scalar(epsilon)))), input);
    String scale = graph.initializer(prefix + "gamma", Layers.values(gamma, prefix + "gamma"), 1, channels, 1, 1);
    String shift = graph.initializer(prefix + "beta", Layers.values(beta, prefix + "beta"), 1, channels, 1, 1);
    return graph.add(graph.mul(normalised, scale), shift);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    // no children
  }
}
