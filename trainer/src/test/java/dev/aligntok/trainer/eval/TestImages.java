package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
import java.util.function.IntUnaryOperator;

/** Small deterministic image batches for the evaluation tests. */
final class TestImages {
  private TestImages() {}

  /** Every value of every image set to {@code value}. */
  static ImageBatch constant(int count, int height, int width, float value) {
    float[] pixels = new float[count * 3 * height * width];
    java.util.Arrays.fill(pixels, value);
    return new ImageBatch(pixels, count, height, width);
  }

  /** Pixel value from (image, channel, y, x). */
  interface PixelFormula {
    double value(int n, int c, int y, int x);
  }

  static ImageBatch of(int count, int height, int width, PixelFormula formula) {
    float[] pixels = new float[count * 3 * height * width];
    int at = 0;
    for (int n = 0; n < count; n++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            pixels[at++] = (float) formula.value(n, c, y, x);
          }
        }
      }
    }
    return new ImageBatch(pixels, count, height, width);
  }

  /** Labels from the image index. */
  static int[] labels(int count, IntUnaryOperator label) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = label.applyAsInt(i);
    }
    return out;
  }
}
