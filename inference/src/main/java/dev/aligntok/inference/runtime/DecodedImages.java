package dev.aligntok.inference.runtime;

import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;

/**
 * Decoder output mapped to displayable images: n × 3 × S × S floats in [0, 1] (CHW per image), and
 * PNG bytes per image on request (encoding costs more than decoding a small latent, so it is lazy).
 */
public final class DecodedImages {
  private final float[] pixels;
  private final int count;
  private final int size;

  DecodedImages(float[] pixels, int count, int size) {
    this.pixels = pixels;
    this.count = count;
    this.size = size;
  }

  /**
   * Decoder output in [-1, 1] (unclamped) to pixels: {@code clamp((y + 1) / 2, 0, 1)}, the mapping
   * the trainer's evaluation uses.
   */
  static DecodedImages fromDecoderOutput(float[] output, int count, int size) {
    float[] unit = new float[output.length];
    for (int i = 0; i < output.length; i++) {
      unit[i] = Math.max(0f, Math.min(1f, (output[i] + 1f) * 0.5f));
    }
    return new DecodedImages(unit, count, size);
  }

  public int count() {
    return count;
  }

  /** Side S of each square image. */
  public int size() {
    return size;
  }

  /** All images, n × 3 × S × S in [0, 1] (the array itself: callers must not modify it). */
  public float[] pixels() {
    return pixels;
  }

  /** Image i as a new 3 × S × S array. */
  public float[] image(int i) {
    checkIndex(i);
    float[] one = new float[3 * size * size];
    System.arraycopy(pixels, i * one.length, one, 0, one.length);
    return one;
  }

  /** Image i as PNG (8-bit RGB, rounded half up). */
  public byte[] png(int i) {
    checkIndex(i);
    return ImageTensors.toPng(ImageTensors.fromChw(pixels, i * 3 * size * size, size, size, Normalization.ZERO_ONE));
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image " + i + " of " + count);
    }
  }
}
