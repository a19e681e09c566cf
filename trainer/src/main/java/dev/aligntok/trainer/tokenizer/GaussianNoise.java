package dev.aligntok.trainer.tokenizer;

import dev.aligntok.trainer.data.StableHash;
import java.util.SplittableRandom;

/** Standard normal noise that depends only on (seed, step): a resumed stage samples its latents exactly as before. */
final class GaussianNoise {
  private GaussianNoise() {}

  static float[] of(long seed, long step, int count) {
    SplittableRandom random = new SplittableRandom(StableHash.of(seed, step, "latent-noise"));
    float[] noise = new float[count];
    for (int i = 0; i < count; i++) {
      noise[i] = (float) gaussian(random);
    }
    return noise;
  }

  /** Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();  // (0, 1]: the log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
