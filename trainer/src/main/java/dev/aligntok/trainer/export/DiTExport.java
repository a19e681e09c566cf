package dev.aligntok.trainer.export;

import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.trainer.diffusion.DiT;
import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.TrainedDiT;

/**
 * The diffusion transformer as an ONNX velocity model with a dynamic batch axis: exactly the DJL
 * forward the sampler's {@link dev.aligntok.inference.sampling.VelocityField} calls, with the
 * weights the DJL block holds now.
 */
public final class DiTExport {
  /** Graph name of the exported velocity model. */
  public static final String GRAPH = "aligntok_dit";
  /** Input: the noisy latent x_t in normalised latent space (unit scale per channel), float32 [batch, C, H, W]. */
  public static final String LATENT = "latent";
  /** Input: flow time in [0, 1], t = 1 pure noise, float32 [batch]. */
  public static final String TIME = "t";
  /** Input: class ids 0..classes, where id = classes is the null class (classifier-free guidance), int64 [batch]. */
  public static final String CLASS = "class";
  /**
   * Input of a text DiT in place of {@value #CLASS}: sentence embeddings, float32 [batch, textDim];
   * the empty prompt's embedding is the null condition (classifier-free guidance).
   */
  public static final String TEXT_EMBEDDING = ModelContract.TEXT_EMBEDDING;
  /** Output: the predicted velocity ε − z0, float32 [batch, C, H, W]. */
  public static final String VELOCITY = "velocity";

  private DiTExport() {}

  /**
   * {@value #LATENT}, {@value #TIME}, {@value #CLASS} (or {@value #TEXT_EMBEDDING} for a text DiT) →
   * {@value #VELOCITY}, from an initialised DiT.
   */
  public static OnnxGraph velocity(DiT dit) {
    DiTConfig config = dit.config();
    int channels = config.latentChannels();
    int grid = config.gridSize();
    OnnxGraph graph = new OnnxGraph(GRAPH);
    String latent = graph.input(LATENT, channels, grid, grid);
    String t = graph.input(TIME);
    String condition = config.textConditioned() ? graph.input(TEXT_EMBEDDING, config.textDim()) : graph.inputInt64(CLASS);
    String velocity = dit.emit(graph, latent, t, condition, "dit.");
    graph.output(velocity, VELOCITY, channels, grid, grid);
    return graph;
  }

  /** The velocity model of a loaded checkpoint, with the weights it samples with (EMA when saved). */
  public static OnnxGraph velocity(TrainedDiT trained) {
    return velocity(trained.network());
  }
}
