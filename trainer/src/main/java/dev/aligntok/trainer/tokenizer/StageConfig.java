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
 */
public record StageConfig(int steps, int batchSize, float learningRate, int warmupSteps, float perceptualWeight,
    float semanticWeight, int ganStartStep, float ganMaxWeight, int ganWeightEvery, float emaDecay, float gradientClip,
    int checkpointEvery, int logEvery, long seed) {

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

  /** Sensible defaults for a stage of the given length. */
  public static StageConfig defaults(TokenizerStage stage, int steps) {
    boolean gan = stage == TokenizerStage.STAGE3 || stage == TokenizerStage.STAGE2 || stage == TokenizerStage.BASELINE;
    float learningRate = stage == TokenizerStage.STAGE3 ? DEFAULT_LEARNING_RATE / 2 : DEFAULT_LEARNING_RATE;
    return new StageConfig(steps, 16, learningRate, Math.min(100, steps / 10), DEFAULT_PERCEPTUAL_WEIGHT,
        1.0f, gan ? steps / 2 : Integer.MAX_VALUE, 1.0f, 25, stage == TokenizerStage.STAGE2 ? Ema.decayFor(steps) : 0f,
        DEFAULT_GRADIENT_CLIP, Math.max(1, Math.min(250, steps)), Math.max(1, Math.min(10, steps)), 7);
  }

  public float learningRateAt(long step) {
    return warmupSteps == 0 || step >= warmupSteps ? learningRate : learningRate * (step + 1) / warmupSteps;
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
