package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageMetrics;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.features.PixelGridFeatures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with {@link AveragePoolTokenizer} (4×4 average pooling / nearest upsampling) on
 * synthetic 32 px images whose answers are known in closed form:
 * <ul>
 *   <li>images constant on 4×4 blocks come back exactly: PSNR at the cap, SSIM 1, FD 0;</li>
 *   <li>adding a ±δ checkerboard inside each block (zero block mean) makes every reconstructed
 *       value off by exactly δ: MSE = δ², PSNR = −20·log10 δ;</li>
 *   <li>class k has channel k bright, so pooled latents separate the classes perfectly;</li>
 *   <li>block values 0.8 ± 0.1 or 0.2 ± 0.1 make every channel's latent mean 0.4 and std 0.3.</li>
 * </ul>
 */
class TokenizerEvaluationTest {
  private static final int SIZE = 32;
  private static final double DELTA = 0.05;

  @TempDir
  Path dir;

  @Test
  void blockConstantImagesAreReconstructedExactly() {
    EvaluationReport report = evaluation().evaluate(new AveragePoolTokenizer(4), split("train", 30, 0, 0),
        split("held-out", 12, 0, 100));
    assertEquals(ImageMetrics.PSNR_CAP_DB, report.psnr().mean());
    assertEquals(ImageMetrics.PSNR_CAP_DB, report.psnr().min());
    assertEquals(1.0, report.ssim().mean(), 1e-12);
    assertEquals(0, report.frechet().result().distance(), 1e-6); // 0 up to eigenvalue rounding (rank-deficient: 12 < 48)
    assertEquals("pixels/4x4", report.frechet().featureSpace());
  }

  @Test
  void checkerboardNoiseGivesTheFormulaPsnrAndKnownLatentStatistics() throws IOException {
    EvaluationReport report = evaluation().evaluate(new AveragePoolTokenizer(4), split("train", 30, DELTA, 0),
        split("held-out", 12, DELTA, 100), dir);

    assertEquals(-20 * Math.log10(DELTA), report.psnr().mean(), 1e-4);
    assertEquals(report.psnr().min(), report.psnr().max(), 1e-4);
    assertTrue(report.ssim().mean() < 1 && report.ssim().mean() > 0.3, "ssim " + report.ssim().mean());
    // The feature space averages 8×8 cells, which cancels the checkerboard: nothing left to see.
    assertEquals(0, report.frechet().result().distance(), 1e-6); // 0 up to eigenvalue rounding (rank-deficient: 12 < 48)

    assertEquals(new EvaluationReport.LatentShape(3, 8, 8), report.latents());
    assertEquals(1.0 / 16, report.latentToPixelRatio(), 1e-15);
    assertArrayEquals(new double[] {0.4, 0.4, 0.4}, report.latentStats().mean(), 1e-6);
    assertArrayEquals(new double[] {0.3, 0.3, 0.3}, report.latentStats().std(), 1e-6);
    assertEquals(12 * 64, report.latentStats().positionsPerChannel());

    ProbeResult latents = report.probes().get("latents");
    assertEquals(1.0, latents.heldOutAccuracy());
    assertEquals(3, latents.dimensions());
    assertEquals(1.0, report.probes().get("raw_pixels_4x4").heldOutAccuracy());
    assertEquals(48, report.probes().get("raw_pixels_4x4").dimensions());

    JsonNode json = new ObjectMapper().readTree(dir.resolve(TokenizerEvaluation.REPORT_FILE).toFile());
    assertEquals("avgpool4", json.path("tokenizer").asText());
    assertEquals(-20 * Math.log10(DELTA), json.path("psnr").path("mean").asDouble(), 1e-4);
    assertEquals(12, json.path("heldOut").path("count").asInt());
    assertEquals(1.0, json.path("probes").path("latents").path("heldOutAccuracy").asDouble());
    assertTrue(json.path("definitions").size() >= 5);
    BufferedImage grid = ImageIO.read(dir.resolve(TokenizerEvaluation.GRID_FILE).toFile());
    // Default grid: 8 per row, 2× → 12 held-out images, the first 12 ≤ 16 shown in 2 pairs of rows.
    assertTrue(grid.getWidth() >= 8 * 64 && grid.getHeight() >= 4 * 64, grid.getWidth() + "x" + grid.getHeight());
  }

