package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.Splits;
import dev.aligntok.trainer.tokenizer.StageConfig;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import dev.aligntok.trainer.tokenizer.TokenizerStage;
import dev.aligntok.trainer.tokenizer.TokenizerTrainer;
import dev.aligntok.trainer.train.TrainingLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aligntok train tokenizer --stage N}: one AlignTok stage (or {@code all}, or the baseline)
 * on a dataset's training split, resumable: rerunning continues from the last checkpoint.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
    description = "Train the AlignTok tokenizer: stage 1 (encoder frozen; adapter + decoder), stage 2 (all, with "
        + "the semantic-preservation loss against the stage-1 snapshot, EMA), stage 3 (decoder only), or the "
        + "baselines: 'baseline' (AlignTok's MobileNetV2 with BatchNorm folded away, random, all trained from scratch, "
        + "no EMA) or 'vanilla' (the fair vanilla tokenizer: LDM-style CNN encoder with GroupNorm, same adapter, decoder, "
        + "losses and total steps as stages 1-3, EMA, GAN for the last quarter, optional KL). Each stage writes "
        + "checkpoints and metrics.jsonl under RUN/<stage>/ and resumes from its last checkpoint when rerun.")
final class TrainTokenizerCommand implements Callable<Integer> {
  @Mixin
  CacheOption cache;

  @Mixin
  DatasetSplitOptions data;

  @Option(names = "--stage", required = true, paramLabel = "STAGE",
      description = "1, 2, 3, baseline, vanilla, or all (1, 2, 3, then baseline).")
  String stage;

