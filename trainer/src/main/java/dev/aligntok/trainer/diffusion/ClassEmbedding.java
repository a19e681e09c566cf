package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;

/**
 * A learned vector per class plus one for the null class (id = classes) that classifier-free
 * guidance uses; looked up as one-hot × table so the gradient reaches only the rows used.
 */
public final class ClassEmbedding extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int rows;
  private final int width;
  private final Parameter table;

  public ClassEmbedding(int classes, int width) {
    super(VERSION);
    this.rows = classes + 1;
    this.width = width;
    this.table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, width)).optInitializer(new NormalInitializer(0.02f)).build());
  }

  /** (N) class ids of any integer type → (N, width). */
  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(rows).toType(DataType.FLOAT32, false);
    return new NDList(oneHot.matMul(store.getValue(table, ids.getDevice(), training)));
  }

  /**
   * Class ids (N) int64 → (N, width) by Gather on the table: a one-hot row times the table picks
   * that row exactly, so the lookup is the same values without the (N, rows) one-hot. Ids must lie
   * in 0..classes: ONNX Gather would read a negative id from the end, which the caller prevents.
   */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String weights = graph.initializer(prefix + "table", Layers.values(table, prefix + "table"), rows, width);
    return graph.gather(weights, input, 0);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), width)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no children
  }
}
