package dev.aligntok.trainer.encoders;

/**
 * Moves Keras (channels-last) convolution kernels into PyTorch's layout, which DJL's PyTorch
 * engine uses: {@code (out, in/groups, kh, kw)}, row-major.
 */
public final class KerasKernels {
  private KerasKernels() {}

  /** Conv2D kernel {@code (kh, kw, in, out)} → {@code (out, in, kh, kw)}. */
  public static float[] conv2dToOihw(FloatTensor kernel) {
    int[] s = kernel.shape();
    requireRank(kernel, s, 4);
    int kh = s[0];
    int kw = s[1];
    int in = s[2];
    int out = s[3];
    float[] src = kernel.values();
    float[] dst = new float[src.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < in; i++) {
          int from = ((y * kw + x) * in + i) * out;
          for (int o = 0; o < out; o++) {
            dst[((o * in + i) * kh + y) * kw + x] = src[from + o];
          }
        }
      }
    }
    return dst;
  }

  /**
   * DepthwiseConv2D kernel {@code (kh, kw, in, multiplier)} → grouped-conv weight
   * {@code (in·multiplier, 1, kh, kw)} with groups = in; Keras orders the outputs channel-major
   * (output {@code c·multiplier + j} comes from input {@code c}), as grouped convolution does.
   */
  public static float[] depthwiseToOihw(FloatTensor kernel) {
    int[] s = kernel.shape();
    requireRank(kernel, s, 4);
    int kh = s[0];
    int kw = s[1];
    int in = s[2];
    int multiplier = s[3];
    float[] src = kernel.values();
    float[] dst = new float[src.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int c = 0; c < in; c++) {
          for (int j = 0; j < multiplier; j++) {
            dst[((c * multiplier + j) * kh + y) * kw + x] = src[((y * kw + x) * in + c) * multiplier + j];
          }
        }
      }
    }
    return dst;
  }

  private static void requireRank(FloatTensor kernel, int[] shape, int rank) {
    if (shape.length != rank) {
      throw new IllegalArgumentException("kernel " + kernel.name() + " has rank " + shape.length + ", expected " + rank);
    }
  }
}
