package dev.aligntok.trainer.encoders.vit;

import dev.aligntok.trainer.nn.SwiGluMlp;
import dev.aligntok.trainer.nn.MultiHeadSelfAttention;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pre-norm transformer block of DINOv2:
 * {@code x += ls1(attn(norm1(x)))}, then {@code x += ls2(mlp(norm2(x)))}. Tokens (N, S, width).
 */
public final class VitBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  private final VitLayerNorm norm1;
  private final MultiHeadSelfAttention attention;
  private final LayerScale scale1;
  private final VitLayerNorm norm2;
  private final Block mlp;
  private final LayerScale scale2;

  public VitBlock(VitConfig config) {
    super(VERSION);
    int width = config.width();
    this.norm1 = addChildBlock("norm1", new VitLayerNorm(width, config.layerNormEps()));
    this.attention = addChildBlock("attn", new MultiHeadSelfAttention(width, config.heads()));
    this.scale1 = addChildBlock("ls1", new LayerScale(width, config.layerScaleInit()));
    this.norm2 = addChildBlock("norm2", new VitLayerNorm(width, config.layerNormEps()));
    this.mlp = addChildBlock("mlp", config.feedForward() == VitConfig.FeedForward.SWIGLU
        ? new SwiGluMlp(width, config.ffnHidden())
        : new VitMlp(width, config.ffnHidden()));
    this.scale2 = addChildBlock("ls2", new LayerScale(width, config.layerScaleInit()));
  }

  /** Parameters under the original DINOv2 names relative to {@code blocks.<i>.}. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    norm1.checkpointParameters().forEach((name, p) -> map.put("norm1." + name, p));
    attention.checkpointParameters().forEach((name, p) -> map.put("attn." + name, p));
    map.put("ls1.gamma", scale1.gamma());
    norm2.checkpointParameters().forEach((name, p) -> map.put("norm2." + name, p));
    Map<String, Parameter> ffn = mlp instanceof SwiGluMlp swiGlu
        ? swiGlu.checkpointParameters() : ((VitMlp) mlp).checkpointParameters();
    ffn.forEach((name, p) -> map.put("mlp." + name, p));
    map.put("ls2.gamma", scale2.gamma());
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList attended = attention.forward(store, norm1.forward(store, inputs, training), training);
    x = x.add(scale1.forward(store, attended, training).singletonOrThrow());
    NDList transformed = mlp.forward(store, norm2.forward(store, new NDList(x), training), training);
    return new NDList(x.add(scale2.forward(store, transformed, training).singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : new Block[] {norm1, attention, scale1, norm2, mlp, scale2}) {
      child.initialize(manager, dataType, inputShapes);
    }
  }
}
