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
import dev.aligntok.trainer.train.StepReporter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trains a {@link DiT} with the rectified-flow objective on extracted latents; writes
 * {@code RUN/checkpoints/step-*} (model, EMA, optimizer, {@link FlowTrainingState}) and
 * {@code RUN/metrics.jsonl}, and resumes bit-exactly from the latest checkpoint: every random draw
 * of a step comes from a generator seeded by (seed, step).
 */
public final class FlowTrainer {
  public static final String MODEL = "model";
  public static final String EMA = "ema";
  public static final String OPTIMIZER = "optimizer";
  static final String NETWORK = "dit";

  /** Checkpoints kept by default: enough to resume and to step back once. */
  public static final int DEFAULT_KEEP = 3;

  private final Path runDirectory;
  private final PrintStream out;
  private final int keepCheckpoints;

  public FlowTrainer(Path runDirectory, PrintStream out) {
    this(runDirectory, out, DEFAULT_KEEP);
  }

  /** {@code keepCheckpoints}: newest checkpoints kept; a convergence study keeps them all. */
  public FlowTrainer(Path runDirectory, PrintStream out, int keepCheckpoints) {
    if (keepCheckpoints < 1) {
      throw new IllegalArgumentException("must keep at least one checkpoint, got " + keepCheckpoints);
    }
    this.runDirectory = runDirectory;
    this.out = out;
    this.keepCheckpoints = keepCheckpoints;
  }

  public record Result(Path checkpoint, long steps, double trainingSeconds, double stepsPerSecond, Map<String, Double> lastLosses) {}

  public Result train(DiTConfig model, FlowTrainingConfig config, RectifiedFlow flow, LatentTrainingData data, LatentProvenance provenance) {
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
      dit.initialize(manager, DataType.FLOAT32, new Shape(1, model.latentChannels(), model.gridSize(), model.gridSize()),
          new Shape(1), new Shape(1));
      long parameters = dit.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      out.printf("DiT %s: %,d parameters%n", model, parameters);
      return new Run(model, config, flow, data, provenance, manager, dit).execute();
    }
  }

  private final class Run {
    private final DiTConfig model;
    private final FlowTrainingConfig config;
    private final RectifiedFlow flow;
    private final LatentTrainingData data;
    private final LatentProvenance provenance;
    private final NDManager manager;
    private final DiT dit;
    private final NamedParameters parameters;
    private final ParameterStore store;
    private final AdamW optimizer;
    private final Ema ema;
    private final Checkpoints checkpoints;
    private final NonFiniteGuard guard = new NonFiniteGuard("DiT");
    private long step;
    private double trainingSeconds;
    private Map<String, Double> lastLosses = new LinkedHashMap<>();

    Run(DiTConfig model, FlowTrainingConfig config, RectifiedFlow flow, LatentTrainingData data, LatentProvenance provenance,
        NDManager manager, DiT dit) {
      this.model = model;
      this.config = config;
      this.flow = flow;
      this.data = data;
      this.provenance = provenance;
      this.manager = manager;
      this.dit = dit;
      this.parameters = NamedParameters.of(Map.of(NETWORK, dit));
      this.store = new ParameterStore(manager, false);
      this.optimizer = new AdamW(new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0f), manager);
      this.ema = config.emaDecay() > 0 ? new Ema(config.emaDecay(), parameters.trainable(), manager) : null;
      this.checkpoints = new Checkpoints(runDirectory, keepCheckpoints);
    }

    Result execute() {
      resumeIfPossible();
      if (step >= config.steps()) {
        out.println("DiT training already finished at step " + step + " (" + runDirectory + ")");
        return result();
      }
      LatentBatches batches = new LatentBatches(data, config.batchSize(), config.seed());
      try (StepReporter reporter = new StepReporter(runDirectory.resolve("metrics.jsonl"), out, "dit", step, config.steps(),
          config.logEvery())) {
        while (step < config.steps()) {
          long started = System.nanoTime();
          Map<String, Double> losses = trainStep(batches.batch(step));
          trainingSeconds += (System.nanoTime() - started) / 1e9;
          step++;
          lastLosses = losses;
          Map<String, Object> extras = new LinkedHashMap<>();
          extras.put("lr", config.learningRateAt(step));
          extras.put("seconds", trainingSeconds);
          reporter.afterStep(step, losses, extras);
          if (step % config.checkpointEvery() == 0 || step == config.steps()) {
            save();
          }
        }
      }
      return result();
    }

    private Map<String, Double> trainStep(LatentBatches.Batch batch) {
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
      int[] classes = batch.labels().clone();
      for (int i = 0; i < n; i++) {
        if (random.nextDouble() < config.classDropout()) {
          classes[i] = model.nullClass();
        }
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
          NDArray predicted = dit.forward(store, new NDList(zt, times, scope.create(classes)), true).singletonOrThrow();
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
        if (!guard.allows(step, losses.get("total"), gradientNorm, this::lastGoodCheckpoint)) {
          Autograd.zeroGradients(trainable.values());
          out.println("DiT step " + step + ": loss " + losses.get("total") + ", gradient norm " + gradientNorm
              + " — not finite, step skipped (" + guard.skipped() + " so far)");
          return losses;
        }
        optimizer.step(trainable, config.learningRateAt(step));
        if (ema != null) {
          ema.update(trainable);
        }
      }
      return losses;
    }

    private String lastGoodCheckpoint() {
      return checkpoints.latest().map(Path::toString).orElse("(none)");
    }

    private void save() {
      Map<String, NDList> groups = new LinkedHashMap<>();
      groups.put(MODEL, Checkpoints.named(parameters.arrays()));
      groups.put(OPTIMIZER, optimizer.state());
      if (ema != null) {
        groups.put(EMA, ema.state());
      }
      checkpoints.save(step, groups, new FlowTrainingState(step, model, config, data.channelMean(), data.channelStd(),
          data.labelNames(), data.labelSynonyms(), provenance, trainingSeconds, lastLosses));
    }

    private void resumeIfPossible() {
      Optional<Path> latest = checkpoints.latest();
      if (latest.isEmpty()) {
        return;
      }
      Path checkpoint = latest.get();
      FlowTrainingState state = Checkpoints.readState(checkpoint, FlowTrainingState.class);
      if (!state.model().equals(model)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " holds a different DiT (" + state.model()
            + "); use another run directory");
      }
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, MODEL, manager), parameters.arrays(), checkpoint);
      optimizer.restore(Checkpoints.readTensors(checkpoint, OPTIMIZER, manager), state.step());
      if (ema != null) {
        ema.restore(Checkpoints.readTensors(checkpoint, EMA, manager));
      }
      step = state.step();
      trainingSeconds = state.trainingSeconds();
      lastLosses = state.lastLosses();
      out.println("resuming DiT training from " + checkpoint + " at step " + step);
    }

    private Result result() {
      Path checkpoint = checkpoints.latest().orElseThrow();
      FlowTrainingState state = Checkpoints.readState(checkpoint, FlowTrainingState.class);
      double seconds = state.trainingSeconds();
      return new Result(checkpoint, state.step(), seconds, seconds > 0 ? state.step() / seconds : 0, state.lastLosses());
    }
  }
}
