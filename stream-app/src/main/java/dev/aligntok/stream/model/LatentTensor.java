package dev.aligntok.stream.model;

import java.util.Arrays;

/**
 * One image's latent as the model produced it: float values in row-major order with their shape
 * (for an image, [channels, height, width]). The stream app chooses the wire encoding.
 */
public final class LatentTensor {
  private final int[] shape;
  private final float[] values;

  public LatentTensor(int[] shape, float[] values) {
    if (shape == null || shape.length == 0 || values == null) {
      throw new IllegalArgumentException("a latent needs a non-empty shape and values");
    }
    long elements = 1;
    for (int dim : shape) {
      if (dim < 1) {
        throw new IllegalArgumentException("latent dimensions must be >= 1, got " + Arrays.toString(shape));
      }
      elements *= dim;
    }
    if (elements != values.length) {
      throw new IllegalArgumentException("latent shape " + Arrays.toString(shape) + " holds " + elements
          + " values, got " + values.length);
    }
    this.shape = shape.clone();
    this.values = values;
  }

  public int[] shape() {
    return shape.clone();
  }

  /** The values themselves, not a copy: latents are large and nobody downstream writes to them. */
  public float[] values() {
    return values;
  }

  @Override
  public String toString() {
    return "LatentTensor" + Arrays.toString(shape);
  }
}
