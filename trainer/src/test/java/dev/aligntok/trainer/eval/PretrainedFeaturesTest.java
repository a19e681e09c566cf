package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.trainer.encoders.SyntheticImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.features.FeatureExtractor;
import dev.aligntok.trainer.features.InceptionV3Features;
import dev.aligntok.trainer.features.MobileNetV2Features;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The pretrained feature spaces inside the evaluation: a reconstruction that keeps more detail
 * must be closer to the originals in Fréchet distance than one that keeps less. Skipped without
 * the nsfwjs package (see {@link NsfwjsPackage}).
 */
class PretrainedFeaturesTest {
  private static final int COUNT = 16;
  private static final int SIZE = 32;

  @Test
  void mobileNetV2DistancesRankReconstructionsByDetailKept() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    try (MobileNetV2Features features = MobileNetV2Features.fromNsfwjs(nsfwjs)) {
      assertEquals("mobilenet_v2@block_10_expand_relu/gap@128px", features.name());
      assertEquals(384, features.dimensions());
      double[][] once = features.extract(images(4, 3));
      double[][] twice = features.extract(images(4, 3));
      for (int i = 0; i < once.length; i++) {
        assertArrayEquals(once[i], twice[i], 1e-6, "features are deterministic");
      }
      assertRanksByDetail(features);
    }
  }

  @Test
  void mobileNetV2MapsPoolToGridsWhoseCellsAverageToTheGlobalFeatures() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    try (MobileNetV2Features features = MobileNetV2Features.fromNsfwjs(nsfwjs)) {
      assertEquals(8, features.mapSide(), "block 10 at 128 px: stride 16");
      FeatureExtractor grid = features.pooledToGrid(2);
      assertEquals("mobilenet_v2@block_10_expand_relu/grid2x2@128px", grid.name());
      assertEquals(4 * 384, grid.dimensions());
      ImageBatch images = images(3, 5);
      double[][] global = features.extract(images);
      double[][] cells = grid.extract(images);
      // The 8×8 map splits into four 4×4 cells: the mean of a channel's four cell means is its global mean.
      for (int n = 0; n < 3; n++) {
        for (int c = 0; c < 384; c++) {
          double mean = (cells[n][4 * c] + cells[n][4 * c + 1] + cells[n][4 * c + 2] + cells[n][4 * c + 3]) / 4;
          assertEquals(global[n][c], mean, 1e-4 * Math.max(1, Math.abs(global[n][c])), "image " + n + " channel " + c);
        }
      }
      IllegalArgumentException tooFine = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> features.pooledToGrid(9));
      assertTrue(tooFine.getMessage().contains("1..8 cells per side, got 9"), tooFine.getMessage());
    }
  }

  @Test
  void inceptionV3DistancesRankReconstructionsByDetailKept() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    // 107 px instead of 299 keeps the test quick (mixed5 is then 5×5); the ordering does not depend on it.
    try (InceptionV3Features features = InceptionV3Features.fromNsfwjs(nsfwjs, "mixed5", 107, 8)) {
      assertRanksByDetail(features);
    }
  }

  @Test
  void evaluationRunsEndToEndInAPretrainedSpace() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    try (MobileNetV2Features features = MobileNetV2Features.fromNsfwjs(nsfwjs, MobileNetV2Config.defaults(), 64, 8)) {
      LabelledImages train = LabelledImages.of("train", images(16, 7), TestImages.labels(16, i -> i % 2));
      LabelledImages held = LabelledImages.of("held-out", images(COUNT, 0), TestImages.labels(COUNT, i -> i % 2));
      EvaluationReport report = new TokenizerEvaluation(EvaluationConfig.defaults(), features)
          .evaluate(new AveragePoolTokenizer(4), train, held)
          .withProbe("frozen_encoder:" + features.name(),
              TokenizerEvaluation.probeFeatures(features, train, held, ProbeConfig.defaults(), 8));
      assertEquals("mobilenet_v2@block_10_expand_relu/gap@64px", report.frechet().featureSpace());
      assertTrue(report.frechet().result().distance() > 0);
      assertEquals(384, report.probes().get("frozen_encoder:" + features.name()).dimensions());
    }
  }

  private static void assertRanksByDetail(FeatureExtractor features) {
    ImageBatch originals = images(COUNT, 0);
    double[][] reference = features.extract(originals);
    double fine = fd(features, reference, originals, new AveragePoolTokenizer(2));
    double coarse = fd(features, reference, originals, new AveragePoolTokenizer(8));
    System.out.printf(Locale.ROOT, "%s: FD to 2x2-pooled %.4f, to 8x8-pooled %.4f%n", features.name(), fine, coarse);
    assertTrue(fine < coarse, "2×2 pooling (" + fine + ") should be closer than 8×8 pooling (" + coarse + ")");
  }

  private static double fd(FeatureExtractor features, double[][] reference, ImageBatch originals,
      TokenizerUnderTest tokenizer) {
    ImageBatch reconstructions = tokenizer.decode(tokenizer.encode(originals));
    return FrechetDistance.between(reference, features.extract(reconstructions)).distance();
  }

  // Textured colour images that differ per image (stripes of varying frequency and a disc).
  private static ImageBatch images(int count, int seed) {
    return TestImages.of(count, SIZE, SIZE, (n, c, y, x) -> {
      int k = n + seed;
      double stripes = 0.5 + 0.4 * Math.sin((x * (1 + k % 4) + y * (k % 3)) * 0.9 + c);
      double dx = x - 10 - k % 12;
      double dy = y - 16;
      boolean disc = dx * dx + dy * dy < 40 + 5 * (k % 5);
      return disc ? 1 - stripes * (c == k % 3 ? 0.2 : 1) : stripes;
    });
  }
}
