package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.RmsNorm;
import dev.aligntok.trainer.nn.Rotary2d;
import java.util.ArrayList;
import java.util.List;

/**
 * The LightningDiT-style diffusion transformer, top to bottom: latent (N, C, H, W) → patches of
 * p×p as tokens → Linear to width → blocks conditioned on timestep + class embedding (adaLN-Zero,
 * RMSNorm, 2-D RoPE, optional QK-norm, SwiGLU) → final adaLN + zero-initialised Linear back to
 * patches → velocity (N, C, H, W). Inputs: latent, t (N) in [0, 1], and the condition: class ids (N)
 * through a {@link ClassEmbedding}, or in text mode ({@link DiTConfig#textConditioned}) sentence
 * embeddings (N, textDim) through a {@link TextConditioning}.
 */
public final class DiT extends AbstractBlock {
  private static final byte VERSION = 1;
  private final DiTConfig config;
  private final Linear patchEmbed;
  private final TimestepEmbedding timeEmbed;
  /** {@link ClassEmbedding} or {@link TextConditioning}: both are blocks with an ONNX emitter. */
  private final AbstractBlock conditionEmbed;
  private final String conditionName;
  private final List<DiTBlock> blocks = new ArrayList<>();
  private final RmsNorm finalNorm;
  private final Linear finalModulation;
  private final Linear finalProjection;

  public DiT(DiTConfig config) {
    super(VERSION);
    this.config = config;
    int side = config.gridSize() / config.patchSize();
    Rotary2d rotary = new Rotary2d(config.headWidth(), side, side, 10000f);
    this.patchEmbed = addChildBlock("patch_embed", Linear.builder().setUnits(config.width()).build());
    this.timeEmbed = addChildBlock("t_embed", new TimestepEmbedding(config.width()));
    this.conditionName = config.textConditioned() ? "text_embed" : "y_embed";
    this.conditionEmbed = addChildBlock(conditionName, config.textConditioned()
        ? new TextConditioning(config.textDim(), config.width())
        : new ClassEmbedding(config.classes(), config.width()));
    for (int i = 0; i < config.depth(); i++) {
      blocks.add(addChildBlock("block" + i, new DiTBlock(config, rotary)));
    }
    this.finalNorm = addChildBlock("final_norm", new RmsNorm(config.width(), false));
    this.finalModulation = addChildBlock("final_adaLN", Linear.builder().setUnits(2L * config.width()).build());
    this.finalProjection = addChildBlock("final_proj", Linear.builder().setUnits(config.tokenFeatures()).build());
    finalModulation.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    finalProjection.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
  }

  public DiTConfig config() {
    return config;
  }

  /**
   * Shapes to {@link #initialize} a DiT with at batch {@code n}: latent, t, and the condition (class
   * ids (n), or embeddings (n, textDim) in text mode).
   */
  public static Shape[] inputShapes(DiTConfig config, long n) {
    Shape condition = config.textConditioned() ? new Shape(n, config.textDim()) : new Shape(n);
    return new Shape[] {new Shape(n, config.latentChannels(), config.gridSize(), config.gridSize()), new Shape(n), condition};
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray latent = inputs.get(0);
    NDArray c = timeEmbed.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow()
        .add(conditionEmbed.forward(store, new NDList(inputs.get(2)), training).singletonOrThrow());
    NDArray x = patchEmbed.forward(store, new NDList(patchify(latent)), training).singletonOrThrow();
    for (DiTBlock block : blocks) {
      x = block.forward(store, new NDList(x, c), training).singletonOrThrow();
    }
    NDList m = finalModulation.forward(store, new NDList(Layers.silu(c)), training).singletonOrThrow().split(2, 1);
    x = DiTBlock.modulate(finalNorm.forward(store, new NDList(x), training).singletonOrThrow(), m.get(0), m.get(1));
    return new NDList(unpatchify(finalProjection.forward(store, new NDList(x), training).singletonOrThrow()));
  }

