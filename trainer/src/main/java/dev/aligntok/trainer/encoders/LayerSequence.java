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
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Blocks applied one after another, each under its own (Keras) name. Like DJL's SequentialBlock,
 * but the children keep meaningful names, which show up in parameter names and checkpoints.
 */
public final class LayerSequence extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final String name;
  /** By their own names (DJL's child keys carry an index prefix, which would leak into ONNX names). */
  private final Map<String, Block> layers = new LinkedHashMap<>();

  public LayerSequence(String name) {
    super(VERSION);
    this.name = name;
  }

  public String name() {
    return name;
  }

  public LayerSequence add(String layerName, Block layer) {
    if (layers.containsKey(layerName)) {
      throw new IllegalArgumentException(name + ": a layer named '" + layerName + "' is already in the sequence");
    }
    layers.put(layerName, addChildBlock(layerName, layer));
    return this;
  }

  /** The blocks in order. */
  public List<Block> layers() {
    return List.copyOf(layers.values());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = inputs;
    for (Block layer : layers.values()) {
      x = layer.forward(store, x, training, params);
    }
    return x;
  }

  /** ONNX twin: every child in order, each under {@code prefix + its name + "."}. */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String x = input;
    for (Map.Entry<String, Block> layer : layers.entrySet()) {
      x = Layers.emit(graph, layer.getValue(), x, prefix + layer.getKey() + ".");
    }
    return x;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block layer : layers.values()) {
      layer.initialize(manager, dataType, shapes);
      shapes = layer.getOutputShapes(shapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block layer : layers.values()) {
      shapes = layer.getOutputShapes(shapes);
    }
    return shapes;
  }

  @Override
  public String toString() {
    return name + getChildren().stream().map(Pair::getKey).collect(Collectors.joining(", ", "[", "]"));
  }
}
