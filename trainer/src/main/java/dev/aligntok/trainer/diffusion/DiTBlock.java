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
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.MultiHeadSelfAttention;
import dev.aligntok.trainer.nn.RmsNorm;
import dev.aligntok.trainer.nn.Rotary2d;
import dev.aligntok.trainer.nn.SwiGluMlp;
import java.util.List;

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

  /** ONNX twin of {@link #modulate}. */
  static String emitModulate(OnnxGraph graph, String x, String shift, String scale) {
    return graph.add(graph.mul(x, graph.add(graph.unsqueeze(scale, 1), graph.scalar(1f))), graph.unsqueeze(shift, 1));
  }

  /**
   * ONNX twin of the forward: tokens (N, S, width) and conditioning (N, width) → tokens. Two
   * inputs, so not an {@link dev.aligntok.export.onnx.OnnxEmitter}.
   */
  public String emit(OnnxGraph graph, String tokens, String conditioning, String prefix) {
    String modulationOut = Layers.emitLinear(graph, modulation, Layers.emitSilu(graph, conditioning), prefix + "adaLN.");
    List<String> m = graph.split(modulationOut, 1, 6);
    String h = emitModulate(graph, norm1.emit(graph, tokens, prefix + "norm1."), m.get(0), m.get(1));
    String x = graph.add(tokens, graph.mul(graph.unsqueeze(m.get(2), 1), attention.emit(graph, h, prefix + "attn.")));
    h = emitModulate(graph, norm2.emit(graph, x, prefix + "norm2."), m.get(3), m.get(4));
    return graph.add(x, graph.mul(graph.unsqueeze(m.get(5), 1), mlp.emit(graph, h, prefix + "mlp.")));
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
