package dev.aligntok.trainer.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {
  @TempDir
  Path docs;

  @Test
  void tablesListEvaluatedVariantsAndNameTheMissingOnes() throws IOException {
    tokenizerEval("stage1", 18.5, 0.70, 4.5, 0.71, 0.74);
    tokenizerEval("baseline", 19.0, 0.69, 3.4, 0.72, 0.73);

    StudyReport report = StudyReport.read(docs);

    assertEquals(List.of("stage1", "baseline"),
        report.tokenizers().stream().map(row -> row.variant().folder()).toList());
    String markdown = report.markdown();
    assertTrue(markdown.contains("| stage 1 only (encoder frozen; adapter + decoder) | 18.50 | 0.700 | 4.50 | 71.0 % | 74.0 % |"),
        markdown);
    assertTrue(markdown.contains("| stages 1+2, w_sp = 5 | not evaluated yet |"), markdown);
    assertTrue(report.speedups().isEmpty(), "no speed-up without both DiTs");
  }

  @Test
  void probeTableShowsStandardErrorsChanceReferencesAndPairedDifferences() throws IOException {
    // 4 held-out images; full method right on images 0-2, old baseline on image 0 only (both pooled).
    probeEval("stage3", "1110", "1111");
    probeEval("baseline", "1000", "1111");
    StudyReport report = StudyReport.read(docs);
    String markdown = report.markdown();
    // 0.75 ± √(0.75·0.25/4) = 21.7 %; width 8, the fit converged
    assertTrue(markdown.contains("| full method: stages 1+2 (w_sp = 1) + 3 | 75.0 ± 21.7 % (8) | 100.0 ± 0.0 % (32) | — |"),
        markdown);
    assertTrue(markdown.contains("| old baseline: MobileNetV2 with BatchNorm folded away, from scratch, no EMA "
        + "| 25.0 ± 21.7 % (8) * |"), markdown);
    assertTrue(markdown.contains("| *reference: raw pixels cut to the same width (area-average + PCA), C = 8* "
        + "| 50.0 ± 25.0 % (8) | — | — |"), markdown);
    assertTrue(markdown.contains("majority class 75.0 %, a class-blind guesser drawing by the class frequencies (Σq²) 62.5 %"),
        markdown);
    // paired: only-a 2, only-b 0 of 4 → +50 ± 25 points
    assertTrue(markdown.contains("- full method − old baseline: pooled (C) +50.0 ± 25.0 (paired, 2.0 SE); "
        + "2×2 (4C) +0.0 ± 0.0 (paired, 0.0 SE)"), markdown);
  }

  @Test
  void severalSeedsOfAVariantShowMeanAndSd() throws IOException {
    tokenizerEval("stage3", 20, 0.70, 3, 0.70, 0.80);
    tokenizerEval("stage3/seed-2", 21, 0.71, 4, 0.72, 0.80);
    tokenizerEval("stage3/seed-10", 22, 0.72, 5, 0.74, 0.80);
    tokenizerEval("baseline", 19, 0.69, 3.4, 0.60, 0.70);
    tokenizerEval("baseline/seed-2", 19, 0.69, 3.4, 0.64, 0.70);
    StudyReport report = StudyReport.read(docs);
    StudyReport.TokenizerRow full = report.tokenizers().get(0);
    assertEquals(3, full.runs());
    assertEquals(72.0, 100 * full.probePooled(), 1e-9);
    assertEquals(2.0, 100 * full.spread().probePooled(), 1e-9);
    String markdown = report.markdown();
    assertTrue(markdown.contains("| full method: stages 1+2 (w_sp = 1) + 3 (mean ± sd of 3 seeds) | 21.00 ± 1.00 | 0.710 ± 0.010 "
        + "| 4.00 ± 1.00 | 72.0 ± 2.0 % | 80.0 ± 0.0 % |"), markdown);
    assertTrue(markdown.contains("| full method: stages 1+2 (w_sp = 1) + 3 | 72.0 ± 2.0 % [3 seeds] | 80.0 ± 0.0 % [3 seeds] | — |"),
        markdown);
    // over seeds: 0.72 − 0.62 = +10.0 points, SE √(0.02²/3 + 0.028284²/2) = 2.31 points
    assertTrue(markdown.contains("- full method − old baseline: pooled (C) +10.0 ± 2.3 (over seeds, 4.3 SE)"), markdown);
  }

  @Test
  void fashionMnistHasItsOwnTableOnceEvaluated() throws IOException {
    assertTrue(StudyReport.read(docs).markdown().contains("Not evaluated yet (`scripts/study.sh fashion`)"));

    tokenizerEval(StudyReport.FASHION_FOLDER + "/stage3", 24.0, 0.85, 1.9, 0.80, 0.84);
    StudyReport report = StudyReport.read(docs);

    assertEquals(List.of("stage3"), report.fashion().rows().stream().map(row -> row.variant().folder()).toList());
    assertTrue(report.tokenizers().isEmpty(), "the emoji table is separate");
    String markdown = report.markdown();
    String fashionSection = markdown.substring(markdown.indexOf("## Tokenizers on Fashion-MNIST"));
    assertTrue(fashionSection.contains("| full method: stages 1+2 (w_sp = 1) + 3 | 24.00 | 0.850 | 1.90 | 80.0 % | 84.0 % |"),
        markdown);
    assertTrue(fashionSection.contains("| old baseline: MobileNetV2 with BatchNorm folded away, from scratch, no EMA | not evaluated yet |"),
        markdown);
  }

  @Test
  void speedupIsTheFirstAlignTokCheckpointAtTheBaselinesFinalScore() throws IOException {
    generationEval("baseline", 500, 6.0, 6.5);
    generationEval("baseline", 2000, 4.0, 4.4);
    generationEval("alignTok", 500, 4.5, 4.3);
    generationEval("alignTok", 1000, 3.9, 4.1);
    generationEval("alignTok", 2000, 3.5, 3.8);

    List<StudyReport.Speedup> speedups = StudyReport.read(docs).speedups();

    assertEquals(2, speedups.size());
    assertEquals(Optional.of(1000L), speedups.get(0).alignTokSteps(), "no CFG: 3.9 <= 4.0 first at 1000");
    assertEquals(2.0, speedups.get(0).factor().orElseThrow(), 1e-12);
    assertEquals(Optional.of(500L), speedups.get(1).alignTokSteps(), "CFG: 4.3 <= 4.4 already at 500");
  }

  @Test
  void theDistanceToEachTokenizersOwnReconstructionsGetsItsSpeedupWhenEveryPointHasIt() throws IOException {
    generationEval("baseline", 500, 6.0, 6.5);
    generationEval("alignTok", 500, 5.0, 5.5);
    String before = StudyReport.read(docs).markdown();
    assertTrue(before.contains("| AlignTok | 500 | 5.00 | 5.50 | not measured | 20.0 % | 30.0 % |"), before);
    assertEquals(2, StudyReport.read(docs).speedups().size(), "older evaluations: no third speed-up");

    generationEval("baseline", 500, 6.0, 6.5, 2.5);
    generationEval("alignTok", 500, 5.0, 5.5, 2.75);
    StudyReport report = StudyReport.read(docs);

    assertTrue(report.markdown().contains("| AlignTok | 500 | 5.00 | 5.50 | 2.75 | 20.0 % | 30.0 % |"), report.markdown());
    StudyReport.Speedup own = report.speedups().get(2);
    assertTrue(own.metric().contains("own reconstructions"), own.metric());
    assertEquals(2.5, own.baselineFinal(), 1e-12);
    assertFalse(own.alignTokSteps().isPresent(), "2.75 > 2.5: the decoder-free comparison can disagree");
  }

  @Test
  void noSpeedupIsSaidPlainly() throws IOException {
    generationEval("baseline", 2000, 3.0, 3.0);
    generationEval("alignTok", 2000, 3.5, 3.8);

    StudyReport report = StudyReport.read(docs);

    assertFalse(report.speedups().get(0).alignTokSteps().isPresent());
    assertTrue(report.markdown().contains("does not reach it at any evaluated checkpoint"), report.markdown());
  }

  @Test
  void convergencePlotIsDrawn() throws IOException {
    generationEval("baseline", 250, 6.0, 6.5);
    generationEval("baseline", 500, 5.0, 5.5);
    generationEval("alignTok", 250, 5.5, 6.0);
    generationEval("alignTok", 500, 4.5, 4.0);

    StudyReport.read(docs).writeConvergencePlot(docs.resolve("convergence.jsonl"), docs.resolve("convergence.png"));

    assertEquals(2, Files.readAllLines(docs.resolve("convergence.jsonl")).size());
    assertEquals(960, ImageIO.read(docs.resolve("convergence.png").toFile()).getWidth());
  }

  @Test
  void reconstructionAndSampleGridsAreStackedUnderCaptions() throws IOException {
    tokenizerEval("stage1", 18.5, 0.70, 4.5, 0.71, 0.74);
    tokenizerEval("baseline", 19.0, 0.69, 3.4, 0.72, 0.73);
    picture(docs.resolve("stage1/reconstructions.png"), 300, 100);
    picture(docs.resolve("baseline/reconstructions.png"), 200, 120);
    generationEval("alignTok", 250, 5.0, 5.5);
    generationEval("alignTok", 500, 4.0, 4.5);
    picture(docs.resolve("dit-alignTok/step-500/samples-with_cfg.png"), 160, 90);
    tokenizerEval(StudyReport.FASHION_FOLDER + "/stage3", 24.0, 0.85, 1.9, 0.80, 0.84);
    picture(docs.resolve(StudyReport.FASHION_FOLDER + "/stage3/reconstructions.png"), 120, 60);

    StudyReport.SideBySide panels = StudyReport.read(docs).writeSideBySide(docs);

    assertEquals(2, panels.tokenizers());
    assertEquals(1, panels.fashionTokenizers(), "Fashion-MNIST's grids stack apart from the emoji ones");
    assertEquals(CaptionedStack.CAPTION_HEIGHT + CaptionedStack.GAP + 60,
        ImageIO.read(docs.resolve("fashion-mnist/reconstructions.png").toFile()).getHeight());
    assertEquals(1, panels.dits(), "only the last evaluated checkpoint's samples, and only where the file exists");
    BufferedImage stacked = ImageIO.read(docs.resolve("reconstructions.png").toFile());
    assertEquals(300, stacked.getWidth());
    assertEquals(2 * (CaptionedStack.CAPTION_HEIGHT + CaptionedStack.GAP) + 100 + 120, stacked.getHeight());
    assertEquals(0xff0000, ImageIO.read(docs.resolve("samples.png").toFile())
        .getRGB(5, CaptionedStack.CAPTION_HEIGHT + 5) & 0xffffff, "the panel is drawn below its caption");
  }

  @Test
  void anEvaluationWithoutItsNumbersIsRefusedByName() throws IOException {
    Files.createDirectories(docs.resolve("stage3"));
    Files.writeString(docs.resolve("stage3/eval.json"), "{\"psnr\": {\"mean\": 20}}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyReport.read(docs));
    assertTrue(e.getMessage().contains("ssim.mean"), e.getMessage());
  }

  private static void picture(Path png, int width, int height) throws IOException {
    Files.createDirectories(png.getParent());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, 0xff0000);
      }
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private void tokenizerEval(String folder, double psnr, double ssim, double frechet, double pooled, double grid)
      throws IOException {
    Files.createDirectories(docs.resolve(folder));
    Files.writeString(docs.resolve(folder).resolve("eval.json"), String.format(Locale.ROOT, """
        {"psnr": {"mean": %s}, "ssim": {"mean": %s}, "frechet": {"result": {"distance": %s}},
         "probes": {"latents": {"heldOutAccuracy": %s}, "latents_2x2": {"heldOutAccuracy": %s}}}
        """, psnr, ssim, frechet, pooled, grid));
  }

  /** An evaluation with the probe fields of issue 22 (per-image correctness; the baseline's pooled fit unconverged). */
  private void probeEval(String folder, String pooledCorrect, String gridCorrect) throws IOException {
    Files.createDirectories(docs.resolve(folder));
    double pooled = pooledCorrect.chars().filter(c -> c == '1').count() / 4.0;
    double grid = gridCorrect.chars().filter(c -> c == '1').count() / 4.0;
    Files.writeString(docs.resolve(folder).resolve("eval.json"), String.format(Locale.ROOT, """
        {"psnr": {"mean": 20}, "ssim": {"mean": 0.7}, "frechet": {"result": {"distance": 3}},
         "probes": {
           "latents": {"heldOutAccuracy": %s, "heldOutCount": 4, "dimensions": 8, "converged": %s,
                       "heldOutCorrect": "%s", "majorityBaseline": 0.75, "frequencyChance": 0.625},
           "latents_2x2": {"heldOutAccuracy": %s, "heldOutCount": 4, "dimensions": 32, "converged": true,
                           "heldOutCorrect": "%s"},
           "raw_pixels_pca@latents": {"heldOutAccuracy": 0.5, "heldOutCount": 4, "dimensions": 8, "converged": true}}}
        """, pooled, folder.equals("stage3"), pooledCorrect, grid, gridCorrect));
  }

  /** An evaluation as written before the distance to the tokenizer's reconstructions existed. */
  private void generationEval(String run, long step, double frechet, double frechetCfg) throws IOException {
    writeGenerationEval(run, step, String.format(Locale.ROOT, """
        {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.2},
                  "with_cfg": {"frechetDistance": %s, "classConsistency": 0.3}}}
        """, frechet, frechetCfg));
  }

  private void generationEval(String run, long step, double frechet, double frechetCfg, double toReconstructions)
      throws IOException {
    writeGenerationEval(run, step, String.format(Locale.ROOT, """
        {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.2, "frechetToReconstructions": %s},
                  "with_cfg": {"frechetDistance": %s, "classConsistency": 0.3}}}
        """, frechet, toReconstructions, frechetCfg));
  }

  private void writeGenerationEval(String run, long step, String json) throws IOException {
    Path folder = Files.createDirectories(docs.resolve("dit-" + run).resolve("step-" + step));
    Files.writeString(folder.resolve("generation.json"), json);
  }
}
