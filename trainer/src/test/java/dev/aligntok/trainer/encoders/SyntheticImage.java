package dev.aligntok.trainer.encoders;

/**
 * The golden files' input image, a Java copy of {@code syntheticPixel} in
 * tools/golden/mobilenet-v2-golden.js. Integer arithmetic only, so both produce the same pixels.
 */
public final class SyntheticImage {
  private SyntheticImage() {}

  public static int pixel(int c, int y, int x, int height, int width) {
    int base = c == 0 ? 255 * x / (width - 1) : c == 1 ? 255 * y / (height - 1) : 255 * (x + y) / (width + height - 2);
    int dx = 2 * x - width + 1;
    int dy = 2 * y - height + 1;
    int side = Math.min(height, width);
    boolean inDisc = 9 * (dx * dx + dy * dy) < 4 * side * side;
    int texture = ((x * 7 + y * 13 + c * 5) % 17) * 4 - 32;
    return Math.min(255, Math.max(0, (inDisc ? 255 - base : base) + texture));
  }

  /** CHW, values float32(q / 255) in [0, 1]. */
  public static float[] unitRangeChw(int height, int width) {
    float[] chw = new float[3 * height * width];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          chw[(c * height + y) * width + x] = (float) (pixel(c, y, x, height, width) / 255.0);
        }
      }
    }
    return chw;
  }
}
