package dev.aligntok.trainer.diffusion;

import java.util.SplittableRandom;

/**
 * Test fixture: a {@link ConditionSource} like the captions one, on random unit vectors. Each image
 * has {@code perImage} "captions" (vectors); step s draws one per image from a generator seeded by
 * (seed, s, image), so the draw is a pure function of (step, image). The null vector is one more
 * unit vector, as the empty prompt's embedding is.
 */
public final class RandomConditions implements ConditionSource {
  private final int width;
  private final float[][][] captions;
  private final float[] nullVector;
  private final long seed;

  public RandomConditions(int images, int perImage, int width, long seed) {
    this.width = width;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    this.captions = new float[images][perImage][];
    for (int i = 0; i < images; i++) {
      for (int k = 0; k < perImage; k++) {
        captions[i][k] = unitVector(random, width);
      }
    }
    this.nullVector = unitVector(random, width);
  }

  static float[] unitVector(SplittableRandom random, int width) {
    float[] v = new float[width];
    double norm = 0;
    for (int j = 0; j < width; j++) {
      v[j] = (float) random.nextGaussian();
      norm += v[j] * v[j];
    }
    for (int j = 0; j < width; j++) {
      v[j] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  /** Caption k of an image. */
  public float[] caption(int image, int k) {
    return captions[image][k].clone();
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public float[] nullCondition() {
    return nullVector.clone();
  }

  @Override
  public float[] condition(long step, int image) {
    SplittableRandom draw = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + image);
    return captions[image][draw.nextInt(captions[image].length)].clone();
  }
}
