package dev.aligntok.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.trainer.data.Augmentation;
import dev.aligntok.trainer.data.Batch;
import dev.aligntok.trainer.data.BatchIterator;
import dev.aligntok.trainer.data.BatchSpec;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.tokenizer.Losses;
import dev.aligntok.trainer.tokenizer.PatchDiscriminator;
import dev.aligntok.trainer.tokenizer.PerceptualNetwork;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one tokenizer stage (or the baseline) on a list of samples, resumably: each stage lives in
 * {@code <run>/<stage>/} with its checkpoints and {@code metrics.jsonl}; stages 2 and 3 start from
 * the previous stage's last checkpoint (stage 3 from the stage-2 EMA weights).
 */
public final class TokenizerTrainer {
  public static final String MODEL = "model";
  public static final String EMA = "ema";
  private static final String DISCRIMINATOR = "discriminator";
  private static final String GENERATOR_OPTIMIZER = "optimizer_generator";
  private static final String DISCRIMINATOR_OPTIMIZER = "optimizer_discriminator";

  /** What a finished (or already finished) stage reports. */
  public record Result(Path checkpoint, long steps, double trainingSeconds, double stepsPerSecond,
      Map<String, Double> lastLosses) {}

  private final Path runDirectory;
  private final Path nsfwjsPackage;
  private final PrintStream out;

  public TokenizerTrainer(Path runDirectory, Path nsfwjsPackage, PrintStream out) {
    this.runDirectory = runDirectory;
    this.nsfwjsPackage = nsfwjsPackage;
    this.out = out;
  }

  public Path stageDirectory(TokenizerStage stage) {
    return runDirectory.resolve(stage.directoryName());
  }

  public Result train(TokenizerStage stage, TokenizerConfig tokenizerConfig, StageConfig config, List<Sample> samples) {
    if (samples.size() < config.batchSize()) {
      throw new IllegalArgumentException("training needs at least one full batch: " + samples.size()
          + " samples for batch size " + config.batchSize());
    }
    Engine.getInstance().setRandomSeed((int) config.seed());
    try (NDManager manager = NDManager.newBaseManager()) {
      Tokenizer tokenizer = Tokenizer.create(tokenizerConfig, nsfwjsPackage, manager);
      Optional<Tokenizer> anchor = Optional.empty();
      if (stage.previous() != null) {
        Path previous = latestOf(stage.previous());
        String group = stage == TokenizerStage.STAGE3 && Files.exists(previous.resolve(EMA + ".safetensors")) ? EMA : MODEL;
        Checkpoints.restoreInto(Checkpoints.readTensors(previous, group, manager), tokenizer.parameters().arrays(), previous);
        out.println("starting " + stage.directoryName() + " from " + previous + " (" + group + " weights)");
        if (stage.usesSemanticPreservation()) {
          Tokenizer frozen = Tokenizer.create(tokenizerConfig, nsfwjsPackage, manager);
          Checkpoints.restoreInto(Checkpoints.readTensors(previous, MODEL, manager), frozen.parameters().arrays(), previous);
          frozen.parameters().freeze(true);
          anchor = Optional.of(frozen);
        }
      }
      tokenizer.parameters().network(Tokenizer.ENCODER).freeze(!stage.trainsEncoder());
      tokenizer.parameters().network(Tokenizer.ADAPTER).freeze(!stage.trainsAdapter());
      tokenizer.parameters().network(Tokenizer.DECODER).freeze(!stage.trainsDecoder());
      return new Run(stage, tokenizerConfig, config, samples, manager, tokenizer, anchor).execute();
    }
  }

  /** The newest checkpoint of a stage, or an error saying which stage to train first. */
  public Path latestOf(TokenizerStage stage) {
    return new Checkpoints(stageDirectory(stage), 1).latest().orElseThrow(() -> new IllegalStateException(
        "no checkpoint of " + stage.directoryName() + " under " + stageDirectory(stage)
            + ": train it first (train tokenizer --stage " + stage.directoryName().replace("stage", "") + ")"));
  }

  /** One stage's training state and loop. */
  private final class Run {
    private final TokenizerStage stage;
    private final TokenizerConfig tokenizerConfig;
    private final StageConfig config;
    private final List<Sample> samples;
    private final NDManager manager;
    private final Tokenizer tokenizer;
    private final Optional<Tokenizer> anchor;
    private final ParameterStore store;
    private final PatchDiscriminator discriminator;
    private final NamedParameters discriminatorParameters;
    private final PerceptualNetwork perceptual;
    private final AdamW generatorOptimizer;
    private final AdamW discriminatorOptimizer;
    private final Ema ema;
    private final Checkpoints checkpoints;
    private final NonFiniteGuard guard;
    private long step;
    private float ganWeight;
    private double trainingSeconds;
    private Map<String, Double> lastLosses = new LinkedHashMap<>();

