package dev.aligntok.trainer.tokenizer;

import dev.aligntok.trainer.train.Ema;

/**
 * How one stage trains (not what it trains: that is {@link TokenizerStage}).
 *
 * @param steps              optimizer steps of this stage
 * @param batchSize          images per step
 * @param learningRate       peak AdamW learning rate (after linear warm-up)
 * @param warmupSteps        linear warm-up length
 * @param perceptualWeight   w_p
 * @param semanticWeight     w_sp (stage 2 only)
 * @param ganStartStep       step at which the PatchGAN switches on (≥ steps: never)
 * @param ganMaxWeight       clamp of the adaptive GAN weight
 * @param ganWeightEvery     recompute the adaptive weight every this many steps (it costs two extra backward passes)
 * @param emaDecay           EMA of the weights (stage 2), 0 = off
 * @param gradientClip       global gradient-norm clip
 * @param checkpointEvery    steps between checkpoints (and at the end)
 * @param logEvery           steps between metric lines
 * @param seed               data order, augmentation and initialisation
 * @param encoderLearningRate peak learning rate of the encoder's parameters when it trains (same
 *                           warm-up); 0 = {@code learningRate} (and in configs written before it existed)
 * @param klWeight           weight of the KL term of a Gaussian latent (mean over latent elements of
 *                           KL(N(μ, σ²) ‖ N(0, 1))); 0 = none; needs a tokenizer with {@code gaussianLatent}
 */
public record StageConfig(int steps, int batchSize, float learningRate, int warmupSteps, float perceptualWeight,
    float semanticWeight, int ganStartStep, float ganMaxWeight, int ganWeightEvery, float emaDecay, float gradientClip,
    int checkpointEvery, int logEvery, long seed, float encoderLearningRate, float klWeight) {

  public StageConfig {
    require(steps > 0, "steps must be positive, got " + steps);
    require(batchSize > 0, "batchSize must be positive, got " + batchSize);
    require(learningRate > 0 && learningRate < 1, "learningRate must be in (0, 1), got " + learningRate);
    require(warmupSteps >= 0, "warmupSteps must be >= 0");
    require(perceptualWeight >= 0 && semanticWeight >= 0 && ganMaxWeight >= 0, "loss weights must be >= 0");
    require(ganWeightEvery > 0, "ganWeightEvery must be positive");
    require(emaDecay >= 0 && emaDecay < 1, "emaDecay must be in [0, 1), got " + emaDecay);
    require(gradientClip > 0, "gradientClip must be positive");
    require(checkpointEvery > 0 && logEvery > 0, "checkpointEvery and logEvery must be positive");
    require(encoderLearningRate >= 0 && encoderLearningRate < 1, "encoderLearningRate must be in [0, 1), got " + encoderLearningRate);
    require(klWeight >= 0, "klWeight must be >= 0, got " + klWeight);
  }

  /** A stage whose encoder learns at the common rate, without a KL term. */
  public StageConfig(int steps, int batchSize, float learningRate, int warmupSteps, float perceptualWeight,
      float semanticWeight, int ganStartStep, float ganMaxWeight, int ganWeightEvery, float emaDecay, float gradientClip,
      int checkpointEvery, int logEvery, long seed) {
    this(steps, batchSize, learningRate, warmupSteps, perceptualWeight, semanticWeight, ganStartStep, ganMaxWeight,
        ganWeightEvery, emaDecay, gradientClip, checkpointEvery, logEvery, seed, 0f, 0f);
  }

  /** Peak learning rate; the pilot's 2e-4 left the small decoder far from converged after 600 steps. */
  public static final float DEFAULT_LEARNING_RATE = 1e-3f;
  /**
   * w_p. Our LPIPS-style distance has no learned per-channel weights, so it runs several times larger
   * than L1 (≈1.5 vs 0.3 in the pilot) and its gradient swamped L1's at w_p = 1 (the paper's LPIPS value).
   */
  public static final float DEFAULT_PERCEPTUAL_WEIGHT = 0.25f;
  /** A safety net against spikes, not a brake: the pilot's clip of 1 was active on every step. */
  public static final float DEFAULT_GRADIENT_CLIP = 10f;

  /**
   * Sensible defaults for a stage of the given length. The GAN is on for the second half of stages 2
   * and 3 and of the old baseline. The fair vanilla tokenizer, whose length is stages 1–3 together
   * (S1 + S2 + S3, by default 1000 + 500 + 500), has it for its last quarter — as many steps as the
   * full method's generator gets (S2/2 + S3/2) at those proportions — and keeps an EMA of its weights
   * with the same rule as stage 2 (a time constant of a tenth of the run).
   */
  public static StageConfig defaults(TokenizerStage stage, int steps) {
    int ganStart = switch (stage) {
      case STAGE2, STAGE3, BASELINE -> steps / 2;
      case VANILLA -> steps - steps / 4;
      case STAGE1 -> Integer.MAX_VALUE;
    };
    float learningRate = stage == TokenizerStage.STAGE3 ? DEFAULT_LEARNING_RATE / 2 : DEFAULT_LEARNING_RATE;
    boolean ema = stage == TokenizerStage.STAGE2 || stage == TokenizerStage.VANILLA;
    return new StageConfig(steps, 16, learningRate, Math.min(100, steps / 10), DEFAULT_PERCEPTUAL_WEIGHT,
        1.0f, ganStart, 1.0f, 25, ema ? Ema.decayFor(steps) : 0f,
        DEFAULT_GRADIENT_CLIP, Math.max(1, Math.min(250, steps)), Math.max(1, Math.min(10, steps)), 7);
  }

  public float learningRateAt(long step) {
    return warmupSteps == 0 || step >= warmupSteps ? learningRate : learningRate * (step + 1) / warmupSteps;
  }

  /** The encoder's learning rate at a step: {@code encoderLearningRate} (or the common one) with the same warm-up. */
  public float encoderLearningRateAt(long step) {
    if (encoderLearningRate == 0) {
      return learningRateAt(step);
    }
    return warmupSteps == 0 || step >= warmupSteps ? encoderLearningRate : encoderLearningRate * (step + 1) / warmupSteps;
  }

  public boolean ganActiveAt(long step) {
    return step >= ganStartStep;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("stage config: " + message);
    }
  }
}
