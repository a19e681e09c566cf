package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.VelocityField;
import dev.aligntok.trainer.train.Checkpoints;
import dev.aligntok.trainer.train.NamedParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A DiT loaded from a checkpoint (EMA weights when present) for sampling: a {@link VelocityField}
 * over normalised latents, with the class vocabulary and latent statistics it was trained with. A
 * text DiT ({@link DiTConfig#textConditioned}) is a {@link ConditionTable.VectorField} instead: its
 * velocity takes condition vectors.
 */
public final class TrainedDiT implements VelocityField, ConditionTable.VectorField, AutoCloseable {
  private final NDManager manager;
  private final DiT dit;
  private final ParameterStore store;
  private final FlowTrainingState state;
  private final Path checkpoint;
  private final LabelVocabulary vocabulary;

  private TrainedDiT(NDManager manager, DiT dit, FlowTrainingState state, Path checkpoint) {
    this.manager = manager;
    this.dit = dit;
    this.store = new ParameterStore(manager, false);
    this.state = state;
    this.checkpoint = checkpoint;
    this.vocabulary = LabelVocabulary.of(state.classNames(), state.classSynonyms() == null ? Map.of() : state.classSynonyms());
  }

  /** Loads a checkpoint directory, or the latest checkpoint of a DiT run directory. */
  public static TrainedDiT load(Path checkpointOrRun) {
    Path checkpoint = Files.exists(checkpointOrRun.resolve("state.json")) ? checkpointOrRun
        : new Checkpoints(checkpointOrRun, 1).latest().orElseThrow(() -> new IllegalArgumentException(
            "no DiT checkpoint in " + checkpointOrRun + " (expected state.json there or checkpoints/step-*/ below it); "
                + "train one with: aligntok train dit"));
    FlowTrainingState state = Checkpoints.readState(checkpoint, FlowTrainingState.class);
    NDManager manager = NDManager.newBaseManager();
    try {
      DiTConfig config = state.model();
      DiT dit = new DiT(config);
      dit.initialize(manager, DataType.FLOAT32, DiT.inputShapes(config, 1));
      Checkpoints.restoreWeights(checkpoint, NamedParameters.of(Map.of(FlowTrainer.NETWORK, dit)).arrays(), manager);
      return new TrainedDiT(manager, dit, state, checkpoint);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public DiTConfig config() {
    return state.model();
  }

  /** The network with the weights it samples with (the EMA weights when the checkpoint has them). */
  public DiT network() {
    return dit;
  }

  public FlowTrainingState state() {
    return state;
  }

  public Path checkpoint() {
    return checkpoint;
  }

  /** The tokenizer checkpoint whose latents this DiT was trained on (from its latent provenance). */
  public Path tokenizerCheckpoint() {
    Path recorded = Path.of(state.provenance().tokenizerCheckpoint());
    // absolute in checkpoints written before provenance paths were relative to the run
    return recorded.isAbsolute() ? recorded : state.provenance().tokenizerCheckpointFrom(Checkpoints.runDirectoryOf(checkpoint));
  }

  public LabelVocabulary vocabulary() {
    return vocabulary;
  }

  public List<String> classNames() {
    return state.classNames();
  }

  public int latentSize() {
    DiTConfig c = config();
    return c.latentChannels() * c.gridSize() * c.gridSize();
  }

  /** Velocities under class ids (the null class for unconditional rows); a class DiT only. */
  @Override
  public float[] velocity(float[] latents, float[] t, int[] classes, int n, int dim) {
    if (config().textConditioned()) {
      throw new IllegalStateException("DiT " + checkpoint + " is conditioned on text embeddings of " + config().textDim()
          + " floats, not class ids");
    }
    try (NDManager scope = manager.newSubManager()) {
      return forward(scope, latents, t, scope.create(classes), n, dim);
    }
  }

  /** Velocities under condition vectors (n rows of textDim floats, the null vector for unconditional rows); a text DiT only. */
  @Override
  public float[] velocity(float[] latents, float[] t, float[] conditions, int n, int dim) {
    DiTConfig c = config();
    if (!c.textConditioned()) {
      throw new IllegalStateException("DiT " + checkpoint + " is conditioned on class ids, not text embeddings");
    }
    if (conditions.length != n * c.textDim()) {
      throw new IllegalArgumentException("need " + n + " condition vectors of " + c.textDim() + " floats, got "
          + conditions.length + " values");
    }
    try (NDManager scope = manager.newSubManager()) {
      return forward(scope, latents, t, scope.create(conditions, new Shape(n, c.textDim())), n, dim);
    }
  }

  private float[] forward(NDManager scope, float[] latents, float[] t, NDArray condition, int n, int dim) {
    DiTConfig c = config();
    if (dim != latentSize()) {
      throw new IllegalArgumentException("DiT works on latents of " + latentSize() + " values, got " + dim);
    }
    NDArray z = scope.create(latents, new Shape(n, c.latentChannels(), c.gridSize(), c.gridSize()));
    return dit.forward(store, new NDList(z, scope.create(t), condition), false).singletonOrThrow().toFloatArray();
  }

  /** Normalised latents (unit scale per channel) back to the tokenizer's latent space, in place. */
  public float[] denormalise(float[] latents) {
    int plane = config().gridSize() * config().gridSize();
    for (int i = 0; i < latents.length; i++) {
      int channel = (i / plane) % config().latentChannels();
      latents[i] = latents[i] * state.channelStd()[channel] + state.channelMean()[channel];
    }
    return latents;
  }

  @Override
  public void close() {
    manager.close();
  }
}