    Run(TokenizerStage stage, TokenizerConfig tokenizerConfig, StageConfig config, List<Sample> samples,
        NDManager manager, Tokenizer tokenizer, Optional<Tokenizer> anchor) {
      this.stage = stage;
      this.tokenizerConfig = tokenizerConfig;
      this.config = config;
      this.samples = samples;
      this.manager = manager;
      this.tokenizer = tokenizer;
      this.anchor = anchor;
      this.store = new ParameterStore(manager, false);
      int size = tokenizerConfig.imageSize();
      this.discriminator = new PatchDiscriminator(32, 3);
      discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
      this.discriminatorParameters = NamedParameters.of(Map.of(DISCRIMINATOR, discriminator));
      this.perceptual = config.perceptualWeight() > 0
          ? new PerceptualNetwork(nsfwjsPackage, PerceptualNetwork.DEFAULT_TAPS, tokenizerConfig.encoderScale(), manager)
          : null;
      this.generatorOptimizer = new AdamW(new AdamW.Settings(0.5f, 0.9f, 1e-8f, 0f), manager);
      this.discriminatorOptimizer = new AdamW(new AdamW.Settings(0.5f, 0.9f, 1e-8f, 0f), manager);
      this.ema = config.emaDecay() > 0 ? new Ema(config.emaDecay(), tokenizer.parameters().trainable(), manager) : null;
      this.checkpoints = new Checkpoints(stageDirectory(stage), 3);
      this.ganWeight = 0f;
      this.guard = new NonFiniteGuard(stage.directoryName());
    }

    Result execute() {
      resumeIfPossible();
      Path stageDir = stageDirectory(stage);
      if (step >= config.steps()) {
        out.println(stage.directoryName() + " already finished at step " + step + " (" + stageDir + ")");
        return result();
      }
      BatchSpec spec = new BatchSpec(config.batchSize(), tokenizerConfig.imageSize(), Normalization.ZERO_ONE, true);
      Augmentation augmentation = new Augmentation(true, 1.0);
      try (StepReporter reporter = new StepReporter(stageDir.resolve("metrics.jsonl"), out, stage.directoryName(), step,
          config.steps(), config.logEvery())) {
        long batchesPerEpoch = samples.size() / config.batchSize();
        while (step < config.steps()) {
          int epoch = (int) (step / batchesPerEpoch);
          BatchIterator batches = BatchIterator.training(samples, spec, augmentation, config.seed(), epoch);
          for (long skip = step % batchesPerEpoch; skip > 0 && batches.hasNext(); skip--) {
            batches.next(); // resume mid-epoch on the same data order
          }
          while (batches.hasNext() && step < config.steps()) {
            long started = System.nanoTime();
            Map<String, Double> losses = trainStep(batches.next());
            trainingSeconds += (System.nanoTime() - started) / 1e9;
            step++;
            lastLosses = losses;
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("gan_weight", ganWeight);
            extras.put("lr", config.learningRateAt(step));
            extras.put("seconds", trainingSeconds);
            reporter.afterStep(step, losses, extras);
            if (step % config.checkpointEvery() == 0 || step == config.steps()) {
              save();
            }
          }
        }
      }
      return result();
    }

    private Map<String, Double> trainStep(Batch batch) {
      Map<String, Double> losses = new LinkedHashMap<>();
      boolean gan = config.ganActiveAt(step);
      Map<String, NDArray> trainable = tokenizer.parameters().trainable();
      try (NDManager scope = manager.newSubManager()) {
        NDArray images = scope.create(batch.images(), new Shape(batch.shape())).duplicate();
        NDArray target = images.mul(2f).sub(1f);
        NDArray reconstruction;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray latent = tokenizer.encode(store, images, true);
          reconstruction = tokenizer.decode(store, latent, true);
          NDArray l1 = Losses.l1(reconstruction, target);
          NDArray rec = l1;
          losses.put("l1", (double) l1.getFloat());
          if (perceptual != null) {
            NDList targetFeatures = perceptual.features(store, target.stopGradient());
            NDArray p = Losses.perceptual(perceptual.features(store, reconstruction), targetFeatures);
            losses.put("perceptual", (double) p.getFloat());
            rec = rec.add(p.mul(config.perceptualWeight()));
          }
          NDArray total = rec;
          if (anchor.isPresent()) {
            NDArray anchorLatent = anchor.get().encode(store, images, false).stopGradient();
            NDArray sp = Losses.semanticPreservation(latent, anchorLatent);
            losses.put("semantic", (double) sp.getFloat());
            total = total.add(sp.mul(config.semanticWeight()));
          }
          if (gan) {
            NDArray fakeLogits = discriminator.forward(store, new NDList(reconstruction), true).singletonOrThrow();
            NDArray adversarial = Losses.generatorAdversarial(fakeLogits);
            if ((step - config.ganStartStep()) % config.ganWeightEvery() == 0) {
              ganWeight = adaptiveGanWeight(rec, adversarial, trainable.values());
            }
            losses.put("adversarial", (double) adversarial.getFloat());
            total = total.add(adversarial.mul(ganWeight));
          }
          float totalValue = total.getFloat();
          losses.put("total", (double) totalValue);
          if (Float.isFinite(totalValue)) {
            collector.backward(total);
          }
        }
        float gradientNorm = Float.isFinite(losses.get("total").floatValue())
            ? Autograd.clipGlobalNorm(trainable.values(), config.gradientClip()) : Float.NaN;
        losses.put("grad_norm", (double) gradientNorm);
        if (!guard.allows(step, losses.get("total"), gradientNorm, this::lastGoodCheckpoint)) {
          Autograd.zeroGradients(trainable.values());
          Autograd.zeroGradients(discriminatorParameters.arrays().values());
          out.println(stage.directoryName() + " step " + step + ": loss " + losses.get("total") + ", gradient norm "
              + gradientNorm + " — not finite, step skipped (" + guard.skipped() + " so far)");
          return losses;
        }
        generatorOptimizer.step(trainable, config.learningRateAt(step));
        Autograd.zeroGradients(discriminatorParameters.arrays().values());
        if (gan) {
          losses.put("discriminator", (double) discriminatorStep(target, reconstruction.stopGradient()));
        }
        if (ema != null) {
          ema.update(trainable);
        }
      }
      return losses;
    }

