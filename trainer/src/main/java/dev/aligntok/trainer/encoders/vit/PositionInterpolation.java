package dev.aligntok.trainer.encoders.vit;

/**
 * How a ViT resamples its learned M×M grid of position embeddings to another patch grid,
 * reproducing PyTorch's {@code F.interpolate} (align_corners=False) so that pretrained DINOv2
 * weights give the same positions here as in the implementation they were released with. The
 * three DINOv2 code bases disagree, hence the presets:
 * <ul>
 *   <li>{@link #ORIGINAL_DINOV2}: facebookresearch/dinov2 — bicubic, {@code scale_factor=(g+0.1)/M}
 *       (a historical offset that shifts the sampling grid slightly), no antialiasing;
 *   <li>{@link #HF_DINOV2}: transformers {@code Dinov2Model} — bicubic, {@code size=g};
 *   <li>{@link #HF_DINOV2_WITH_REGISTERS}: transformers {@code Dinov2WithRegistersModel} —
 *       bicubic, {@code size=g}, {@code antialias=True}.
 * </ul>
 * Resampling is separable and linear, so it is computed here, in plain Java, as one matrix per
 * axis; the model applies them with matrix products, which keeps the position embeddings
 * trainable through the resampling (the PyTorch engine only offers interpolation through
 * {@code getNDArrayInternal()}, and an ONNX emitter can fold the matrices into a constant).
 *
 * @param mode bicubic (DINOv2) or bilinear
 * @param offset added to the target grid size to form PyTorch's {@code scale_factor}; 0 means
 *     "interpolate to a size" (the ratio is then simply in/out)
 * @param antialias PyTorch's {@code antialias=True} (Pillow-style filter widened when shrinking)
 */
public record PositionInterpolation(Mode mode, double offset, boolean antialias) {
  public enum Mode { BICUBIC, BILINEAR }

  public static final PositionInterpolation ORIGINAL_DINOV2 = new PositionInterpolation(Mode.BICUBIC, 0.1, false);
  public static final PositionInterpolation HF_DINOV2 = new PositionInterpolation(Mode.BICUBIC, 0.0, false);
  public static final PositionInterpolation HF_DINOV2_WITH_REGISTERS = new PositionInterpolation(Mode.BICUBIC, 0.0, true);

  /** PyTorch's bicubic convolution constant; the antialiased path uses Pillow's (Keys) −0.5. */
  private static final double CUBIC_A = -0.75;
  private static final double CUBIC_A_ANTIALIAS = -0.5;

  public PositionInterpolation {
    if (mode == null) {
      throw new IllegalArgumentException("position interpolation mode must be given");
    }
    if (!(offset >= 0 && offset < 1)) {
      throw new IllegalArgumentException("position interpolation offset must be in [0, 1), got " + offset);
    }
  }

  /**
   * The row-major {@code out × in} matrix {@code W} with {@code resampled = W · original} along one
   * axis (so a 2-D grid resamples as {@code Wy · G · Wxᵀ}).
   */
  public float[] matrix(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("cannot interpolate a grid of " + in + " to " + out);
    }
    // PyTorch: with scale_factor given, source/target ratio = 1/scale_factor; with a size, in/out.
    double ratio = offset > 0 ? in / (out + offset) : (double) in / out;
    double[] w = new double[out * in];
    for (int o = 0; o < out; o++) {
      if (antialias) {
        antialiasRow(w, o, in, ratio);
      } else if (mode == Mode.BICUBIC) {
        bicubicRow(w, o, in, ratio);
      } else {
        bilinearRow(w, o, in, ratio);
      }
    }
    float[] result = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      result[i] = (float) w[i];
    }
    return result;
  }

  /** upsample_bicubic2d: four taps around the source point, indices clamped to the border. */
  private static void bicubicRow(double[] w, int o, int in, double ratio) {
    double real = ratio * (o + 0.5) - 0.5;
    int index = (int) Math.floor(real);
    double t = real - index;
    double[] taps = {cubicFar(t + 1, CUBIC_A), cubicNear(t, CUBIC_A), cubicNear(1 - t, CUBIC_A), cubicFar(2 - t, CUBIC_A)};
    for (int k = 0; k < 4; k++) {
      w[o * in + clamp(index - 1 + k, in)] += taps[k];
    }
  }

  /** upsample_bilinear2d: the source point is clamped at 0, the upper neighbour at the border. */
  private static void bilinearRow(double[] w, int o, int in, double ratio) {
    double real = Math.max(ratio * (o + 0.5) - 0.5, 0);
    int low = (int) real;
    int high = low < in - 1 ? low + 1 : low;
    double lambda = real - low;
    w[o * in + low] += 1 - lambda;
    w[o * in + high] += lambda;
  }

  /** The antialiased (Pillow) path: a filter stretched by the ratio when shrinking, normalised. */
  private void antialiasRow(double[] w, int o, int in, double ratio) {
    int taps = mode == Mode.BICUBIC ? 4 : 2;
    double support = ratio >= 1 ? taps * 0.5 * ratio : taps * 0.5;
    double center = ratio * (o + 0.5);
    double invScale = ratio >= 1 ? 1 / ratio : 1;
    int maxTaps = (int) Math.ceil(support) * 2 + 1;
    int min = Math.max((int) (center - support + 0.5), 0);
    int size = Math.min((int) (center + support + 0.5), in) - min;
    size = Math.max(0, Math.min(size, maxTaps));
    double[] row = new double[size];
    double total = 0;
    for (int j = 0; j < size; j++) {
      double x = Math.abs((j + min - center + 0.5) * invScale);
      row[j] = mode == Mode.BICUBIC
          ? (x < 1 ? cubicNear(x, CUBIC_A_ANTIALIAS) : x < 2 ? cubicFar(x, CUBIC_A_ANTIALIAS) : 0)
          : (x < 1 ? 1 - x : 0);
      total += row[j];
    }
    for (int j = 0; j < size; j++) {
      w[o * in + min + j] += total != 0 ? row[j] / total : row[j];
    }
  }

  /** Cubic convolution kernel for |x| ≤ 1. */
  private static double cubicNear(double x, double a) {
    return ((a + 2) * x - (a + 3)) * x * x + 1;
  }

  /** Cubic convolution kernel for 1 < |x| < 2. */
  private static double cubicFar(double x, double a) {
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  }

  private static int clamp(int index, int size) {
    return Math.max(0, Math.min(size - 1, index));
  }
}
