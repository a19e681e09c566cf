package dev.aligntok.inference.image;

import java.awt.image.BufferedImage;

/**
 * Deterministic, dependency-free resizing of RGB images, identical in training and serving.
 *
 * <p>Policy, chosen per axis so it is well defined for any pair of sizes:
 * <ul>
 *   <li>shrinking: <b>area average</b> — each output pixel is the mean of the source area it covers,
 *       partial source pixels weighted by their overlap (64 → 32 averages 2×2 blocks exactly). No
 *       aliasing, no ringing, no values outside the input range.</li>
 *   <li>enlarging: <b>bilinear</b> with half-pixel centres (sample at (j + ½)·n/m − ½, clamped at
 *       the edges), the convention of PyTorch's {@code align_corners=false}.</li>
 *   <li>same size: a copy.</li>
 * </ul>
 * Arithmetic is in double, horizontal pass then vertical, rounded half up and clamped once at the
 * end. Non-square inputs are centre-cropped to a square first by {@link #toSquare}; the crop offset
 * is rounded down, so an odd excess drops one more column/row on the right/bottom.
 */
public final class Resize {
  private Resize() {}

  /** Centre-crops to the largest square, then resizes it to {@code size}×{@code size}. */
  public static BufferedImage toSquare(BufferedImage rgb, int size) {
    return resize(centerCropSquare(rgb), size, size);
  }

  /** The largest centred square (offset rounded down). Returns the input when already square. */
  public static BufferedImage centerCropSquare(BufferedImage rgb) {
    int side = Math.min(rgb.getWidth(), rgb.getHeight());
    if (rgb.getWidth() == side && rgb.getHeight() == side) {
      return rgb;
    }
    return crop(rgb, (rgb.getWidth() - side) / 2, (rgb.getHeight() - side) / 2, side, side);
  }

  /** A copy of the given rectangle, which must lie inside the image. */
  public static BufferedImage crop(BufferedImage rgb, int x, int y, int width, int height) {
    if (width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > rgb.getWidth() || y + height > rgb.getHeight()) {
      throw new IllegalArgumentException("crop " + width + "x" + height + "+" + x + "+" + y
          + " does not fit in a " + rgb.getWidth() + "x" + rgb.getHeight() + " image");
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = rgb.getRGB(x, y, width, height, null, 0, width);
    out.setRGB(0, 0, width, height, pixels, 0, width);
    return out;
  }

  /** Resizes to exactly {@code width}×{@code height} (aspect ratio not kept; see {@link #toSquare}). */
  public static BufferedImage resize(BufferedImage rgb, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
    }
    int srcWidth = rgb.getWidth();
    int srcHeight = rgb.getHeight();
    AxisWeights columns = AxisWeights.between(srcWidth, width);
    AxisWeights rows = AxisWeights.between(srcHeight, height);
    int[] src = RgbPixels.readOnly(rgb);

    // Horizontal pass: srcHeight rows × width columns × 3 channels.
    double[] horizontal = new double[srcHeight * width * 3];
    for (int y = 0; y < srcHeight; y++) {
      for (int x = 0; x < width; x++) {
        double r = 0;
        double g = 0;
        double b = 0;
        for (int k = 0; k < columns.index[x].length; k++) {
          int pixel = src[y * srcWidth + columns.index[x][k]];
          double w = columns.weight[x][k];
          r += w * ((pixel >> 16) & 0xff);
          g += w * ((pixel >> 8) & 0xff);
          b += w * (pixel & 0xff);
        }
        int at = (y * width + x) * 3;
        horizontal[at] = r;
        horizontal[at + 1] = g;
        horizontal[at + 2] = b;
      }
    }

    int[] out = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double r = 0;
        double g = 0;
        double b = 0;
        for (int k = 0; k < rows.index[y].length; k++) {
          int at = (rows.index[y][k] * width + x) * 3;
          double w = rows.weight[y][k];
          r += w * horizontal[at];
          g += w * horizontal[at + 1];
          b += w * horizontal[at + 2];
        }
        out[y * width + x] = (toByte(r) << 16) | (toByte(g) << 8) | toByte(b);
      }
    }
    return RgbPixels.image(out, width, height);
  }

  private static int toByte(double value) {
    long rounded = (long) Math.floor(value + 0.5);
    return (int) Math.max(0, Math.min(255, rounded));
  }

  /** For each output index along one axis: which source indices contribute, and with what weight. */
  private static final class AxisWeights {
    final int[][] index;
    final double[][] weight;

    private AxisWeights(int outputs) {
      index = new int[outputs][];
      weight = new double[outputs][];
    }

    static AxisWeights between(int source, int target) {
      if (target < source) {
        return areaAverage(source, target);
      }
      return target == source ? identity(source) : bilinear(source, target);
    }

    private static AxisWeights identity(int size) {
      AxisWeights weights = new AxisWeights(size);
      for (int j = 0; j < size; j++) {
        weights.index[j] = new int[] {j};
        weights.weight[j] = new double[] {1.0};
      }
      return weights;
    }

    private static AxisWeights areaAverage(int source, int target) {
      AxisWeights weights = new AxisWeights(target);
      double scale = (double) source / target;
      for (int j = 0; j < target; j++) {
        // Bounds computed from j directly (not accumulated) so integer ratios are exact.
        double lo = (double) j * source / target;
        double hi = (double) (j + 1) * source / target;
        int first = (int) Math.floor(lo);
        int last = Math.min(source - 1, (int) Math.ceil(hi) - 1);
        int count = last - first + 1;
        weights.index[j] = new int[count];
        weights.weight[j] = new double[count];
        for (int k = 0; k < count; k++) {
          int i = first + k;
          double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
          weights.index[j][k] = i;
          weights.weight[j][k] = overlap / scale;
        }
      }
      return weights;
    }

    private static AxisWeights bilinear(int source, int target) {
      AxisWeights weights = new AxisWeights(target);
      for (int j = 0; j < target; j++) {
        double x = (j + 0.5) * source / target - 0.5;
        x = Math.max(0, Math.min(source - 1, x));
        int i0 = (int) Math.floor(x);
        int i1 = Math.min(i0 + 1, source - 1);
        double fraction = x - i0;
        weights.index[j] = new int[] {i0, i1};
        weights.weight[j] = new double[] {1 - fraction, fraction};
      }
      return weights;
    }
  }
}