  @Option(names = "--run", paramLabel = "DIR", defaultValue = "runs/emoji-default",
      description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path run;


  @Option(names = "--steps", paramLabel = "N", description = "Steps per stage (defaults: stage 1 1000, "
      + "stage 2 500, stage 3 500, baseline and vanilla = the three together).")
  Integer steps;

  @Option(names = "--batch-size", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", description = "Peak learning rate (default: 1e-3; stage 3: 5e-4).")
  Float learningRate;

  @Option(names = "--perceptual-weight", paramLabel = "W", description = "Weight of the perceptual loss (default: 0.25).")
  Float perceptualWeight;

  @Option(names = "--sp-weight", paramLabel = "W",
      description = "Weight w_sp of the semantic-preservation loss in stage 2 (default: 1).")
  Float semanticWeight;

  @Option(names = "--ema-decay", paramLabel = "D",
      description = "EMA decay of the weights in stage 2 and vanilla, 0 = off (default: 1 - 10/steps, at most 0.9999).")
  Float emaDecay;

  @Option(names = "--grad-clip", paramLabel = "NORM", description = "Global gradient-norm clip (default: 10).")
  Float gradientClip;

  @Option(names = "--gan-start", paramLabel = "STEP",
      description = "Step at which the PatchGAN loss switches on in stages 2, 3 and the baselines "
          + "(default: half-way; vanilla: after three quarters, as many GAN steps as stages 2 and 3 have together; "
          + "a value >= --steps turns it off).")
  Integer ganStart;

  @Option(names = "--latent-channels", paramLabel = "C",
      description = "Latent channels C on the same 8x8 grid (default: 8; stages 2 and 3 take their stage 1's C, "
          + "and a different value here is an error).")
  Integer latentChannels;

  @Option(names = "--encoder-lr", paramLabel = "LR",
      description = "Peak learning rate of the encoder where it trains (stage 2, the baselines), same warm-up "
          + "(default: --lr).")
  Float encoderLearningRate;

  @Option(names = "--kl-weight", paramLabel = "W", defaultValue = "0",
      description = "vanilla only: weight of a KL term towards N(0, 1), averaged over latent elements; > 0 gives the "
          + "tokenizer a diagonal-Gaussian latent (sampled in training, its mean in inference) and is recorded in "
          + "the run's config (default: ${DEFAULT-VALUE}, deterministic latents).")
  float klWeight;

  @Option(names = "--frozen-cache-mb", paramLabel = "MB", defaultValue = "1536",
      description = "Memory for remembering the frozen parts' outputs per training image and flip: stage 1's "
          + "encoder features (about 96 KiB an image: the emoji set's two flips need about 700 MB), stage 3's "
          + "latents, stage 2's anchor latents; results are the same, 0 turns it off (default: ${DEFAULT-VALUE}).")
  long frozenCacheMb;

  static final int STAGE1_STEPS = 1000;
  static final int STAGE2_STEPS = 500;
  static final int STAGE3_STEPS = 500;

  @Override
  public Integer call() {
    List<TokenizerStage> stages = "all".equalsIgnoreCase(stage)
        ? List.of(TokenizerStage.STAGE1, TokenizerStage.STAGE2, TokenizerStage.STAGE3, TokenizerStage.BASELINE)
        : List.of(TokenizerStage.parse(stage));
    DataCache dataCache = cache.resolve();
    Path nsfwjs = DatasetCatalog.require(dataCache, DataSources.NSFWJS);
    DatasetSplitOptions.Opened opened = data.open(dataCache, LabelLevel.SUBCATEGORY);
    Splits.Split split = opened.split();
    System.out.printf("%s: %d training images, %d held out (seed %d); %d unreadable skipped%n", opened.dataset().name(),
        split.train().size(), split.validation().size(), data.seed, opened.dataset().skipped().skippedCount());
    if (klWeight < 0 || (klWeight > 0 && !stages.equals(List.of(TokenizerStage.VANILLA)))) {
      throw new IllegalArgumentException("--kl-weight must be >= 0 and is for --stage vanilla only, got " + klWeight);
    }
    if (frozenCacheMb < 0) {
      throw new IllegalArgumentException("--frozen-cache-mb must be >= 0, got " + frozenCacheMb);
    }
    TokenizerTrainer trainer = new TokenizerTrainer(run, nsfwjs, System.out, frozenCacheMb * 1024 * 1024);
    for (TokenizerStage s : stages) {
      TokenizerConfig tokenizer = tokenizerConfig(trainer, s);
      StageConfig defaults = StageConfig.defaults(s, steps != null ? steps : defaultSteps(s));
      StageConfig config = new StageConfig(defaults.steps(), batchSize,
          orDefault(learningRate, defaults.learningRate()), defaults.warmupSteps(),
          orDefault(perceptualWeight, defaults.perceptualWeight()), orDefault(semanticWeight, defaults.semanticWeight()),
          ganStart != null ? ganStart : defaults.ganStartStep(), defaults.ganMaxWeight(), defaults.ganWeightEvery(),
          orDefault(emaDecay, defaults.emaDecay()), orDefault(gradientClip, defaults.gradientClip()),
          defaults.checkpointEvery(), defaults.logEvery(), data.seed, orDefault(encoderLearningRate, 0f), klWeight);
      TrainingLoop.Result result = trainer.train(s, tokenizer, config, split.train());
      System.out.printf("%s: %d steps in %.0f s (%.2f steps/s); last losses %s; checkpoint %s%n", s.directoryName(),
          result.steps(), result.trainingSeconds(), result.stepsPerSecond(), result.lastLosses(), result.checkpoint());
    }
    return 0;
  }

  /** The architecture of a stage: a later stage's is its first stage's (C included), the baselines' from the options. */
  private TokenizerConfig tokenizerConfig(TokenizerTrainer trainer, TokenizerStage s) {
    int channels = latentChannels != null ? latentChannels : TokenizerConfig.DEFAULT_LATENT_CHANNELS;
    return switch (s) {
      case VANILLA -> TokenizerConfig.emojiVanilla(channels, klWeight > 0);
      case BASELINE -> TokenizerConfig.emojiDefault(false, channels);
      case STAGE1 -> TokenizerConfig.emojiDefault(true, channels);
      case STAGE2, STAGE3 -> {
        TokenizerConfig first = trainer.configOf(s.previous());
        if (latentChannels != null && latentChannels != first.latentChannels()) {
          throw new IllegalArgumentException("--latent-channels " + latentChannels + " but " + s.previous().directoryName()
              + " of " + run + " has C = " + first.latentChannels() + ": a stage continues its previous stage's tokenizer");
        }
        yield first;
      }
    };
  }

  private static float orDefault(Float value, float fallback) {
    return value != null ? value : fallback;
  }

  private static int defaultSteps(TokenizerStage stage) {
    return switch (stage) {
      case STAGE1 -> STAGE1_STEPS;
      case STAGE2 -> STAGE2_STEPS;
      case STAGE3 -> STAGE3_STEPS;
      case BASELINE, VANILLA -> STAGE1_STEPS + STAGE2_STEPS + STAGE3_STEPS;
    };
  }
}
