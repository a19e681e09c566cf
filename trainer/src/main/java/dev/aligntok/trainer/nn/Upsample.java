package dev.aligntok.trainer.nn;

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

/** Doubles the resolution: nearest-neighbour ×2, then a 3×3 conv (instead of a transposed conv). */
public final class Upsample extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final Conv2d conv;
  private final int channels;

  public Upsample(int channels) {
    super(VERSION);
    this.channels = channels;
    this.conv = addChildBlock("conv", Layers.conv(channels, 3, 1));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return conv.forward(store, new NDList(Layers.upsampleNearest(inputs.singletonOrThrow(), 2)), training);
  }

  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    return Layers.emitConv(graph, conv, Layers.emitUpsampleNearest(graph, input, 2), prefix + "conv.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), channels, in.get(2) * 2, in.get(3) * 2)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    conv.initialize(manager, dataType, new Shape(in.get(0), in.get(1), in.get(2) * 2, in.get(3) * 2));
  }
}
