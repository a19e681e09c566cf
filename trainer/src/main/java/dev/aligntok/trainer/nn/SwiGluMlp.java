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
 * The SwiGLU feed-forward network: one Linear to 2·hidden, split into halves
 * (x1, x2), SiLU(x1)·x2, Linear back to width ({@code mlp.w12} / {@code mlp.w3}).
 */
public final class SwiGluMlp extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final Linear w12;
  private final Linear w3;

  public SwiGluMlp(int width, int hidden) {
    super(VERSION);
    this.w12 = addChildBlock("w12", Linear.builder().setUnits(2L * hidden).build());
    this.w3 = addChildBlock("w3", Linear.builder().setUnits(width).build());
    w12.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    w3.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
  }

  /** {@code w12.weight} (2·hidden, width), {@code w12.bias}, {@code w3.weight}, {@code w3.bias}. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    DirectParameters.put(map, "w12.", w12);
    DirectParameters.put(map, "w3.", w3);
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray both = w12.forward(store, inputs, training).singletonOrThrow();
    NDList halves = both.split(2, both.getShape().dimension() - 1);
    NDArray gated = Layers.silu(halves.get(0)).mul(halves.get(1));
    return w3.forward(store, new NDList(gated), training);
  }

  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    List<String> halves = graph.split(Layers.emitLinear(graph, w12, input, prefix + "w12."), -1, 2);
    String gated = graph.mul(Layers.emitSilu(graph, halves.get(0)), halves.get(1));
    return Layers.emitLinear(graph, w3, gated, prefix + "w3.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    w12.initialize(manager, dataType, inputShapes);
    Shape in = inputShapes[0];
    long hidden = w12.getOutputShapes(inputShapes)[0].get(in.dimension() - 1) / 2;
    w3.initialize(manager, dataType, in.slice(0, in.dimension() - 1).add(hidden));
  }
}