    /** LDM's balance of reconstruction and GAN gradients at the decoder's last layer (two extra backward passes). */
    private float adaptiveGanWeight(NDArray rec, NDArray adversarial, Collection<NDArray> trainable) {
      NDArray lastLayer = tokenizer.decoderLastLayerWeight();
      List<NDArray> everything = new ArrayList<>(trainable);
      everything.addAll(discriminatorParameters.arrays().values());
      Autograd.backward(rec, true);
      float recNorm = Autograd.gradientNorm(lastLayer);
      Autograd.zeroGradients(everything);
      Autograd.backward(adversarial, true);
      float ganNorm = Autograd.gradientNorm(lastLayer);
      Autograd.zeroGradients(everything);
      return Losses.adaptiveGanWeight(recNorm, ganNorm, config.ganMaxWeight());
    }

    private float discriminatorStep(NDArray real, NDArray fake) {
      float value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray realLogits = discriminator.forward(store, new NDList(real), true).singletonOrThrow();
        NDArray fakeLogits = discriminator.forward(store, new NDList(fake), true).singletonOrThrow();
        NDArray loss = Losses.discriminatorHinge(realLogits, fakeLogits);
        value = loss.getFloat();
        collector.backward(loss);
      }
      discriminatorOptimizer.step(discriminatorParameters.arrays(), config.learningRateAt(step));
      return value;
    }

    private String lastGoodCheckpoint() {
      return checkpoints.latest().map(Path::toString).orElse("(none)");
    }

    private void save() {
      Map<String, NDList> groups = new LinkedHashMap<>();
      groups.put(MODEL, Checkpoints.named(tokenizer.parameters().arrays()));
      groups.put(DISCRIMINATOR, Checkpoints.named(discriminatorParameters.arrays()));
      groups.put(GENERATOR_OPTIMIZER, generatorOptimizer.state());
      groups.put(DISCRIMINATOR_OPTIMIZER, discriminatorOptimizer.state());
      if (ema != null) {
        groups.put(EMA, ema.state());
      }
      checkpoints.save(step, groups,
          new TrainingState(stage, step, tokenizerConfig, config, ganWeight, trainingSeconds, lastLosses));
    }

    private void resumeIfPossible() {
      Optional<Path> latest = checkpoints.latest();
      if (latest.isEmpty()) {
        return;
      }
      Path checkpoint = latest.get();
      TrainingState state = Checkpoints.readState(checkpoint, TrainingState.class);
      if (!state.tokenizer().equals(tokenizerConfig)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " was trained with a different tokenizer config ("
            + state.tokenizer() + "); use another run directory");
      }
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, MODEL, manager), tokenizer.parameters().arrays(), checkpoint);
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, DISCRIMINATOR, manager), discriminatorParameters.arrays(), checkpoint);
      generatorOptimizer.restore(Checkpoints.readTensors(checkpoint, GENERATOR_OPTIMIZER, manager), state.step());
      discriminatorOptimizer.restore(Checkpoints.readTensors(checkpoint, DISCRIMINATOR_OPTIMIZER, manager), state.step());
      if (ema != null) {
        ema.restore(Checkpoints.readTensors(checkpoint, EMA, manager));
      }
      step = state.step();
      ganWeight = state.ganWeight();
      trainingSeconds = state.trainingSeconds();
      lastLosses = state.lastLosses();
      out.println("resuming " + stage.directoryName() + " from " + checkpoint + " at step " + step);
    }

    private Result result() {
      Path checkpoint = checkpoints.latest().orElseThrow();
      TrainingState state = Checkpoints.readState(checkpoint, TrainingState.class);
      double seconds = state.trainingSeconds();
      return new Result(checkpoint, state.step(), seconds, seconds > 0 ? state.step() / seconds : 0, state.lastLosses());
    }
  }
}
