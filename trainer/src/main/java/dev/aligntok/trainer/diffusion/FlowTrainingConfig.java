package dev.aligntok.trainer.diffusion;

/**
 * How the DiT trains (LightningDiT recipe scaled down).
 *
 * @param steps           optimizer steps
 * @param batchSize       latents per step
 * @param learningRate    peak AdamW learning rate after linear warm-up
 * @param warmupSteps     linear warm-up length
 * @param gradientClip    global gradient-norm clip
 * @param emaDecay        EMA of the weights used for sampling (0 = off)
 * @param classDropout    share of labels replaced by the null class (text DiT: of condition vectors replaced by
 *                        the null vector), for classifier-free guidance
 * @param cosineWeight    weight of the cosine term next to the velocity MSE
 * @param useFlips        draw each latent or its horizontally flipped twin with equal odds (when extracted)
 * @param checkpointEvery steps between checkpoints (and at the end)
 * @param logEvery        steps between metric lines
 * @param seed            data order, noise, times and dropout
 */
public record FlowTrainingConfig(int steps, int batchSize, float learningRate, int warmupSteps, float gradientClip,
    float emaDecay, float classDropout, float cosineWeight, boolean useFlips, int checkpointEvery, int logEvery, long seed) {

  public FlowTrainingConfig {
    require(steps > 0, "steps must be positive, got " + steps);
    require(batchSize > 0 && batchSize <= 4096, "batch size must be in [1, 4096], got " + batchSize);
    require(learningRate > 0 && learningRate < 1, "learning rate must be in (0, 1), got " + learningRate);
    require(warmupSteps >= 0, "warm-up steps must be >= 0, got " + warmupSteps);
    require(gradientClip > 0, "gradient clip must be positive, got " + gradientClip);
    require(emaDecay >= 0 && emaDecay < 1, "EMA decay must be in [0, 1), got " + emaDecay);
    require(classDropout >= 0 && classDropout < 1, "class dropout must be in [0, 1), got " + classDropout);
    require(cosineWeight >= 0, "cosine weight must be >= 0, got " + cosineWeight);
    require(checkpointEvery > 0 && logEvery > 0, "checkpoint and log intervals must be positive");
  }

  public static FlowTrainingConfig defaults(int steps) {
    return new FlowTrainingConfig(steps, 64, 5e-4f, Math.min(200, steps / 10), 1f,
        dev.aligntok.trainer.train.Ema.decayFor(steps), 0.1f, 0f, true, Math.max(1, Math.min(500, steps)),
        Math.max(1, Math.min(20, steps)), 7);
  }

  public float learningRateAt(long step) {
    return warmupSteps == 0 || step >= warmupSteps ? learningRate : learningRate * (step + 1) / warmupSteps;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("DiT training: " + message);
    }
  }
}
