package dev.aligntok.inference.image;

import java.util.Arrays;

/**
 * N RGB images as one float array, N×3×H×W row-major (each image in CHW layout), values in
 * <b>[0, 1]</b> — the range every metric here is defined on. Tokenizers that work in [-1, 1]
 * convert with {@link #fromMinusOneOne} / {@link #toMinusOneOne}. Values are not checked against
 * the range (a decoder may overshoot); the metrics clamp where it matters and say so.
 *
 * @param pixels N·3·H·W floats (not copied: treat as read-only)
 */
public record ImageBatch(float[] pixels, int count, int height, int width) {
  public static final int CHANNELS = 3;

  public ImageBatch {
    if (count <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image batch needs count, height and width > 0, got " + count + "x3x"
          + height + "x" + width);
    }
    if (pixels == null || pixels.length != (long) count * CHANNELS * height * width) {
      throw new IllegalArgumentException("image batch " + count + "x3x" + height + "x" + width + " needs "
          + (long) count * CHANNELS * height * width + " floats, got " + (pixels == null ? "null" : pixels.length));
    }
  }

  /** Floats per image (3·H·W). */
  public int imageFloats() {
    return CHANNELS * height * width;
  }

  /** Offset of image {@code i} in {@link #pixels()}. */
  public int offset(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image " + i + " of a batch of " + count);
    }
    return i * imageFloats();
  }

  /** True when both batches hold the same number of images of the same size. */
  public boolean sameShape(ImageBatch other) {
    return count == other.count && height == other.height && width == other.width;
  }

  /** Fails naming both shapes unless {@link #sameShape}. */
  public void requireSameShape(ImageBatch other, String what) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException(what + ": shapes differ, " + shape() + " vs " + other.shape());
    }
  }

  /** The first {@code n} images (a copy). */
  public ImageBatch head(int n) {
    if (n <= 0 || n > count) {
      throw new IllegalArgumentException("cannot take " + n + " images of a batch of " + count);
    }
    return new ImageBatch(Arrays.copyOf(pixels, n * imageFloats()), n, height, width);
  }

  /** A batch of images given in [-1, 1], mapped to [0, 1] by (x + 1) / 2. */
  public static ImageBatch fromMinusOneOne(float[] pixels, int count, int height, int width) {
    float[] unit = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      unit[i] = (pixels[i] + 1f) * 0.5f;
    }
    return new ImageBatch(unit, count, height, width);
  }

  /** These images mapped to [-1, 1] by 2x − 1 (a new array). */
  public float[] toMinusOneOne() {
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = pixels[i] * 2f - 1f;
    }
    return out;
  }

  /** "N×3×H×W", for messages. */
  public String shape() {
    return count + "x3x" + height + "x" + width;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageBatch o && sameShape(o) && Arrays.equals(pixels, o.pixels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "ImageBatch(" + shape() + ")";
  }
}
