package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;

/** {@code x + branch(x)}: the identity shortcut of an inverted residual block (Keras {@code Add}). */
public final class ResidualBlock extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final String name;
  private final Block branch;

  public ResidualBlock(String name, Block branch) {
    super(VERSION);
    this.name = name;
    this.branch = addChildBlock("branch", branch);
  }

  /** The Keras name of the add. */
  public String name() {
    return name;
  }

  public Block branch() {
    return branch;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray y = branch.forward(store, inputs, training, params).singletonOrThrow();
    if (!x.getShape().equals(y.getShape())) {
      throw new IllegalStateException(name + ": branch output " + y.getShape() + " cannot be added to its input " + x.getShape());
    }
    return new NDList(x.add(y));
  }

  /** ONNX twin: Add(x, branch(x)), the branch's weights under {@code prefix + "branch."}. */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    return graph.add(input, Layers.emit(graph, branch, input, prefix + "branch."));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    branch.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] out = branch.getOutputShapes(inputShapes);
    if (!out[0].equals(inputShapes[0])) {
      throw new IllegalArgumentException(name + ": branch maps " + inputShapes[0] + " to " + out[0] + ", so it cannot be residual");
    }
    return out;
  }

  @Override
  public String toString() {
    return "ResidualBlock(" + name + ", " + branch + ")";
  }
}
