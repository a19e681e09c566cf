package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
 * DiT's timestep embedder: t ∈ [0, 1] scaled by 1000, sinusoidal features (cos then sin over
 * {@value #FREQUENCIES} frequencies from 1 to 1/10000), then Linear → SiLU → Linear to the model width.
 */
public final class TimestepEmbedding extends AbstractBlock implements OnnxEmitter {
  static final int FREQUENCIES = 128;
  static final float TIME_SCALE = 1000f;
  private static final byte VERSION = 1;
  private final int width;
  private final Linear fc1;
  private final Linear fc2;

  public TimestepEmbedding(int width) {
    super(VERSION);
    this.width = width;
    this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(width).build());
    this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
  }

  private static float[] frequencies() {
    float[] frequencies = new float[FREQUENCIES];
    for (int i = 0; i < FREQUENCIES; i++) {
      frequencies[i] = (float) Math.exp(-Math.log(10000.0) * i / FREQUENCIES);
    }
    return frequencies;
  }

  /** (N) times → (N, 2·FREQUENCIES) sinusoidal features. */
  static NDArray sinusoid(NDArray t) {
    NDArray angles = t.mul(TIME_SCALE).expandDims(1).mul(t.getManager().create(frequencies()).expandDims(0));
    return NDArrays.concat(new NDList(angles.cos(), angles.sin()), 1);
  }

  /** ONNX twin of {@link #sinusoid}. */
  static String emitSinusoid(OnnxGraph graph, String t) {
    String angles = graph.mul(graph.unsqueeze(graph.mul(t, graph.scalar(TIME_SCALE)), 1),
        graph.constant(frequencies(), 1, FREQUENCIES));
    return graph.concat(1, graph.cos(angles), graph.sin(angles));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray h = fc1.forward(store, new NDList(sinusoid(inputs.singletonOrThrow())), training).singletonOrThrow();
    return fc2.forward(store, new NDList(Layers.silu(h)), training);
  }

  /** Times (N) float32 → (N, width). */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = Layers.emitLinear(graph, fc1, emitSinusoid(graph, input), prefix + "fc1.");
    return Layers.emitLinear(graph, fc2, Layers.emitSilu(graph, h), prefix + "fc2.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), width)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), 2L * FREQUENCIES);
    fc1.initialize(manager, dataType, features);
    fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {features}));
  }
}
