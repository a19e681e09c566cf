package dev.aligntok.trainer.tokenizer;

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
import dev.aligntok.trainer.nn.Nnpack;
import dev.aligntok.trainer.train.AdamW;
import dev.aligntok.trainer.train.Autograd;
import dev.aligntok.trainer.train.Checkpoints;
import dev.aligntok.trainer.train.Ema;
import dev.aligntok.trainer.train.NamedParameters;
import dev.aligntok.trainer.train.NonFiniteGuard;
import dev.aligntok.trainer.train.TrainingLoop;
import java.io.PrintStream;
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
 * the previous stage's last checkpoint (stage 3 from the stage-2 EMA weights). The loop, resume
 * and checkpoint cadence are {@link TrainingLoop}'s; this class holds the stage's models and losses.
 */
public final class TokenizerTrainer {
  private static final String DISCRIMINATOR = "discriminator";
  private static final String GENERATOR_OPTIMIZER = "optimizer_generator";
  private static final String DISCRIMINATOR_OPTIMIZER = "optimizer_discriminator";

  private final Path runDirectory;
  private final Path nsfwjsPackage;
  private final PrintStream out;
  private final long frozenCacheBytes;

  public TokenizerTrainer(Path runDirectory, Path nsfwjsPackage, PrintStream out) {
    this(runDirectory, nsfwjsPackage, out, 0);
  }

  /**
   * {@code frozenCacheBytes}: memory for remembering the frozen parts' outputs per training image
   * (stage 1's encoder features, stage 3's latents, stage 2's anchor latents); 0 = recompute them every step.
   */
  public TokenizerTrainer(Path runDirectory, Path nsfwjsPackage, PrintStream out, long frozenCacheBytes) {
    this.runDirectory = runDirectory;
    this.nsfwjsPackage = nsfwjsPackage;
    this.out = out;
    if (frozenCacheBytes < 0) {
      throw new IllegalArgumentException("frozen-output cache budget must be >= 0, got " + frozenCacheBytes);
    }
    this.frozenCacheBytes = frozenCacheBytes;
  }

  public Path stageDirectory(TokenizerStage stage) {
    return runDirectory.resolve(stage.directoryName());
  }

  public TrainingLoop.Result train(TokenizerStage stage, TokenizerConfig tokenizerConfig, StageConfig config, List<Sample> samples) {
    if (samples.size() < config.batchSize()) {
      throw new IllegalArgumentException("training needs at least one full batch: " + samples.size()
          + " samples for batch size " + config.batchSize());
    }
    if ((config.klWeight() > 0) != tokenizerConfig.gaussianLatent()) {
      throw new IllegalArgumentException("a KL weight (" + config.klWeight() + ") needs a Gaussian latent and a Gaussian latent "
          + "needs a KL weight > 0; the tokenizer's latent is " + (tokenizerConfig.gaussianLatent() ? "Gaussian" : "deterministic"));
    }
    Engine.getInstance().setRandomSeed((int) config.seed());
    Nnpack.disable(); // else a stage's log fills with NNPACK warnings on CPUs it does not support
    try (NDManager manager = NDManager.newBaseManager()) {
      Tokenizer tokenizer = Tokenizer.create(tokenizerConfig, nsfwjsPackage, manager);
      Optional<Tokenizer> anchor = Optional.empty();
      if (stage.previous() != null) {
        Path previous = latestOf(stage.previous());
        // stage 3 refines the stage-2 EMA weights (what evaluation measured); stage 2 starts from stage 1's model
        String group = stage == TokenizerStage.STAGE3 ? Checkpoints.weightsGroup(previous) : Checkpoints.MODEL;
        if (group.equals(Checkpoints.EMA)) {
          Checkpoints.restoreWeights(previous, tokenizer.parameters().arrays(), manager);
        } else {
          Checkpoints.restoreInto(Checkpoints.readTensors(previous, Checkpoints.MODEL, manager), tokenizer.parameters().arrays(), previous);
        }
        out.println("starting " + stage.directoryName() + " from " + previous + " (" + group + " weights)");
        if (stage.usesSemanticPreservation()) {
          Tokenizer frozen = Tokenizer.create(tokenizerConfig, nsfwjsPackage, manager);
          Checkpoints.restoreInto(Checkpoints.readTensors(previous, Checkpoints.MODEL, manager), frozen.parameters().arrays(), previous);
          frozen.parameters().freeze(true);
          anchor = Optional.of(frozen);
        }
      }
      tokenizer.parameters().network(Tokenizer.ENCODER).freeze(!stage.trainsEncoder());
      tokenizer.parameters().network(Tokenizer.ADAPTER).freeze(!stage.trainsAdapter());
      tokenizer.parameters().network(Tokenizer.DECODER).freeze(!stage.trainsDecoder());
      TrainingLoop<TokenizerTrainingState> loop = new TrainingLoop<>(stage.directoryName(), stage.directoryName(),
          stageDirectory(stage), new Checkpoints(stageDirectory(stage), 3), TokenizerTrainingState.class, out);
      Run run = new Run(stage, tokenizerConfig, config, samples, manager, tokenizer, anchor, loop);
      return loop.run(new TrainingLoop.Schedule(config.steps(), config.checkpointEvery(), config.logEvery()), run);
    }
  }

