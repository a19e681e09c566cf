package dev.aligntok.trainer.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.train.AdamW;
import dev.aligntok.trainer.train.Autograd;
import dev.aligntok.trainer.train.Checkpoints;
import dev.aligntok.trainer.train.Ema;
import dev.aligntok.trainer.train.NamedParameters;
import dev.aligntok.trainer.train.NonFiniteGuard;
import dev.aligntok.trainer.train.TrainingLoop;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link DiT} with the rectified-flow objective on extracted latents; writes
 * {@code RUN/checkpoints/step-*} (model, EMA, optimizer, {@link FlowTrainingState}) and
 * {@code RUN/metrics.jsonl}, and resumes bit-exactly from the latest checkpoint: every random draw
 * of a step comes from a generator seeded by (seed, step). The loop, resume and checkpoint cadence
 * are {@link TrainingLoop}'s; this class holds the DiT, its optimizer and the flow loss.
 *
 * <p>A class DiT trains on the latents' labels, each replaced by the null class with the configured
 * dropout; a text DiT ({@link DiTConfig#textConditioned}) on the vectors of a {@link ConditionSource},
 * each replaced by its null vector with the same dropout, drawn from the same per-step generator.
 */
public final class FlowTrainer {
  public static final String OPTIMIZER = "optimizer";
  static final String NETWORK = "dit";

  /** Checkpoints kept by default: enough to resume and to step back once. */
  public static final int DEFAULT_KEEP = 3;

  private final Path runDirectory;
  private final PrintStream out;
  private final Checkpoints checkpoints;

  public FlowTrainer(Path runDirectory, PrintStream out) {
    this(runDirectory, out, DEFAULT_KEEP);
  }

  /** {@code keepCheckpoints}: newest checkpoints kept; a convergence study keeps them all. */
  public FlowTrainer(Path runDirectory, PrintStream out, int keepCheckpoints) {
    this.checkpoints = new Checkpoints(runDirectory, keepCheckpoints); // checks keepCheckpoints >= 1
    this.runDirectory = runDirectory;
    this.out = out;
  }

  /** Trains a class DiT. */
  public TrainingLoop.Result train(DiTConfig model, FlowTrainingConfig config, RectifiedFlow flow, LatentTrainingData data, LatentProvenance provenance) {
    return train(model, config, flow, data, provenance, null);
  }

  /**
   * Trains a DiT: a text DiT on the vectors of {@code conditions}, a class DiT on the latents' labels
   * ({@code conditions} null).
   */
  public TrainingLoop.Result train(DiTConfig model, FlowTrainingConfig config, RectifiedFlow flow, LatentTrainingData data,
      LatentProvenance provenance, ConditionSource conditions) {
    checkConditions(model, conditions);
    if (data.channels() != model.latentChannels() || data.height() != model.gridSize() || data.width() != model.gridSize()) {
      throw new IllegalArgumentException("DiT for " + model.latentChannels() + "x" + model.gridSize() + "x" + model.gridSize()
          + " latents cannot train on " + data.channels() + "x" + data.height() + "x" + data.width() + " latents");
    }
    if (data.labelNames().size() != model.classes()) {
      throw new IllegalArgumentException("DiT has " + model.classes() + " classes but the latents have "
          + data.labelNames().size() + " label names");
    }
    Engine.getInstance().setRandomSeed((int) config.seed());
    try (NDManager manager = NDManager.newBaseManager()) {
      DiT dit = new DiT(model);
      dit.initialize(manager, DataType.FLOAT32, DiT.inputShapes(model, 1));
      long parameters = dit.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      out.printf("DiT %s: %,d parameters%n", model, parameters);
      TrainingLoop<FlowTrainingState> loop = new TrainingLoop<>("DiT training", "dit", runDirectory, checkpoints,
          FlowTrainingState.class, out);
      Run run = new Run(model, config, flow, data, provenance, conditions, manager, dit, loop);
      return loop.run(new TrainingLoop.Schedule(config.steps(), config.checkpointEvery(), config.logEvery()), run);
    }
  }

  private static void checkConditions(DiTConfig model, ConditionSource conditions) {
    if (!model.textConditioned()) {
      if (conditions != null) {
        throw new IllegalArgumentException("a class-conditioned DiT trains on the latents' labels; got a condition source");
      }
      return;
    }
    if (conditions == null) {
      throw new IllegalArgumentException("a text-conditioned DiT needs a condition source (vectors of " + model.textDim()
          + " floats per image and step)");
    }
    if (conditions.width() != model.textDim()) {
      throw new IllegalArgumentException("the condition source gives vectors of " + conditions.width()
          + " floats, the DiT takes " + model.textDim());
    }
    checkVector(conditions.nullCondition(), model.textDim(), "null condition");
  }

  private static float[] checkVector(float[] vector, int width, String what) {
    if (vector == null || vector.length != width) {
      throw new IllegalArgumentException(what + " has " + (vector == null ? "no" : vector.length) + " values, expected " + width);
    }
    for (int j = 0; j < width; j++) {
      if (!Float.isFinite(vector[j])) {
        throw new IllegalArgumentException(what + " is not finite at index " + j + ": " + vector[j]);
      }
    }
    return vector;
  }

  /** The DiT, its optimizer and the flow loss: the per-step work of the {@link TrainingLoop}. */
  private final class Run implements TrainingLoop.Work<FlowTrainingState> {
    private final DiTConfig model;
    private final FlowTrainingConfig config;
    private final RectifiedFlow flow;
    private final LatentTrainingData data;
    private final LatentProvenance provenance;
    private final ConditionSource conditions;
    private final NDManager manager;
    private final DiT dit;
    private final NamedParameters parameters;
    private final ParameterStore store;
    private final AdamW optimizer;
    private final Ema ema;
    private final TrainingLoop<FlowTrainingState> loop;
    private final LatentBatches batches;
    private final NonFiniteGuard guard = new NonFiniteGuard("DiT");

    Run(DiTConfig model, FlowTrainingConfig config, RectifiedFlow flow, LatentTrainingData data, LatentProvenance provenance,
        ConditionSource conditions, NDManager manager, DiT dit, TrainingLoop<FlowTrainingState> loop) {
      this.model = model;
      this.config = config;
      this.flow = flow;
      this.data = data;
      this.provenance = provenance;
      this.conditions = conditions;
      this.manager = manager;
      this.dit = dit;
      this.parameters = NamedParameters.of(Map.of(NETWORK, dit));
      this.store = new ParameterStore(manager, false);
      this.optimizer = new AdamW(new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0f), manager);
      this.ema = config.emaDecay() > 0 ? new Ema(config.emaDecay(), parameters.trainable(), manager) : null;
      this.loop = loop;
      this.batches = new LatentBatches(data, config.batchSize(), config.seed());
    }

    @Override
    public Map<String, Double> step(long step) {
      return trainStep(step, batches.batch(step));
    }

    @Override
    public Map<String, Object> extras(long completedSteps) {
      return Map.of("lr", config.learningRateAt(completedSteps));
    }

    private Map<String, Double> trainStep(long step, LatentBatches.Batch batch) {
      Map<String, Double> losses = new LinkedHashMap<>();
      SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + step);
      int n = batch.size();
      int size = data.latentSize();
      float[] clean = batch.normalisedLatents(random, config.useFlips());
      float[] noise = new float[n * size];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) random.nextGaussian();
      }
      float[] t = flow.sampleTimes(random, n);
      boolean[] dropped = new boolean[n];
      for (int i = 0; i < n; i++) {
        dropped[i] = random.nextDouble() < config.classDropout();
      }
      Map<String, NDArray> trainable = parameters.trainable();
      try (NDManager scope = manager.newSubManager()) {
        Shape shape = new Shape(n, data.channels(), data.height(), data.width());
        NDArray z0 = scope.create(clean, shape);
        NDArray eps = scope.create(noise, shape);
        NDArray times = scope.create(t);
        NDArray zt = RectifiedFlow.interpolate(z0, eps, times);
        NDArray target = RectifiedFlow.targetVelocity(z0, eps);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray condition = condition(scope, step, batch, dropped);
          NDArray predicted = dit.forward(store, new NDList(zt, times, condition), true).singletonOrThrow();
          NDArray mse = RectifiedFlow.mse(predicted, target);
          NDArray total = mse;
          losses.put("mse", (double) mse.getFloat());
          if (flow.cosineWeight() > 0) {
            NDArray cosine = RectifiedFlow.cosineDistance(predicted, target);
            losses.put("cosine", (double) cosine.getFloat());
            total = total.add(cosine.mul(flow.cosineWeight()));
          }
          float value = total.getFloat();
          losses.put("total", (double) value);
          if (Float.isFinite(value)) {
            collector.backward(total);
          }
        }
        boolean finiteLoss = Double.isFinite(losses.get("total"));
        float gradientNorm = finiteLoss ? Autograd.clipGlobalNorm(trainable.values(), config.gradientClip()) : Float.NaN;
        losses.put("grad_norm", (double) gradientNorm);
        if (!guard.allows(step, losses.get("total"), gradientNorm, loop::lastGoodCheckpoint)) {
          String culprits = Autograd.nonFiniteGradientSummary(trainable);
          Autograd.zeroGradients(trainable.values());
          out.println("DiT step " + step + ": loss " + losses.get("total") + ", gradient norm " + gradientNorm
              + culprits + " — not finite, step skipped (" + guard.skipped() + " so far)");
          return losses;
        }
        optimizer.step(trainable, config.learningRateAt(step));
        if (ema != null) {
          ema.update(trainable);
        }
      }
      return losses;
    }

    /** The batch's class ids (N), or condition vectors (N, textDim); dropped ones are the null class or vector. */
    private NDArray condition(NDManager scope, long step, LatentBatches.Batch batch, boolean[] dropped) {
      int n = batch.size();
      if (!model.textConditioned()) {
        int[] classes = batch.labels().clone();
        for (int i = 0; i < n; i++) {
          if (dropped[i]) {
            classes[i] = model.nullClass();
          }
        }
        return scope.create(classes);
      }
      int width = model.textDim();
      float[] vectors = new float[n * width];
      int[] rows = batch.rows();
      for (int i = 0; i < n; i++) {
        float[] vector = dropped[i] ? conditions.nullCondition()
            : checkVector(conditions.condition(step, rows[i]), width, "condition of image " + rows[i] + " at step " + step);
        System.arraycopy(vector, 0, vectors, i * width, width);
      }
      return scope.create(vectors, new Shape(n, width));
    }

    @Override
    public Map<String, NDList> tensorGroups() {
      Map<String, NDList> groups = new LinkedHashMap<>();
      groups.put(Checkpoints.MODEL, Checkpoints.named(parameters.arrays()));
      groups.put(OPTIMIZER, optimizer.state());
      if (ema != null) {
        groups.put(Checkpoints.EMA, ema.state());
      }
      return groups;
    }

    @Override
    public FlowTrainingState state(long step, double trainingSeconds, Map<String, Double> lastLosses) {
      return new FlowTrainingState(step, model, config, data.channelMean(), data.channelStd(), data.labelNames(),
          data.labelSynonyms(), provenance, trainingSeconds, lastLosses);
    }

    @Override
    public void resume(Path checkpoint, FlowTrainingState state) {
      if (!state.model().equals(model)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " holds a different DiT (" + state.model()
            + "); use another run directory");
      }
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, Checkpoints.MODEL, manager), parameters.arrays(), checkpoint);
      optimizer.restore(Checkpoints.readTensors(checkpoint, OPTIMIZER, manager), state.step());
      if (ema != null) {
        ema.restore(Checkpoints.readTensors(checkpoint, Checkpoints.EMA, manager));
      }
    }
  }
}