  /**
   * ONNX twin of the forward: latent (N, C, H, W) float32, t (N) float32, condition (class ids (N)
   * int64, or in text mode embeddings (N, textDim) float32) → velocity (N, C, H, W). Three inputs,
   * so not an {@link OnnxEmitter}.
   */
  public String emit(OnnxGraph graph, String latent, String t, String condition, String prefix) {
    String embedded = ((OnnxEmitter) conditionEmbed).emit(graph, condition, prefix + conditionName + ".");
    String c = graph.add(timeEmbed.emit(graph, t, prefix + "t_embed."), embedded);
    String x = Layers.emitLinear(graph, patchEmbed, emitPatchify(graph, latent), prefix + "patch_embed.");
    for (int i = 0; i < blocks.size(); i++) {
      x = blocks.get(i).emit(graph, x, c, prefix + "block" + i + ".");
    }
    List<String> m = graph.split(
        Layers.emitLinear(graph, finalModulation, Layers.emitSilu(graph, c), prefix + "final_adaLN."), 1, 2);
    x = DiTBlock.emitModulate(graph, finalNorm.emit(graph, x, prefix + "final_norm."), m.get(0), m.get(1));
    return emitUnpatchify(graph, Layers.emitLinear(graph, finalProjection, x, prefix + "final_proj."));
  }

  /** (N, C, H, W) → (N, (H/p)·(W/p), C·p·p), tokens row-major, features channel-major within a patch. */
  NDArray patchify(NDArray latent) {
    long n = latent.getShape().get(0);
    int p = config.patchSize();
    int side = config.gridSize() / p;
    return latent.reshape(n, config.latentChannels(), side, p, side, p).transpose(0, 2, 4, 1, 3, 5)
        .reshape(n, (long) side * side, config.tokenFeatures());
  }

  /** Inverse of {@link #patchify}. */
  NDArray unpatchify(NDArray tokens) {
    long n = tokens.getShape().get(0);
    int p = config.patchSize();
    int side = config.gridSize() / p;
    return tokens.reshape(n, side, side, config.latentChannels(), p, p).transpose(0, 3, 1, 4, 2, 5)
        .reshape(n, config.latentChannels(), config.gridSize(), config.gridSize());
  }

  private String emitPatchify(OnnxGraph graph, String latent) {
    int p = config.patchSize();
    int side = config.gridSize() / p;
    String patches = graph.reshape(latent, 0, config.latentChannels(), side, p, side, p);
    return graph.reshape(graph.transpose(patches, 0, 2, 4, 1, 3, 5), 0, (long) side * side, config.tokenFeatures());
  }

  private String emitUnpatchify(OnnxGraph graph, String tokens) {
    int p = config.patchSize();
    int side = config.gridSize() / p;
    String patches = graph.reshape(tokens, 0, side, side, config.latentChannels(), p, p);
    return graph.reshape(graph.transpose(patches, 0, 3, 1, 4, 2, 5), 0, config.latentChannels(), config.gridSize(),
        config.gridSize());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape latent = inputShapes[0];
    if (latent.dimension() != 4 || latent.get(1) != config.latentChannels() || latent.get(2) != config.gridSize()
        || latent.get(3) != config.gridSize()) {
      throw new IllegalArgumentException("DiT for " + config.latentChannels() + "x" + config.gridSize() + "x"
          + config.gridSize() + " latents got shape " + latent);
    }
    long n = latent.get(0);
    Shape tokens = new Shape(n, config.tokens(), config.width());
    Shape conditioning = new Shape(n, config.width());
    patchEmbed.initialize(manager, dataType, new Shape(n, config.tokens(), config.tokenFeatures()));
    timeEmbed.initialize(manager, dataType, new Shape(n));
    // a text DiT checks the embedding shape it is given; class ids need only the batch
    conditionEmbed.initialize(manager, dataType, config.textConditioned() ? inputShapes[2] : new Shape(n));
    for (DiTBlock block : blocks) {
      block.initialize(manager, dataType, tokens, conditioning);
    }
    finalNorm.initialize(manager, dataType, tokens);
    finalModulation.initialize(manager, dataType, conditioning);
    finalProjection.initialize(manager, dataType, tokens);
  }
}