  /** The tokenizer architecture a stage was trained with (from its newest checkpoint). */
  public TokenizerConfig configOf(TokenizerStage stage) {
    return Checkpoints.readState(latestOf(stage), TokenizerTrainingState.class).tokenizer();
  }

  /** The newest checkpoint of a stage, or an error saying which stage to train first. */
  public Path latestOf(TokenizerStage stage) {
    return new Checkpoints(stageDirectory(stage), 1).latest().orElseThrow(() -> new IllegalStateException(
        "no checkpoint of " + stage.directoryName() + " under " + stageDirectory(stage)
            + ": train it first (train tokenizer --stage " + stage.directoryName().replace("stage", "") + ")"));
  }

  /** One stage's models, optimizers and losses: the per-step work of the {@link TrainingLoop}. */
  private final class Run implements TrainingLoop.Work<TokenizerTrainingState> {
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
    private final TrainingLoop<TokenizerTrainingState> loop;
    private final NonFiniteGuard guard;
    private final BatchSpec spec;
    private final Augmentation augmentation = new Augmentation(true, 1.0);
    private final long batchesPerEpoch;
    private BatchIterator batches;
    private int batchesEpoch;
    private long nextBatchStep = -1;
    private float ganWeight;
    /** Outputs of this stage's frozen part per image, or null (no cache, or nothing frozen to cache). */
    private final FrozenOutputCache frozenCache;

    Run(TokenizerStage stage, TokenizerConfig tokenizerConfig, StageConfig config, List<Sample> samples,
        NDManager manager, Tokenizer tokenizer, Optional<Tokenizer> anchor, TrainingLoop<TokenizerTrainingState> loop) {
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
          ? new PerceptualNetwork(nsfwjsPackage, PerceptualNetwork.DEFAULT_TAPS, tokenizerConfig.perceptualScale(), manager)
          : null;
      this.generatorOptimizer = new AdamW(new AdamW.Settings(0.5f, 0.9f, 1e-8f, 0f), manager);
      this.discriminatorOptimizer = new AdamW(new AdamW.Settings(0.5f, 0.9f, 1e-8f, 0f), manager);
      this.ema = config.emaDecay() > 0 ? new Ema(config.emaDecay(), tokenizer.parameters().trainable(), manager) : null;
      this.loop = loop;
      this.ganWeight = 0f;
      this.guard = new NonFiniteGuard(stage.directoryName());
      this.spec = new BatchSpec(config.batchSize(), tokenizerConfig.imageSize(), Normalization.ZERO_ONE, true);
      this.batchesPerEpoch = samples.size() / config.batchSize();
      boolean somethingFrozen = !stage.trainsEncoder() || anchor.isPresent();
      this.frozenCache = frozenCacheBytes > 0 && somethingFrozen ? new FrozenOutputCache(frozenCacheBytes) : null;
    }

    @Override
    public Map<String, Double> step(long step) {
      return trainStep(step, batchAt(step));
    }

    @Override
    public Map<String, Object> extras(long completedSteps) {
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("gan_weight", ganWeight);
      extras.put("lr", config.learningRateAt(completedSteps));
      if (config.encoderLearningRate() > 0) {
        extras.put("encoder_lr", config.encoderLearningRateAt(completedSteps));
      }
      if (frozenCache != null) {
        extras.put("frozen_cache_hits", frozenCache.hits());
        extras.put("frozen_cache_misses", frozenCache.misses());
        extras.put("frozen_cache_mb", frozenCache.usedBytes() / (1024.0 * 1024.0));
      }
      return extras;
    }

    /** The batch of step {@code step}: position {@code step % batchesPerEpoch} of epoch {@code step / batchesPerEpoch}. */
    private Batch batchAt(long step) {
      int epoch = (int) (step / batchesPerEpoch);
      if (batches == null || epoch != batchesEpoch || step != nextBatchStep) {
        batches = BatchIterator.training(samples, spec, augmentation, config.seed(), epoch);
        batchesEpoch = epoch;
        for (long skip = step % batchesPerEpoch; skip > 0; skip--) {
          batches.next(); // resume mid-epoch on the same data order
        }
      }
      nextBatchStep = step + 1;
      return batches.next();
    }

