package dev.aligntok.trainer.features;

/**
 * Average pooling of NCHW float maps into per-item feature vectors (double): global (one value
 * per channel) or over a coarse G×G grid (C·G·G values, for raw-pixel baselines that keep some
 * layout). Cell borders use the same area rule as {@code Resize}: cell j covers
 * [j·H/G, (j+1)·H/G), partial pixels weighted by overlap.
 */
public final class Pooling {
  private Pooling() {}

  /** N vectors of C channel means. */
  public static double[][] globalAverage(float[] nchw, int count, int channels, int height, int width) {
    return grid(nchw, count, channels, height, width, 1);
  }

  /** N vectors of C·G·G cell means, ordered channel, cell row, cell column. */
  public static double[][] grid(float[] nchw, int count, int channels, int height, int width, int cells) {
    if (cells <= 0 || cells > height || cells > width) {
      throw new IllegalArgumentException("pooling grid must be 1.." + Math.min(height, width) + " cells per side for "
          + height + "x" + width + " maps, got " + cells);
    }
    if ((long) count * channels * height * width != nchw.length) {
      throw new IllegalArgumentException("expected " + count + "x" + channels + "x" + height + "x" + width
          + " floats, got " + nchw.length);
    }
    double[][] rowWeights = cellWeights(height, cells);
    double[][] colWeights = cellWeights(width, cells);
    double[][] out = new double[count][channels * cells * cells];
    int plane = height * width;
    for (int n = 0; n < count; n++) {
      for (int c = 0; c < channels; c++) {
        int base = (n * channels + c) * plane;
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            double v = nchw[base + y * width + x];
            for (int gy = 0; gy < cells; gy++) {
              double wy = rowWeights[gy][y];
              if (wy == 0) {
                continue;
              }
              for (int gx = 0; gx < cells; gx++) {
                double wx = colWeights[gx][x];
                if (wx != 0) {
                  out[n][(c * cells + gy) * cells + gx] += wy * wx * v;
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  // weights[j][i]: share of source index i in cell j, normalised so each cell's weights sum to 1.
  private static double[][] cellWeights(int size, int cells) {
    double[][] weights = new double[cells][size];
    for (int j = 0; j < cells; j++) {
      double lo = (double) j * size / cells;
      double hi = (double) (j + 1) * size / cells;
      for (int i = (int) Math.floor(lo); i < Math.min(size, (int) Math.ceil(hi)); i++) {
        weights[j][i] = (Math.min(hi, i + 1) - Math.max(lo, i)) / (hi - lo);
      }
    }
    return weights;
  }
}
