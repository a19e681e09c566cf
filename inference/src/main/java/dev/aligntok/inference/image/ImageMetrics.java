package dev.aligntok.inference.image;

/**
 * Full-reference image quality, per image, on images in [0, 1] ({@link ImageBatch}).
 *
 * <p>Both inputs are clamped to [0, 1] first: a decoder's overshoot would be clipped when the
 * image is saved, so it should not count. Arithmetic is in double.
 *
 * <p><b>PSNR</b> = 10·log10(1 / MSE), MSE over all 3·H·W values of one image (peak 1). An exact
 * (or practically exact) reconstruction has MSE 0 and infinite PSNR; it is reported as
 * {@value #PSNR_CAP_DB} dB (any PSNR above the cap is capped) so that means stay finite. A mean
 * over images that includes capped values depends on the cap; a maximum of exactly
 * {@value #PSNR_CAP_DB} in a {@link Summary} says that happened.
 *
 * <p><b>SSIM</b> (Wang et al. 2004): Gaussian window 11×11, σ = 1.5 (normalised to sum 1),
 * K1 = 0.01, K2 = 0.03, dynamic range L = 1, so C1 = (K1·L)², C2 = (K2·L)². Local statistics are
 * Gaussian-weighted moments without Bessel correction, as in the reference MATLAB code and
 * scikit-image with {@code gaussian_weights=True}; only windows that lie fully inside the image
 * count ("valid", a 54×54 map for 64 px). Computed <b>per RGB channel</b> and averaged over the three
 * channels (scikit-image's {@code channel_axis}, torchmetrics' default), not on luminance: a
 * tokenizer that gets colours wrong should be penalised, and colour emoji are our data. Images need
 * at least 11 px per side.
 */
public final class ImageMetrics {
  /** PSNR reported for identical images (MSE 0) and the ceiling for all others. */
  public static final double PSNR_CAP_DB = 100.0;
  public static final int SSIM_WINDOW = 11;
  public static final double SSIM_SIGMA = 1.5;
  public static final double SSIM_K1 = 0.01;
  public static final double SSIM_K2 = 0.03;
  private static final double[] GAUSSIAN = gaussianWindow(SSIM_WINDOW, SSIM_SIGMA);

  private ImageMetrics() {}

  /** PSNR in dB of each reconstruction against its original. */
  public static double[] psnr(ImageBatch originals, ImageBatch reconstructions) {
    originals.requireSameShape(reconstructions, "PSNR");
    double[] out = new double[originals.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = psnrFromMse(mse(originals.pixels(), reconstructions.pixels(), originals.offset(i), originals.imageFloats()));
    }
    return out;
  }

  /** Mean squared error of one image (values clamped to [0, 1]). */
  static double mse(float[] a, float[] b, int offset, int length) {
    double sum = 0;
    for (int k = offset; k < offset + length; k++) {
      double d = clamp(a[k]) - clamp(b[k]);
      sum += d * d;
    }
    return sum / length;
  }

  /** 10·log10(1 / mse), capped at {@value #PSNR_CAP_DB} dB (which also covers mse = 0). */
  public static double psnrFromMse(double mse) {
    if (!(mse >= 0)) {
      throw new IllegalArgumentException("MSE must be >= 0, got " + mse);
    }
    return mse == 0 ? PSNR_CAP_DB : Math.min(PSNR_CAP_DB, -10.0 * Math.log10(mse));
  }

  /** Mean SSIM of each reconstruction against its original (channel-averaged). */
  public static double[] ssim(ImageBatch originals, ImageBatch reconstructions) {
    originals.requireSameShape(reconstructions, "SSIM");
    int h = originals.height();
    int w = originals.width();
    if (h < SSIM_WINDOW || w < SSIM_WINDOW) {
      throw new IllegalArgumentException("SSIM needs images of at least " + SSIM_WINDOW + "x" + SSIM_WINDOW
          + " (its Gaussian window), got " + h + "x" + w);
    }
    double[] out = new double[originals.count()];
    double[] x = new double[h * w];
    double[] y = new double[h * w];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      for (int c = 0; c < ImageBatch.CHANNELS; c++) {
        int offset = originals.offset(i) + c * h * w;
        for (int k = 0; k < h * w; k++) {
          x[k] = clamp(originals.pixels()[offset + k]);
          y[k] = clamp(reconstructions.pixels()[offset + k]);
        }
        sum += ssimPlane(x, y, h, w);
      }
      out[i] = sum / ImageBatch.CHANNELS;
    }
    return out;
  }

  /** Mean of the SSIM map of one channel plane (values already in [0, 1]). */
  static double ssimPlane(double[] x, double[] y, int h, int w) {
    double c1 = SSIM_K1 * SSIM_K1;
    double c2 = SSIM_K2 * SSIM_K2;
    double[] xy = new double[x.length];
    double[] xx = new double[x.length];
    double[] yy = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      xy[k] = x[k] * y[k];
      xx[k] = x[k] * x[k];
      yy[k] = y[k] * y[k];
    }
    double[] muX = filterValid(x, h, w);
    double[] muY = filterValid(y, h, w);
    double[] ex2 = filterValid(xx, h, w);
    double[] ey2 = filterValid(yy, h, w);
    double[] exy = filterValid(xy, h, w);
    double sum = 0;
    for (int k = 0; k < muX.length; k++) {
      double mx = muX[k];
      double my = muY[k];
      double varX = ex2[k] - mx * mx;
      double varY = ey2[k] - my * my;
      double cov = exy[k] - mx * my;
      sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (varX + varY + c2));
    }
    return sum / muX.length;
  }

  // Separable Gaussian filter keeping only fully covered positions: (h−10)×(w−10).
  private static double[] filterValid(double[] plane, int h, int w) {
    int k = SSIM_WINDOW;
    int outW = w - k + 1;
    int outH = h - k + 1;
    double[] rows = new double[h * outW];
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < outW; xx++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += GAUSSIAN[t] * plane[yy * w + xx + t];
        }
        rows[yy * outW + xx] = s;
      }
    }
    double[] out = new double[outH * outW];
    for (int yy = 0; yy < outH; yy++) {
      for (int xx = 0; xx < outW; xx++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += GAUSSIAN[t] * rows[(yy + t) * outW + xx];
        }
        out[yy * outW + xx] = s;
      }
    }
    return out;
  }

  public static double[] gaussianWindow(int size, double sigma) {
    double[] window = new double[size];
    double sum = 0;
    for (int t = 0; t < size; t++) {
      double d = t - (size - 1) / 2.0;
      window[t] = Math.exp(-d * d / (2 * sigma * sigma));
      sum += window[t];
    }
    for (int t = 0; t < size; t++) {
      window[t] /= sum;
    }
    return window;
  }

  private static double clamp(float v) {
    // NaN counts as 0 (what saving the image would give), so a broken decoder scores badly, not NaN.
    return v >= 0 ? Math.min(1.0, v) : 0.0;
  }
}
