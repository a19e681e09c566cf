package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.ImageMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageMetricsTest {
  private static final double C1 = 0.01 * 0.01;

  @Test
  void identicalImagesScoreTheCapAndOne() {
    ImageBatch a = TestImages.of(3, 16, 16, (n, c, y, x) -> ((x * 7 + y * 3 + c + n) % 11) / 10.0);
    for (double psnr : ImageMetrics.psnr(a, a)) {
      assertEquals(ImageMetrics.PSNR_CAP_DB, psnr);
    }
    for (double ssim : ImageMetrics.ssim(a, a)) {
      assertEquals(1.0, ssim, 1e-12);
    }
  }

  @Test
  void psnrFollowsTheFormulaForKnownNoise() {
    // ±0.1 in a checkerboard around 0.5: MSE = 0.01 exactly, PSNR = 20 dB.
    ImageBatch original = TestImages.constant(2, 8, 8, 0.5f);
    ImageBatch noisy = TestImages.of(2, 8, 8, (n, c, y, x) -> 0.5 + ((x + y) % 2 == 0 ? 0.1 : -0.1));
    for (double psnr : ImageMetrics.psnr(original, noisy)) {
      assertEquals(20.0, psnr, 1e-5);
    }
    // A uniform offset of 0.05 on one image only: MSE 0.0025 → 26.0206 dB; the other is exact.
    ImageBatch shifted = TestImages.of(2, 8, 8, (n, c, y, x) -> n == 0 ? 0.55 : 0.5);
    double[] psnr = ImageMetrics.psnr(original, shifted);
    assertEquals(-10 * Math.log10(0.0025), psnr[0], 1e-5);
    assertEquals(ImageMetrics.PSNR_CAP_DB, psnr[1]);
  }

  @Test
  void valuesOutsideTheUnitRangeAreClampedAndNanCountsAsBlack() {
    ImageBatch white = TestImages.constant(1, 4, 4, 1f);
    ImageBatch overshoot = TestImages.constant(1, 4, 4, 1.7f);
    assertEquals(ImageMetrics.PSNR_CAP_DB, ImageMetrics.psnr(white, overshoot)[0]);
    ImageBatch nan = TestImages.constant(1, 4, 4, Float.NaN);
    assertEquals(0.0, ImageMetrics.psnr(white, nan)[0], 1e-12, "NaN → 0, so MSE = 1 and PSNR = 0 dB");
  }

  @Test
  void psnrCapIsAlsoACeiling() {
    assertEquals(100.0, ImageMetrics.psnrFromMse(1e-12));
    assertEquals(60.0, ImageMetrics.psnrFromMse(1e-6), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnrFromMse(-1));
  }

  @Test
  void ssimOfConstantImagesHasTheClosedForm() {
    // Flat images: variances and covariance are 0, so SSIM = (2ab + C1) / (a² + b² + C1).
    double a = 0.5;
    double b = 0.25;
    double expected = (2 * a * b + C1) / (a * a + b * b + C1);
    double ssim = ImageMetrics.ssim(TestImages.constant(1, 12, 12, (float) a), TestImages.constant(1, 12, 12, (float) b))[0];
    assertEquals(expected, ssim, 1e-12);
  }

  @Test
  void ssimAveragesTheThreeChannels() {
    // Only the blue channel differs (flat 0.5 vs flat 0.25): SSIM = (1 + 1 + s_blue) / 3.
    ImageBatch a = TestImages.constant(1, 12, 12, 0.5f);
    ImageBatch b = TestImages.of(1, 12, 12, (n, c, y, x) -> c == 2 ? 0.25 : 0.5);
    double blue = (2 * 0.5 * 0.25 + C1) / (0.25 + 0.0625 + C1);
    assertEquals((2 + blue) / 3, ImageMetrics.ssim(a, b)[0], 1e-12);
  }

  @Test
  void matchesScikitImage() {
    // Reference: scikit-image 0.19.3, structural_similarity(a, b, channel_axis=0,
    // gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0) and
    // peak_signal_noise_ratio(a, b, data_range=1.0), on these float32 images as float64.
    ImageBatch a = TestImages.of(1, 16, 20, (n, c, y, x) -> (float) (((x * 7 + y * 13 + c * 5) % 17) / 16.0));
    ImageBatch b = TestImages.of(1, 16, 20, (n, c, y, x) -> {
      float base = (float) (((x * 7 + y * 13 + c * 5) % 17) / 16.0);
      return (float) Math.min(1.0, Math.max(0.0, base + ((x * 3 + y * 5 + c * 11) % 7 - 3) / 40.0));
    });
    assertEquals(0.987728075060352, ImageMetrics.ssim(a, b)[0], 1e-9);
    assertEquals(26.38432048523996, ImageMetrics.psnr(a, b)[0], 1e-6);
  }

  @Test
  void ssimDropsWithNoiseAndStaysBelowOne() {
    ImageBatch a = TestImages.of(1, 32, 32, (n, c, y, x) -> (x + y) / 62.0);
    ImageBatch light = TestImages.of(1, 32, 32, (n, c, y, x) -> (x + y) / 62.0 + ((x * 5 + y * 3) % 7 - 3) / 100.0);
    ImageBatch heavy = TestImages.of(1, 32, 32, (n, c, y, x) -> (x + y) / 62.0 + ((x * 5 + y * 3) % 7 - 3) / 20.0);
    double s1 = ImageMetrics.ssim(a, light)[0];
    double s2 = ImageMetrics.ssim(a, heavy)[0];
    assertTrue(s1 < 1 && s2 < s1, "SSIM should fall with noise: " + s1 + ", " + s2);
  }

  @Test
  void gaussianWindowIsNormalisedAndSymmetric() {
    double[] w = ImageMetrics.gaussianWindow(11, 1.5);
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      sum += w[i];
      assertEquals(w[i], w[w.length - 1 - i], 1e-15);
    }
    assertEquals(1.0, sum, 1e-12);
    assertEquals(Math.exp(-25 / 4.5) / Math.exp(0), w[0] / w[5], 1e-12);
  }

  @Test
  void rejectsMismatchedOrTinyImages() {
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> ImageMetrics.psnr(TestImages.constant(1, 8, 8, 0f), TestImages.constant(1, 8, 9, 0f)));
    assertTrue(shape.getMessage().contains("1x3x8x8 vs 1x3x8x9"), shape.getMessage());
    IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
        () -> ImageMetrics.ssim(TestImages.constant(1, 8, 8, 0f), TestImages.constant(1, 8, 8, 0f)));
    assertTrue(tiny.getMessage().contains("11x11"), tiny.getMessage());
  }
}
