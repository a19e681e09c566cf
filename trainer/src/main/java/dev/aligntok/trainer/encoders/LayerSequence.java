package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Blocks applied one after another, each under its own (Keras) name. Like DJL's SequentialBlock,
 * but the children keep meaningful names, which show up in parameter names and checkpoints.
 */
public final class LayerSequence extends AbstractBlock {
  private static final byte VERSION = 1;
  private final String name;
  private final List<Block> layers = new ArrayList<>();

  public LayerSequence(String name) {
    super(VERSION);
    this.name = name;
  }

  public String name() {
    return name;
  }

  public LayerSequence add(String layerName, Block layer) {
    layers.add(addChildBlock(layerName, layer));
    return this;
  }

  /** The blocks in order. */
  public List<Block> layers() {
    return List.copyOf(layers);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = inputs;
    for (Block layer : layers) {
      x = layer.forward(store, x, training, params);
    }
    return x;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block layer : layers) {
      layer.initialize(manager, dataType, shapes);
      shapes = layer.getOutputShapes(shapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block layer : layers) {
      shapes = layer.getOutputShapes(shapes);
    }
    return shapes;
  }

  @Override
  public String toString() {
    return name + getChildren().stream().map(Pair::getKey).collect(Collectors.joining(", ", "[", "]"));
  }
}
