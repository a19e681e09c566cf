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
 * LDM-style residual block: GroupNorm → SiLU → 3×3 conv, twice, plus the input (through a 1×1 conv
 * when the channel count changes).
 */
public final class ResBlock extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int inChannels;
  private final int outChannels;
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d skip;

  public ResBlock(int inChannels, int outChannels) {
    super(VERSION);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.norm1 = addChildBlock("norm1", GroupNorm.forChannels(inChannels));
    this.conv1 = addChildBlock("conv1", Layers.conv(outChannels, 3, 1));
    this.norm2 = addChildBlock("norm2", GroupNorm.forChannels(outChannels));
    this.conv2 = addChildBlock("conv2", Layers.conv(outChannels, 3, 1));
    this.skip = inChannels == outChannels ? null : addChildBlock("skip", Layers.pointwise(outChannels));
  }

  public int inChannels() {
    return inChannels;
  }

  public int outChannels() {
    return outChannels;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h = Layers.silu(norm1.forward(store, inputs, training).singletonOrThrow());
    h = conv1.forward(store, new NDList(h), training).singletonOrThrow();
    h = Layers.silu(norm2.forward(store, new NDList(h), training).singletonOrThrow());
    h = conv2.forward(store, new NDList(h), training).singletonOrThrow();
    NDArray shortcut = skip == null ? x : skip.forward(store, inputs, training).singletonOrThrow();
    return new NDList(shortcut.add(h));
  }

  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = Layers.emitSilu(graph, norm1.emit(graph, input, prefix + "norm1."));
    h = Layers.emitConv(graph, conv1, h, prefix + "conv1.");
    h = Layers.emitSilu(graph, norm2.emit(graph, h, prefix + "norm2."));
    h = Layers.emitConv(graph, conv2, h, prefix + "conv2.");
    String shortcut = skip == null ? input : Layers.emitConv(graph, skip, input, prefix + "skip.");
    return graph.add(shortcut, h);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    Shape out = getOutputShapes(inputShapes)[0];
    norm1.initialize(manager, dataType, in);
    conv1.initialize(manager, dataType, in);
    norm2.initialize(manager, dataType, out);
    conv2.initialize(manager, dataType, out);
    if (skip != null) {
      skip.initialize(manager, dataType, in);
    }
  }
}
