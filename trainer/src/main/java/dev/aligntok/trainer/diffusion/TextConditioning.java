package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;

/**
 * The text DiT's counterpart of {@link ClassEmbedding}: a sentence embedding (N, textDim) →
 * Linear → SiLU → Linear → (N, width), added to the timestep embedding to drive adaLN. An MLP
 * rather than one Linear because the frozen encoder's space is not the model's: the first layer
 * picks the directions that matter, the second mixes them like the timestep embedder does. The
 * null condition of classifier-free guidance is an input vector (the empty prompt's embedding),
 * so this layer holds no null row.
 */
public final class TextConditioning extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final int textDim;
  private final int width;
  private final Linear fc1;
  private final Linear fc2;

  public TextConditioning(int textDim, int width) {
    super(VERSION);
    if (textDim <= 0 || width <= 0) {
      throw new IllegalArgumentException("text conditioning needs positive widths, got textDim " + textDim + ", width " + width);
    }
    this.textDim = textDim;
    this.width = width;
    this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(width).build());
    this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
  }

  /** (N, textDim) float embeddings → (N, width). */
  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray h = fc1.forward(store, new NDList(inputs.singletonOrThrow()), training).singletonOrThrow();
    return fc2.forward(store, new NDList(Layers.silu(h)), training);
  }

  /** Embeddings (N, textDim) float32 → (N, width). */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = Layers.emitLinear(graph, fc1, input, prefix + "fc1.");
    return Layers.emitLinear(graph, fc2, Layers.emitSilu(graph, h), prefix + "fc2.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), width)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = inputShapes[0];
    if (input.dimension() != 2 || input.get(1) != textDim) {
      throw new IllegalArgumentException("text conditioning expects (N, " + textDim + ") embeddings, got shape " + input);
    }
    fc1.initialize(manager, dataType, input);
    fc2.initialize(manager, dataType, new Shape(input.get(0), width));
  }
}
