package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-head self-attention over tokens (N, S, width) with one fused q/k/v projection
 * ({@code qkv}, rows ordered q, k, v and, within each, head by head) followed by the output
 * projection ({@code proj}). softmax(q·kᵀ/√d)·v per head; no mask, no dropout.
 */
public final class MultiHeadSelfAttention extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int width;
  private final int heads;
  private final float scale;
  private final Linear qkv;
  private final Linear projection;
  private final Rotary2d rotary;
  private final RmsNorm queryNorm;
  private final RmsNorm keyNorm;

  public MultiHeadSelfAttention(int width, int heads) {
    this(width, heads, null, false);
  }

  /** @param rotary 2-D rotary embedding for q and k, or null for none */
  public MultiHeadSelfAttention(int width, int heads, Rotary2d rotary, boolean qkNorm) {
    super(VERSION);
    if (heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException("attention: width " + width + " is not divisible by " + heads + " heads");
    }
    this.width = width;
    this.heads = heads;
    this.scale = (float) (1.0 / Math.sqrt(width / heads));
    this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
    this.projection = addChildBlock("proj", Linear.builder().setUnits(width).build());
    // timm's transformer initialisation for training from scratch.
    qkv.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    projection.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    this.rotary = rotary;
    this.queryNorm = qkNorm ? addChildBlock("q_norm", new RmsNorm(width / heads, true)) : null;
    this.keyNorm = qkNorm ? addChildBlock("k_norm", new RmsNorm(width / heads, true)) : null;
  }

  public int heads() {
    return heads;
  }

  /** {@code qkv.weight} (3·width, width), {@code qkv.bias}, {@code proj.weight}, {@code proj.bias}. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    DirectParameters.put(map, "qkv.", qkv);
    DirectParameters.put(map, "proj.", projection);
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape shape = x.getShape();
    long n = shape.get(0);
    long s = shape.get(1);
    NDArray fused = qkv.forward(store, inputs, training).singletonOrThrow();
    // (N, S, 3·width) → (3, N, heads, S, headDim)
    NDArray split = fused.reshape(n, s, 3, heads, width / heads).transpose(2, 0, 3, 1, 4);
    NDArray q = split.get(0);
    NDArray k = split.get(1);
    if (queryNorm != null) {
      q = queryNorm.forward(store, new NDList(q), training).singletonOrThrow();
      k = keyNorm.forward(store, new NDList(k), training).singletonOrThrow();
    }
    if (rotary != null) {
      q = rotary.apply(q);
      k = rotary.apply(k);
    }
    q = q.mul(scale);
    NDArray v = split.get(2);
    NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);         // N × heads × S × S
    NDArray attended = weights.matMul(v).transpose(0, 2, 1, 3).reshape(n, s, width);
    return projection.forward(store, new NDList(attended), training);
  }

  /** The same computation on tokens (N, S, width); q, k and v are split apart on the leading axis of 3. */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String fused = Layers.emitLinear(graph, qkv, input, prefix + "qkv.");
    String split = graph.transpose(graph.reshape(fused, 0, 0, 3, heads, width / heads), 2, 0, 3, 1, 4);
    List<String> qkvParts = graph.split(split, 0, 3);
    String q = graph.squeeze(qkvParts.get(0), 0);
    String k = graph.squeeze(qkvParts.get(1), 0);
    String v = graph.squeeze(qkvParts.get(2), 0);
    if (queryNorm != null) {
      q = queryNorm.emit(graph, q, prefix + "q_norm.");
      k = keyNorm.emit(graph, k, prefix + "k_norm.");
    }
    if (rotary != null) {
      q = rotary.emit(graph, q);
      k = rotary.emit(graph, k);
    }
    q = graph.mul(q, graph.scalar(scale));
    String weights = graph.softmax(graph.matMul(q, graph.transpose(k, 0, 1, 3, 2)), -1);
    String attended = graph.reshape(graph.transpose(graph.matMul(weights, v), 0, 2, 1, 3), 0, 0, width);
    return Layers.emitLinear(graph, projection, attended, prefix + "proj.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    qkv.initialize(manager, dataType, inputShapes);
    projection.initialize(manager, dataType, inputShapes);
    if (queryNorm != null) {
      Shape perHead = new Shape(inputShapes[0].get(0), heads, inputShapes[0].get(1), width / heads);
      queryNorm.initialize(manager, dataType, perHead);
      keyNorm.initialize(manager, dataType, perHead);
    }
  }
}
