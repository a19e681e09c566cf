package dev.aligntok.trainer.export;

import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.trainer.diffusion.DiT;
import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.TrainedDiT;

/**
 * The diffusion transformer as an ONNX velocity model with a dynamic batch axis: exactly the DJL
 * forward the sampler's {@link dev.aligntok.inference.sampling.VelocityField} calls, with the
 * weights the DJL block holds now. Its inputs and output are named by {@link ModelContract}:
 * {@value ModelContract#LATENT} (normalised latent [batch, C, H, W]), {@value ModelContract#TIME}
 * ([batch], 1 = pure noise), {@value ModelContract#CLASS} (int64 ids, the last one the null class) or,
 * for a text DiT, {@value ModelContract#TEXT_EMBEDDING} ([batch, textDim], the empty prompt's
 * embedding as the null), → {@value ModelContract#VELOCITY} (ε − z0).
 */
public final class DiTExport {
  /** Graph name of the exported velocity model. */
  public static final String GRAPH = "aligntok_dit";

  private DiTExport() {}

  /**
   * {@value ModelContract#LATENT}, {@value ModelContract#TIME}, {@value ModelContract#CLASS} (or
   * {@value ModelContract#TEXT_EMBEDDING} for a text DiT) → {@value ModelContract#VELOCITY}, from an initialised DiT.
   */
  public static OnnxGraph velocity(DiT dit) {
    DiTConfig config = dit.config();
    int channels = config.latentChannels();
    int grid = config.gridSize();
    OnnxGraph graph = new OnnxGraph(GRAPH);
    String latent = graph.input(ModelContract.LATENT, channels, grid, grid);
    String t = graph.input(ModelContract.TIME);
    String condition = config.textConditioned() ? graph.input(ModelContract.TEXT_EMBEDDING, config.textDim())
        : graph.inputInt64(ModelContract.CLASS);
    String velocity = dit.emit(graph, latent, t, condition, "dit.");
    graph.output(velocity, ModelContract.VELOCITY, channels, grid, grid);
    return graph;
  }

  /** The velocity model of a loaded checkpoint, with the weights it samples with (EMA when saved). */
  public static OnnxGraph velocity(TrainedDiT trained) {
    return velocity(trained.network());
  }
}