    private Map<String, Double> trainStep(long step, Batch batch) {
      Map<String, Double> losses = new LinkedHashMap<>();
      boolean gan = config.ganActiveAt(step);
      Map<String, NDArray> trainable = tokenizer.parameters().trainable();
      try (NDManager scope = manager.newSubManager()) {
        NDArray images = scope.create(batch.images(), new Shape(batch.shape())).duplicate();
        NDArray target = images.mul(2f).sub(1f);
        NDArray reconstruction;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          Encoded encoded = encode(scope, batch, images, step);
          NDArray latent = encoded.latent();
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
          if (encoded.kl() != null) {
            losses.put("kl", (double) encoded.kl().getFloat());
            total = total.add(encoded.kl().mul(config.klWeight()));
          }
          if (anchor.isPresent()) {
            NDArray anchorLatent = (frozenCache == null ? anchor.get().encode(store, images, false)
                : frozenCache.apply(scope, batch, images, x -> anchor.get().encode(store, x, false))).stopGradient();
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
        if (!guard.allows(step, losses.get("total"), gradientNorm, loop::lastGoodCheckpoint)) {
          String culprits = Autograd.nonFiniteGradientSummary(trainable);
          Autograd.zeroGradients(trainable.values());
          Autograd.zeroGradients(discriminatorParameters.arrays().values());
          out.println(stage.directoryName() + " step " + step + ": loss " + losses.get("total") + ", gradient norm "
              + gradientNorm + culprits + " — not finite, step skipped (" + guard.skipped() + " so far)");
          return losses;
        }
        float rate = config.learningRateAt(step);
        float encoderRate = config.encoderLearningRateAt(step);
        generatorOptimizer.step(trainable, name -> name.startsWith(Tokenizer.ENCODER + "/") ? encoderRate : rate);
        Autograd.zeroGradients(discriminatorParameters.arrays().values());
        if (gan) {
          losses.put("discriminator", (double) discriminatorStep(step, target, reconstruction.stopGradient()));
        }
        if (ema != null) {
          ema.update(trainable);
        }
      }
      return losses;
    }

    /** The latent the decoder gets and, for a Gaussian latent, its KL term (else null). */
    private record Encoded(NDArray latent, NDArray kl) {}

    /**
     * The latent of the batch: through the whole encoder side, or the cached output of its frozen part
     * (stage 1: the encoder; stage 3: encoder and adapter); with a Gaussian latent, a sample
     * {@code μ + σ·ε} whose noise is drawn from (seed, step), so a resumed run draws the same.
     */
    private Encoded encode(NDManager scope, Batch batch, NDArray images, long step) {
      if (frozenCache != null && !stage.trainsEncoder()) {
        if (!stage.trainsAdapter()) {
          return new Encoded(frozenCache.apply(scope, batch, images, x -> tokenizer.encode(store, x, true)), null);
        }
        NDArray features = frozenCache.apply(scope, batch, images, x -> tokenizer.features(store, x, true));
        return new Encoded(tokenizer.adapt(store, features, true), null);
      }
      if (!tokenizerConfig.gaussianLatent()) {
        return new Encoded(tokenizer.encode(store, images, true), null);
      }
      NDList moments = tokenizer.latentMoments(store, tokenizer.features(store, images, true), true);
      NDArray mean = moments.get(0);
      NDArray logVariance = moments.get(1);
      float[] noise = GaussianNoise.of(config.seed(), step, Math.toIntExact(mean.size()));
      NDArray sample = mean.add(logVariance.mul(0.5f).exp().mul(scope.create(noise, mean.getShape())));
      return new Encoded(sample, Losses.klToStandardNormal(mean, logVariance));
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

    private float discriminatorStep(long step, NDArray real, NDArray fake) {
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

    @Override
    public Map<String, NDList> tensorGroups() {
      Map<String, NDList> groups = new LinkedHashMap<>();
      groups.put(Checkpoints.MODEL, Checkpoints.named(tokenizer.parameters().arrays()));
      groups.put(DISCRIMINATOR, Checkpoints.named(discriminatorParameters.arrays()));
      groups.put(GENERATOR_OPTIMIZER, generatorOptimizer.state());
      groups.put(DISCRIMINATOR_OPTIMIZER, discriminatorOptimizer.state());
      if (ema != null) {
        groups.put(Checkpoints.EMA, ema.state());
      }
      return groups;
    }

    @Override
    public TokenizerTrainingState state(long step, double trainingSeconds, Map<String, Double> lastLosses) {
      return new TokenizerTrainingState(stage, step, tokenizerConfig, config, ganWeight, trainingSeconds, lastLosses);
    }

    @Override
    public void resume(Path checkpoint, TokenizerTrainingState state) {
      if (!state.tokenizer().equals(tokenizerConfig)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " was trained with a different tokenizer config ("
            + state.tokenizer() + "); use another run directory");
      }
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, Checkpoints.MODEL, manager), tokenizer.parameters().arrays(), checkpoint);
      Checkpoints.restoreInto(Checkpoints.readTensors(checkpoint, DISCRIMINATOR, manager), discriminatorParameters.arrays(), checkpoint);
      generatorOptimizer.restore(Checkpoints.readTensors(checkpoint, GENERATOR_OPTIMIZER, manager), state.step());
      // the discriminator has stepped once per GAN step, not once per step: its bias correction counts from the GAN start
      long discriminatorSteps = Math.max(0, state.step() - Math.max(0, config.ganStartStep()));
      discriminatorOptimizer.restore(Checkpoints.readTensors(checkpoint, DISCRIMINATOR_OPTIMIZER, manager), discriminatorSteps);
      if (ema != null) {
        ema.restore(Checkpoints.readTensors(checkpoint, Checkpoints.EMA, manager));
      }
      ganWeight = state.ganWeight();
    }
  }
}
