package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.MultiHeadSelfAttention;
import dev.aligntok.trainer.nn.RmsNorm;
import dev.aligntok.trainer.nn.Rotary2d;
import dev.aligntok.trainer.nn.SwiGluMlp;

/**
 * One LightningDiT block with adaLN-Zero: from the conditioning vector c, a zero-initialised
 * Linear(SiLU(c)) gives shift, scale and gate for the attention and the MLP branch, so every block
 * starts as the identity. Inputs (tokens (N, S, width), c (N, width)).
 */
public final class DiTBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  private final RmsNorm norm1;
  private final MultiHeadSelfAttention attention;
  private final RmsNorm norm2;
  private final SwiGluMlp mlp;
  private final Linear modulation;

  public DiTBlock(DiTConfig config, Rotary2d rotary) {
    super(VERSION);
    this.norm1 = addChildBlock("norm1", new RmsNorm(config.width(), false));
    this.attention = addChildBlock("attn", new MultiHeadSelfAttention(config.width(), config.heads(), rotary, config.qkNorm()));
    this.norm2 = addChildBlock("norm2", new RmsNorm(config.width(), false));
    this.mlp = addChildBlock("mlp", new SwiGluMlp(config.width(), config.mlpHidden()));
    this.modulation = addChildBlock("adaLN", Linear.builder().setUnits(6L * config.width()).build());
    modulation.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
  }

  /** {@code x · (1 + scale) + shift} with per-sample (N, width) shift and scale over all tokens. */
  static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
    return x.mul(scale.expandDims(1).add(1f)).add(shift.expandDims(1));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray c = inputs.get(1);
    NDList m = modulation.forward(store, new NDList(Layers.silu(c)), training).singletonOrThrow().split(6, 1);
    NDArray h = modulate(norm1.forward(store, new NDList(x), training).singletonOrThrow(), m.get(0), m.get(1));
    x = x.add(m.get(2).expandDims(1).mul(attention.forward(store, new NDList(h), training).singletonOrThrow()));
    h = modulate(norm2.forward(store, new NDList(x), training).singletonOrThrow(), m.get(3), m.get(4));
    x = x.add(m.get(5).expandDims(1).mul(mlp.forward(store, new NDList(h), training).singletonOrThrow()));
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    norm1.initialize(manager, dataType, tokens);
    attention.initialize(manager, dataType, tokens);
    norm2.initialize(manager, dataType, tokens);
    mlp.initialize(manager, dataType, tokens);
    modulation.initialize(manager, dataType, inputShapes[1]);
  }
}
