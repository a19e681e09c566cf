package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.eval.FrechetBootstrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.trainer.features.FeatureCache;
import dev.aligntok.trainer.eval.LabelledImages;
import dev.aligntok.trainer.features.PixelGridFeatures;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generation evaluation end to end on CI-sized parts: a tiny DiT trained on the tiny
 * tokenizer's latents, a pixel feature space standing in for Inception and MobileNetV2.
 */
class GenerationEvaluationTest {
  private static final SamplerSettings GUIDED = new SamplerSettings(4, Solver.EULER, 1f, 3f, 0f, 1f);

  @Test
  void reportsBothSamplersAgainstHeldOutImagesAndReconstructionsAndWritesGrids(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 10);
    LabelledImages train = LabelledImages.fromSamples("shapes train", TinyTokenizer.shapes(12), 16);
    LabelledImages heldOut = LabelledImages.fromSamples("shapes held-out", TinyTokenizer.shapes(10), 16);
    Path out = dir.resolve("eval");

    Map<String, Object> report;
    Map<String, Object> again;
    try (TrainedDiT dit = TrainedDiT.load(run)) {
      GenerationEvaluation evaluation = new GenerationEvaluation(new PixelGridFeatures(), new PixelGridFeatures(),
          FeatureCache.at(dir.resolve("features")), FlowTrainerTest.quiet());
      GenerationEvaluation.Settings settings = new GenerationEvaluation.Settings(GUIDED, 2, 3, 1000);
      report = evaluation.evaluate(dit, TinyTokenizer.tokenizer(), train, heldOut, settings, out, run.resolve("metrics.jsonl"));
      again = evaluation.evaluate(dit, TinyTokenizer.tokenizer(), train, heldOut,
          new GenerationEvaluation.Settings(GUIDED, 2, 3, 1000, 20), dir.resolve("again"), null);
    }

    assertEquals(10, ((Number) report.get("trainedSteps")).intValue());
    assertEquals(10, report.get("samples"), "one sample per held-out image");
    assertEquals("pixels/4x4", report.get("frechetFeatureSpace"));
    double reconstruction = (Double) report.get("reconstructionFrechet");
    assertTrue(reconstruction > 0 && Double.isFinite(reconstruction),
        "an untrained decoder does not reproduce the held-out images: " + reconstruction);
    Map<?, ?> runs = (Map<?, ?>) report.get("runs");
    assertEquals(List.of("without_cfg", "with_cfg"), List.copyOf(runs.keySet()));
    for (Object value : runs.values()) {
      Map<?, ?> sampled = (Map<?, ?>) value;
      double toImages = (Double) sampled.get("frechetDistance");
      double toReconstructions = (Double) sampled.get("frechetToReconstructions");
      double consistency = (Double) sampled.get("classConsistency");
      assertTrue(toImages > 0 && Double.isFinite(toImages), "Fréchet distance " + toImages);
      assertTrue(toReconstructions > 0 && Double.isFinite(toReconstructions), "to reconstructions " + toReconstructions);
      assertTrue(consistency >= 0 && consistency <= 1, "class consistency " + consistency);
    }
    assertEquals(1f, ((SamplerSettings) ((Map<?, ?>) runs.get("without_cfg")).get("sampler")).cfgScale());
    assertEquals(3f, ((SamplerSettings) ((Map<?, ?>) runs.get("with_cfg")).get("sampler")).cfgScale());
    // Seeded samples: a second evaluation (real images' features now from the cache) measures the same distances.
    assertEquals(((Map<?, ?>) runs.get("with_cfg")).get("frechetDistance"),
        ((Map<?, ?>) ((Map<?, ?>) again.get("runs")).get("with_cfg")).get("frechetDistance"));
    assertEquals(report.get("reconstructionFrechet"), again.get("reconstructionFrechet"));
    assertFalse(((Map<?, ?>) runs.get("with_cfg")).containsKey("frechetInterval"), "no bootstrap unless asked");
    for (String key : List.of("frechetInterval", "frechetToReconstructionsInterval")) {
      Map<?, ?> againRuns = (Map<?, ?>) again.get("runs");
      FrechetBootstrap.Interval interval = (FrechetBootstrap.Interval) ((Map<?, ?>) againRuns.get("without_cfg")).get(key);
      assertEquals(20, interval.resamples());
      assertTrue(interval.lower() <= interval.distance() && interval.distance() <= interval.upper(), key + " " + interval);
      assertFalse(((Map<?, ?>) againRuns.get("with_cfg")).containsKey(key), "the unguided run's distances only: " + key);
    }
    try (var entries = Files.list(dir.resolve("features"))) {
      // One batch each of held-out images, training images and reconstructions (both spaces here are
      // the same pixel features, so they share entries).
      assertEquals(3, entries.count(), "real images' and reconstructions' features are cached");
    }

    Map<?, ?> written = new ObjectMapper().readValue(out.resolve(GenerationEvaluation.REPORT_FILE).toFile(), Map.class);
    assertEquals(report.get("reconstructionFrechet"), written.get("reconstructionFrechet"));
    for (String file : List.of("samples-without_cfg.png", "samples-with_cfg.png", "loss-curves.png")) {
      assertTrue(Files.size(out.resolve(file)) > 100, file);
    }
    assertTrue(Files.notExists(dir.resolve("again").resolve("loss-curves.png")), "no metrics file, no curves");
  }

  @Test
  void gridRowsAreTheMostFrequentClassesTiesByClassId() {
    int[] labels = {2, 0, 1, 2, 1, 0, 3};
    LabelledImages images = LabelledImages.of("labels", new ImageBatch(new float[7 * 3], 7, 1, 1), labels);
    assertEquals(List.of(0, 1, 2), GenerationEvaluation.mostFrequent(images, 3));
    assertEquals(List.of(0, 1, 2, 3), GenerationEvaluation.mostFrequent(images, 9));
  }
}
