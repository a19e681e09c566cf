package dev.aligntok.trainer.nn;

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

/**
 * Single-head spatial self-attention over an NCHW feature map (the LDM decoder's mid attention):
 * GroupNorm, 1×1 q/k/v, softmax(qᵀk/√c) over positions, 1×1 projection, residual.
 */
public final class SelfAttention2d extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int channels;
  private final GroupNorm norm;
  private final Conv2d query;
  private final Conv2d key;
  private final Conv2d value;
  private final Conv2d projection;

  public SelfAttention2d(int channels) {
    super(VERSION);
    this.channels = channels;
    this.norm = addChildBlock("norm", GroupNorm.forChannels(channels));
    this.query = addChildBlock("q", Layers.pointwise(channels));
    this.key = addChildBlock("k", Layers.pointwise(channels));
    this.value = addChildBlock("v", Layers.pointwise(channels));
    this.projection = addChildBlock("proj", Layers.pointwise(channels));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape shape = x.getShape();
    long n = shape.get(0);
    long positions = shape.get(2) * shape.get(3);
    NDList normed = norm.forward(store, inputs, training);
    NDArray q = query.forward(store, normed, training).singletonOrThrow().reshape(n, channels, positions).transpose(0, 2, 1);
    NDArray k = key.forward(store, normed, training).singletonOrThrow().reshape(n, channels, positions);
    NDArray v = value.forward(store, normed, training).singletonOrThrow().reshape(n, channels, positions);
    NDArray weights = q.matMul(k).div((float) Math.sqrt(channels)).softmax(2);           // n × positions × positions
    NDArray attended = v.matMul(weights.transpose(0, 2, 1)).reshape(shape);      // n × c × positions
    return new NDList(x.add(projection.forward(store, new NDList(attended), training).singletonOrThrow()));
  }

  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String normed = norm.emit(graph, input, prefix + "norm.");
    String q = graph.transpose(graph.reshape(Layers.emitConv(graph, query, normed, prefix + "q."), 0, channels, -1), 0, 2, 1);
    String k = graph.reshape(Layers.emitConv(graph, key, normed, prefix + "k."), 0, channels, -1);
    String v = graph.reshape(Layers.emitConv(graph, value, normed, prefix + "v."), 0, channels, -1);
    String weights = graph.softmax(graph.div(graph.matMul(q, k), graph.scalar((float) Math.sqrt(channels))), 2);
    String attended = graph.reshapeLike(graph.matMul(v, graph.transpose(weights, 0, 2, 1)), input);
    return graph.add(input, Layers.emitConv(graph, projection, attended, prefix + "proj."));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    norm.initialize(manager, dataType, inputShapes);
    for (Conv2d conv : new Conv2d[] {query, key, value, projection}) {
      conv.initialize(manager, dataType, inputShapes);
    }
  }
}