  @Test
  void theFrechetBootstrapIsPairedByImageAndWrittenWithTheDistance() throws IOException {
    LabelledImages train = split("train", 30, DELTA, 0);
    LabelledImages held = split("held-out", 12, DELTA, 100);
    assertNull(evaluation().evaluate(new AveragePoolTokenizer(4), train, held).frechet().interval(), "none by default");
    TokenizerEvaluation bootstrapped = new TokenizerEvaluation(EvaluationConfig.defaults().withFrechetResamples(6),
        new PixelGridFeatures());
    EvaluationReport report = bootstrapped.evaluate(new AveragePoolTokenizer(2), train, held, dir);
    FrechetBootstrap.Interval interval = report.frechet().interval();
    assertEquals(report.frechet().result().distance(), interval.distance(), 1e-12);
    assertEquals(6, interval.resamples());
    assertTrue(interval.lower() <= interval.distance() && interval.distance() <= interval.upper(), interval.toString());
    JsonNode json = new ObjectMapper().readTree(dir.resolve(TokenizerEvaluation.REPORT_FILE).toFile());
    assertEquals(interval.upper(), json.path("frechet").path("interval").path("upper").asDouble(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> EvaluationConfig.defaults().withFrechetResamples(1));
  }

  @Test
  void thePixelReferencesCanBeLeftToAnotherEvaluation() {
    EvaluationReport report = new TokenizerEvaluation(EvaluationConfig.defaults().withRawPixelProbes(false),
        new PixelGridFeatures()).evaluate(new AveragePoolTokenizer(4), split("train", 30, DELTA, 0),
        split("held-out", 12, DELTA, 100));
    assertEquals(List.of("latents", "latents_2x2", "latents_full"), List.copyOf(report.probes().keySet()));
  }

  @Test
  void batchSizeDoesNotChangeTheResults() {
    LabelledImages train = split("train", 30, DELTA, 0);
    LabelledImages held = split("held-out", 13, DELTA, 100);
    EvaluationReport whole = evaluation().evaluate(new AveragePoolTokenizer(4), train, held);
    EvaluationReport small = new TokenizerEvaluation(EvaluationConfig.defaults().withBatchSize(5), new PixelGridFeatures())
        .evaluate(new AveragePoolTokenizer(4), train, held);
    assertEquals(whole.psnr(), small.psnr());
    assertEquals(whole.ssim(), small.ssim());
    assertEquals(whole.probes(), small.probes());
    assertArrayEquals(whole.latentStats().std(), small.latentStats().std(), 1e-12);
  }

  @Test
  void tokenizerIndependentProbesHaveHelpers() {
    LabelledImages train = split("train", 30, DELTA, 0);
    LabelledImages held = split("held-out", 12, DELTA, 100);
    ProbeResult pixels = TokenizerEvaluation.probeRawPixels(train, held, 2, ProbeConfig.defaults(), 7);
    assertEquals(12, pixels.dimensions());
    assertEquals(1.0, pixels.heldOutAccuracy());
    ProbeResult features = TokenizerEvaluation.probeFeatures(new PixelGridFeatures(), train, held, ProbeConfig.defaults(), 7);
    assertEquals(48, features.dimensions());
    EvaluationReport report = new TokenizerEvaluation(EvaluationConfig.defaults(), null)
        .evaluate(new AveragePoolTokenizer(4), train, held)
        .withProbe("frozen_encoder:pixels/4x4", features);
    assertNull(report.frechet(), "no feature extractor, no Fréchet distance");
    assertEquals(List.of("latents", "latents_2x2", "latents_full", "raw_pixels_4x4", "raw_pixels_pca@latents",
            "raw_pixels_pca@latents_2x2", "raw_pixels_pca@latents_full", "frozen_encoder:pixels/4x4"),
        List.copyOf(report.probes().keySet()));
    assertEquals(3 * 2 * 2, report.probes().get("latents_2x2").dimensions(), "2x2 cells of the 3 latent channels");
  }

  @Test
  void wholeLatentAndSameWidthReferencesAreProbed() {
    LabelledImages train = split("train", 30, DELTA, 0);
    LabelledImages held = split("held-out", 12, DELTA, 100);
    EvaluationReport report = evaluation().evaluate(new AveragePoolTokenizer(4), train, held);
    // 3×8×8 latents: widths 3 (pooled), 12 (2×2), 192 (whole); the pixel references have exactly these widths.
    assertEquals(192, report.probes().get("latents_full").dimensions());
    assertEquals(1.0, report.probes().get("latents_full").heldOutAccuracy());
    assertEquals(3, report.probes().get("raw_pixels_pca@latents").dimensions());
    assertEquals(12, report.probes().get("raw_pixels_pca@latents_2x2").dimensions());
    assertEquals(192, report.probes().get("raw_pixels_pca@latents_full").dimensions());
    for (ProbeResult probe : report.probes().values()) {
      assertEquals(12, probe.heldOutCorrect().length());
      assertEquals(1.0 / 3, probe.frequencyChance(), 1e-12, "4 held-out images of each of 3 classes");
    }

    // A 3-channel "feature map" of the 32×32 pixels: widths 3, 12 and 192 take grids 1, 2 and 8.
    var pixels = new TokenizerEvaluation.GriddedFeatures(3, 32, PixelGridFeatures::new);
    Map<String, ProbeResult> frozen = TokenizerEvaluation.probeFeaturesAtWidths(pixels, train, held,
        TokenizerEvaluation.latentProbeWidths(3, 8, 8), ProbeConfig.defaults(), 7);
    assertEquals(List.of("frozen_encoder_pca@latents", "frozen_encoder_pca@latents_2x2", "frozen_encoder_pca@latents_full"),
        List.copyOf(frozen.keySet()));
    assertEquals(3, frozen.get("frozen_encoder_pca@latents").dimensions());
    assertEquals(12, frozen.get("frozen_encoder_pca@latents_2x2").dimensions());
    assertEquals(192, frozen.get("frozen_encoder_pca@latents_full").dimensions(), "a grid wide enough, then PCA");
    assertEquals(1, TokenizerEvaluation.featureGridForWidth(384, 384, 8));
    assertEquals(2, TokenizerEvaluation.featureGridForWidth(512, 384, 8), "C = 8 whole latent: 2x2 x 384 = 1536");
    assertEquals(3, TokenizerEvaluation.featureGridForWidth(2048, 384, 8), "C = 32 whole latent: 3x3 x 384 = 3456");
    assertEquals(8, TokenizerEvaluation.featureGridForWidth(100_000, 384, 8), "at most the map side");
  }

  @Test
  void pixelGridsAreTheSmallestThatHoldTheWidth() {
    assertEquals(Map.of("latents", 8, "latents_2x2", 32, "latents_full", 512), TokenizerEvaluation.latentProbeWidths(8, 8, 8));
    assertEquals(2048, TokenizerEvaluation.latentProbeWidths(32, 8, 8).get("latents_full"));
    assertEquals(2, TokenizerEvaluation.pixelGridForWidth(8, 64)); // 12 values, PCA to 8
    assertEquals(4, TokenizerEvaluation.pixelGridForWidth(32, 64)); // 48
    assertEquals(7, TokenizerEvaluation.pixelGridForWidth(128, 64)); // 147
    assertEquals(14, TokenizerEvaluation.pixelGridForWidth(512, 64)); // 588
    assertEquals(27, TokenizerEvaluation.pixelGridForWidth(2048, 64)); // 2187
    assertEquals(1, TokenizerEvaluation.pixelGridForWidth(3, 64));
    assertEquals(4, TokenizerEvaluation.pixelGridForWidth(2048, 4), "at most the image side");
  }

  @Test
  void aTokenizerThatBreaksTheContractIsNamed() {
    TokenizerUnderTest shrinking = new TokenizerUnderTest() {
      private final AveragePoolTokenizer inner = new AveragePoolTokenizer(4);

      @Override
      public String name() {
        return "shrinking";
      }

      @Override
      public LatentBatch encode(ImageBatch images) {
        return inner.encode(images);
      }

      @Override
      public ImageBatch decode(LatentBatch latents) {
        return new AveragePoolTokenizer(2).decode(latents);
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> evaluation().evaluate(shrinking, split("train", 30, 0, 0), split("held-out", 4, 0, 100)));
    assertTrue(e.getMessage().contains("shrinking") && e.getMessage().contains("4x3x16x16")
        && e.getMessage().contains("expected 4x3x32x32"), e.getMessage());
  }

  private static TokenizerEvaluation evaluation() {
    return new TokenizerEvaluation(EvaluationConfig.defaults(), new PixelGridFeatures());
  }

  /**
   * {@code count} images of class i % 3: channel (class) at 0.8, the others at 0.2, each 4×4 block
   * shifted by ±0.1 in a block checkerboard (zero mean over the 8×8 blocks), plus a ±delta pixel
   * checkerboard (zero mean inside each block). {@code seed} varies the block pattern's phase.
   */
  static LabelledImages split(String name, int count, double delta, int seed) {
    ImageBatch images = TestImages.of(count, SIZE, SIZE, (n, c, y, x) -> {
      double base = c == n % 3 ? 0.8 : 0.2;
      int phase = (n + seed) % 2;
      double block = ((x / 4 + y / 4 + phase + c) % 2 == 0) ? 0.1 : -0.1;
      double pixel = ((x + y) % 2 == 0) ? delta : -delta;
      return base + block + pixel;
    });
    return LabelledImages.of(name, images, TestImages.labels(count, i -> i % 3));
  }
}
