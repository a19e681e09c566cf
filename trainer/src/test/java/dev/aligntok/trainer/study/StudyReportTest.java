package dev.aligntok.trainer.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.SampleGrid;
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
    // paired by seed (issue 22): the seeds both have ("first", seed-2) differ by 10 and 8 points → +9.0 ± 1.0/√2·√2
    assertTrue(markdown.contains("- full method − old baseline: pooled (C) +9.0 ± 1.0 (paired by seed, k = 2, 9.0 SE)"),
        markdown);
    // PSNR: 20 − 19 and 21 − 19 → +1.50 ± 0.50
    assertTrue(markdown.contains("- full method − old baseline: PSNR (dB) +1.50 ± 0.50 (paired by seed, k = 2, 3.0 SE)"),
        markdown);
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
    assertTrue(before.contains("| AlignTok (first study) | 500 | 5.00 | 5.50 | not measured | 20.0 % | 30.0 % |"), before);
    assertEquals(2, StudyReport.read(docs).speedups().size(), "older evaluations: no third speed-up");

    generationEval("baseline", 500, 6.0, 6.5, 2.5);
    generationEval("alignTok", 500, 5.0, 5.5, 2.75);
    StudyReport report = StudyReport.read(docs);

    assertTrue(report.markdown().contains("| AlignTok (first study) | 500 | 5.00 | 5.50 | 2.75 | 20.0 % | 30.0 % |"), report.markdown());
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
    assertEquals(CaptionedStack.CAPTION_HEIGHT + CaptionedStack.GAP + 90,
        ImageIO.read(docs.resolve("samples.png").toFile()).getHeight(), "a grid without rows to cut stays whole");
    BufferedImage stacked = ImageIO.read(docs.resolve("reconstructions.png").toFile());
    assertEquals(300, stacked.getWidth());
    assertEquals(2 * (CaptionedStack.CAPTION_HEIGHT + CaptionedStack.GAP) + 100 + 120, stacked.getHeight());
    assertEquals(0xff0000, ImageIO.read(docs.resolve("samples.png").toFile())
        .getRGB(5, CaptionedStack.CAPTION_HEIGHT + 5) & 0xffffff, "the panel is drawn below its caption");
  }

  @Test
  void samplesSideBySideAreTheUnguidedGridsFirstRows() throws IOException {
    generationEval("vanilla-c32", 1000, 5.0, 5.5);
    float[] pixels = new float[6 * 2 * 3 * 8 * 8];
    java.util.Arrays.fill(pixels, 0.3f);
    BufferedImage grid = SampleGrid.render(new ImageBatch(pixels, 12, 8, 8), List.of("a", "b", "c", "d", "e", "f"), 2, 2,
        "samples");
    Path folder = Files.createDirectories(docs.resolve("dit-vanilla-c32/step-1000"));
    ImageIO.write(grid, "png", folder.resolve("samples-without_cfg.png").toFile());
    picture(folder.resolve("samples-with_cfg.png"), 50, 50);

    assertEquals(1, StudyReport.read(docs).writeSideBySide(docs).dits());
    BufferedImage samples = ImageIO.read(docs.resolve("samples.png").toFile());
    assertEquals(CaptionedStack.CAPTION_HEIGHT + CaptionedStack.GAP + 28 + 4 + SamplePanels.SAMPLE_ROWS * (16 + 4),
        samples.getHeight(), "the title and " + SamplePanels.SAMPLE_ROWS + " of the 6 rows of the grid without CFG");
    assertEquals(grid.getWidth(), samples.getWidth());
  }

  @Test
  void theRowsCutFromAGridAreKeptSoThatTheFigureOutlivesTheGrid() throws IOException {
    generationEval("vanilla-c8", 1000, 5.0, 5.5);
    Path folder = Files.createDirectories(docs.resolve("dit-vanilla-c8/step-1000"));
    ImageIO.write(sixRowGrid(), "png", folder.resolve("samples-without_cfg.png").toFile());
    StudyReport.read(docs).writeSideBySide(docs);
    byte[] figure = Files.readAllBytes(docs.resolve("samples.png"));
    assertTrue(Files.isRegularFile(folder.resolve("rows-without_cfg.png")), "the rows, kept beside the grid");

    // Another machine: the clone has the rows, not the grid (git-ignored, ~1 MB).
    Files.delete(folder.resolve("samples-without_cfg.png"));
    Files.delete(docs.resolve("samples.png"));
    assertEquals(1, StudyReport.read(docs).writeSideBySide(docs).dits());
    assertArrayEquals(figure, Files.readAllBytes(docs.resolve("samples.png")), "the same figure from the kept rows");
  }

  @Test
  void aDitWhoseRowsWereLostIsShownByItsRerunWhoseCaptionSaysSoWithBothDistances() throws IOException {
    generationEval("alignTok-c32", 1000, 3.8, 3.9);
    Path rerun = Files.createDirectories(docs.resolve("dit-alignTok-c32/rerun/step-1000"));
    ImageIO.write(sixRowGrid(), "png", rerun.resolve("samples-without_cfg.png").toFile());
    Files.writeString(rerun.resolve("generation.json"), """
        {"runs": {"without_cfg": {"frechetDistance": 3.91, "frechetInterval": {"lower": 3.52, "upper": 4.3}}}}""");

    CaptionedStack.Panel panel = SamplePanels.of(docs.resolve("dit-alignTok-c32"), "AlignTok C = 32", 1000, 3.8).orElseThrow();

    assertEquals("AlignTok C = 32 latents, DiT step 1000, a rerun of DiT and tokenizer (Fréchet 3.91 [3.52, 4.30]; "
        + "the published run 3.80), no CFG", panel.caption());
    assertTrue(Files.isRegularFile(rerun.resolve("rows-without_cfg.png")));
    assertEquals(1, StudyReport.read(docs).writeSideBySide(docs).dits());
    assertFalse(Files.exists(docs.resolve("dit-alignTok-c32/step-1000/rows-without_cfg.png")), "nothing is made up for the lost run");
    assertTrue(SamplePanels.of(docs.resolve("dit-vanilla-c32"), "vanilla", 1000, 5.0).isEmpty(), "neither run: no panel");
  }

  private static BufferedImage sixRowGrid() {
    float[] pixels = new float[6 * 2 * 3 * 8 * 8];
    java.util.Arrays.fill(pixels, 0.6f);
    return SampleGrid.render(new ImageBatch(pixels, 12, 8, 8), List.of("a", "b", "c", "d", "e", "f"), 2, 2, "samples");
  }

  @Test
  void anEvaluationWithoutItsNumbersIsRefusedByName() throws IOException {
    Files.createDirectories(docs.resolve("stage3"));
    Files.writeString(docs.resolve("stage3/eval.json"), "{\"psnr\": {\"mean\": 20}}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyReport.read(docs));
    assertTrue(e.getMessage().contains("ssim.mean"), e.getMessage());
  }

  @Test
  void aDamagedEvaluationFileIsRefusedWithItsPathAndPlace() throws IOException {
    Files.createDirectories(docs.resolve("vanilla-c8"));
    Files.writeString(docs.resolve("vanilla-c8/eval.json"), "{\"psnr\": {\"mean\": 20,\n  \"broken");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyReport.read(docs));
    assertTrue(e.getMessage().contains("vanilla-c8/eval.json") && e.getMessage().contains("not valid JSON")
        && e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void unpairedSeedsFallBackToTheSpreadOverSeeds() throws IOException {
    tokenizerEval("stage3/seed-1", 20, 0.70, 3, 0.70, 0.80);
    tokenizerEval("stage3/seed-2", 22, 0.72, 5, 0.74, 0.80);
    tokenizerEval("vanilla-c8/seed-3", 19, 0.69, 3.4, 0.60, 0.70);
    tokenizerEval("vanilla-c8/seed-4", 19, 0.69, 3.4, 0.64, 0.70);
    String markdown = StudyReport.read(docs).markdown();
    // no seed in common: 0.72 − 0.62, SE √(0.028284²/2 + 0.028284²/2) = 2.83 points
    assertTrue(markdown.contains("- full method − fair baseline, C = 8: pooled (C) +10.0 ± 2.8 (over seeds, k = 2, 3.5 SE)"),
        markdown);
  }

  @Test
  void aDifferenceWithASingleRunOnOneSideSaysSoInsteadOfOneRunEach() throws IOException {
    tokenizerEval("stage2-wsp1/seed-3", 20, 0.70, 3, 0.70, 0.80);
    tokenizerEval("stage2-wsp0", 21, 0.72, 4, 0.74, 0.80);
    tokenizerEval("stage2-wsp0/seed-2", 23, 0.72, 4, 0.74, 0.80);
    String markdown = StudyReport.read(docs).markdown();
    assertTrue(markdown.contains("- w_sp = 1 − w_sp = 0: PSNR (dB) -2.00 (one side has a single run: no spread measured)"),
        markdown);
  }

  @Test
  void aSeedTheOtherSideDoesNotHaveYetIsLeftOutOfTheDifference() throws IOException {
    // the encoder-LR run has seed 7 only; stage 2 at 1e-3 has seed 7 and a further seed
    tokenizerEval("stage2-wsp1-elr1e-4", 20.0, 0.70, 3.0, 0.3, 0.70, 0.80);
    tokenizerEval("stage2-wsp1", 20.5, 0.71, 3.4, 0.4, 0.72, 0.80);
    tokenizerEval("stage2-wsp1/seed-11", 22.0, 0.75, 2.0, 0.2, 0.74, 0.80);
    String markdown = StudyReport.read(docs).markdown();
    // seed 7 against seed 7 (not against the mean of 20.5 and 22.0), with seed 7's bootstrap errors: √(0.3² + 0.4²) = 0.5
    assertTrue(markdown.contains("- stage-2 encoder LR 1e-4 − 1e-3: PSNR (dB) -0.50 (on the one run both have: no spread measured); "
        + "SSIM -0.010 (on the one run both have: no spread measured); "
        + "Fréchet -0.40 ± 0.50 (bootstrap, on the one run both have, -0.8 SE)"), markdown);
    assertTrue(markdown.contains("- stage-2 encoder LR 1e-4 − 1e-3: pooled (C) -2.0 (no standard error: held-out count unknown)"),
        "the probe difference is of the shared first runs too: " + markdown);
  }

  @Test
  void twoSeedsThatAgreeMoreCloselyThanTheirSamplesAllowAreFlooredAtTheBootstraps() throws IOException {
    tokenizerEval("stage2-wsp1", 20.0, 0.70, 3.30, 0.12, 0.70, 0.80);
    tokenizerEval("stage2-wsp1/seed-11", 20.5, 0.71, 2.80, 0.12, 0.72, 0.80);
    tokenizerEval("stage2-wsp0", 21.5, 0.74, 3.10, 0.12, 0.70, 0.80);
    tokenizerEval("stage2-wsp0/seed-11", 22.0, 0.75, 2.56, 0.12, 0.72, 0.80);
    String markdown = StudyReport.read(docs).markdown();
    // per-seed differences 0.20 and 0.24: sd/√2 = 0.02, but the samples allow √(4 × 0.12²) / 2 = 0.12
    assertTrue(markdown.contains("Fréchet +0.22 ± 0.12 (paired by seed, floored at the bootstraps, k = 2, 1.8 SE)"), markdown);
  }

  @Test
  void psnrDifferencesOfSeedsThatAgreeCloselyAreFlooredAtTheHeldOutImages() throws IOException {
    for (String[] run : new String[][] {{"stage2-wsp1", "20.00"}, {"stage2-wsp1/seed-11", "20.50"},
        {"stage2-wsp0", "21.56"}, {"stage2-wsp0/seed-11", "22.06"}}) {
      Files.createDirectories(docs.resolve(run[0]));
      Files.writeString(docs.resolve(run[0]).resolve("eval.json"), """
          {"psnr": {"mean": %s, "std": 2.0, "count": 400}, "ssim": {"mean": 0.7}, "frechet": {"result": {"distance": 3}},
           "probes": {"latents": {"heldOutAccuracy": 0.7}, "latents_2x2": {"heldOutAccuracy": 0.8}}}
          """.formatted(run[1]));
    }
    String markdown = StudyReport.read(docs).markdown();
    // −1.56 dB in both seeds: sd 0; each run's mean moves by 2/√400 = 0.1 with other images, so a seed's
    // difference by √2 × 0.1 and the mean of two by 0.1
    assertTrue(markdown.contains("- w_sp = 1 − w_sp = 0: PSNR (dB) -1.56 ± 0.10 (paired by seed, floored at the held-out images, "
        + "unpaired, k = 2, -15.6 SE); SSIM +0.000 ± 0.000 (paired by seed, k = 2)"), markdown);
  }

  @Test
  void probeDifferencesOfSeedsThatAgreeExactlyAreFlooredAtTheHeldOutImages() throws IOException {
    probeEval("stage2-wsp1", "1110", "1111");
    probeEval("stage2-wsp1/seed-11", "1101", "1111");
    probeEval("stage2-wsp0", "1100", "1111");
    probeEval("stage2-wsp0/seed-11", "1001", "1111");
    String markdown = StudyReport.read(docs).markdown();
    // +25 points in both seeds: sd 0; each seed's paired SE √((1/4 − 1/16) / 4) = 21.65 points, mean of two: 15.3
    assertTrue(markdown.contains("- w_sp = 1 − w_sp = 0: pooled (C) +25.0 ± 15.3 (paired by seed, floored at the held-out images, "
        + "k = 2, 1.6 SE)"), markdown);
  }

  @Test
  void aSharedRunThatIsNotBothFirstRunsIsComparedWithoutPerImageMarks() throws IOException {
    probeEval("stage3/seed-11", "1110", "1111");
    probeEval("vanilla-c8", "1000", "1100");
    probeEval("vanilla-c8/seed-11", "1100", "1100");
    String markdown = StudyReport.read(docs).markdown();
    // seed 11 is stage 3's first run but not the baseline's: its per-image marks are not kept, so no pairing by image
    assertTrue(markdown.contains("- full method − fair baseline, C = 8: pooled (C) +25.0 (on the one run both have: no spread measured)"),
        markdown);
  }

  @Test
  void fairBaselineC32AndUnknownFoldersAreShownAndTheOldBaselineKeepsItsName() throws IOException {
    tokenizerEval("vanilla-c8", 19.5, 0.70, 3.2, 0.66, 0.70);
    tokenizerEval("vanilla-c32", 23.0, 0.80, 2.0, 0.60, 0.68);
    tokenizerEval("baseline", 17.0, 0.65, 4.3, 0.70, 0.69);
    tokenizerEval("stage2-wsp1-lr3", 20.0, 0.70, 3.0, 0.70, 0.70);
    StudyReport report = StudyReport.read(docs);
    String markdown = report.markdown();
    assertTrue(markdown.contains("| fair baseline (GroupNorm CNN encoder), C = 32 | 23.00 | 0.800 | 2.00 | 60.0 % | 68.0 % |"),
        markdown);
    assertTrue(markdown.contains("| old baseline: MobileNetV2 with BatchNorm folded away, from scratch, no EMA | 17.00 |"),
        markdown);
    assertTrue(markdown.contains("| stage2-wsp1-lr3 | 20.00 |"), "a folder the report does not know: " + markdown);
    assertTrue(markdown.contains("| full method, C = 32 | not evaluated yet |"), markdown);
    // the frontier: the fair baseline at both widths, the full method not yet
    assertTrue(markdown.contains("| fair baseline | 32 | 23.00 | 0.800 | 2.00 | 1 | vanilla-c32 |"), markdown);
    assertTrue(markdown.contains("| full method | 32 | not evaluated yet | | | | stage3-c32 |"), markdown);
    String fashion = markdown.substring(markdown.indexOf("## Tokenizers on Fashion-MNIST"),
        markdown.indexOf("## Diffusion convergence"));
    assertFalse(fashion.contains("C = 32"), "the Fashion-MNIST table does not expect the width study");
  }

  @Test
  void frechetIntervalsAndClassConsistencyChanceAreQuoted() throws IOException {
    Files.createDirectories(docs.resolve("stage3"));
    Files.writeString(docs.resolve("stage3/eval.json"), """
        {"psnr": {"mean": 20}, "ssim": {"mean": 0.7}, "latents": {"channels": 8},
         "frechet": {"result": {"distance": 2.81}, "interval": {"lower": 2.5, "upper": 3.12, "standardError": 0.16}},
         "probes": {"latents": {"heldOutAccuracy": 0.7}, "latents_2x2": {"heldOutAccuracy": 0.7}}}
        """);
    intervalEval("alignTok", 500, 5.34, 5.0, 5.68, 0.17);
    String markdown = StudyReport.read(docs).markdown();
    assertTrue(markdown.contains("| full method: stages 1+2 (w_sp = 1) + 3 | 20.00 | 0.700 | 2.81 [2.50, 3.12] |"), markdown);
    assertTrue(markdown.contains("| AlignTok (first study) | 500 | 5.34 [5.00, 5.68] | 5.50 | 2.00 [1.80, 2.20] | 4.9 % (chance 5.1 %) "
        + "| 6.0 % |"), markdown);
  }

  @Test
  void claimsAreJudgedAgainstTheBootstrapSpreadOrSaidToBeUnmeasured() throws IOException {
    StudyReport empty = StudyReport.read(docs);
    assertTrue(empty.claims().stream().allMatch(c -> c.verdict().equals("not measured yet")), empty.claims().toString());
    assertTrue(empty.markdown().contains("| at C = 32 the AlignTok DiT converges faster than the fair baseline's "
        + "(Fréchet to the held-out images) | not measured yet | no evaluation with this distance in "
        + "docs/study/dit-alignTok-c32, docs/study/dit-vanilla-c32 |"), empty.markdown());

    // C = 32: AlignTok at 500 already below the fair baseline's final 6.0, and at 1000 lower by 2.0 ± √(0.2² + 0.2²);
    // to the reconstructions it reaches the baseline's final 2.0 only at step 1000, lower by 0.1 ± √(0.1² + 0.1²)
    intervalEval("vanilla-c32", 500, 8.0, 7.6, 8.4, 0.2, 3.0);
    intervalEval("vanilla-c32", 1000, 6.0, 5.6, 6.4, 0.2, 2.0);
    intervalEval("alignTok-c32", 500, 5.9, 5.5, 6.3, 0.2, 2.9);
    intervalEval("alignTok-c32", 1000, 4.0, 3.6, 4.4, 0.2, 1.9);
    // C = 8: faster, but the gap (0.2) is within the bootstrap spread
    // (to the reconstructions it ends higher: 2.3 against 2.0)
    intervalEval("vanilla-c8", 500, 6.0, 5.6, 6.4, 0.2, 3.0);
    intervalEval("vanilla-c8", 1000, 5.0, 4.6, 5.4, 0.2, 2.0);
    intervalEval("alignTok-c8", 500, 4.9, 4.5, 5.3, 0.2, 2.9);
    intervalEval("alignTok-c8", 1000, 4.8, 4.4, 5.2, 0.2, 2.3);
    StudyReport report = StudyReport.read(docs);
    List<StudyReport.Claim> claims = report.claims();
    assertEquals("holds: faster, beyond the bootstrap spread (one DiT seed each: samples, not seeds) (gap > 2 SE)",
        claims.get(0).verdict(), claims.get(0).evidence());
    assertTrue(claims.get(0).evidence().contains("AlignTok, C = 32 is there by step 500 (2.0× fewer steps)")
        && claims.get(0).evidence().contains("lower by 2.00 ± 0.28 (bootstrap, 7.1 SE)"), claims.get(0).evidence());
    assertTrue(claims.get(1).statement().endsWith("(Fréchet to the tokenizer's own reconstructions: the DiT apart from "
        + "its decoder)"), claims.get(1).statement());
    assertEquals("does not hold at this scale", claims.get(1).verdict(), claims.get(1).evidence());
    assertTrue(claims.get(1).evidence().contains("fair baseline, C = 32 ends at 2.00 after 1000 steps; AlignTok, C = 32 "
        + "is there by step 1000 (1.0× fewer steps); at step 1000 AlignTok is lower by 0.10 ± 0.14 (bootstrap, 0.7 SE)"),
        claims.get(1).evidence());
    assertEquals("not shown: faster at the evaluated checkpoints, but within the bootstrap spread (one DiT seed each: "
        + "samples, not seeds)", claims.get(2).verdict());
    assertEquals("does not hold at this scale", claims.get(3).verdict());
    assertTrue(claims.get(3).evidence().endsWith("at step 1000 AlignTok is higher by 0.30 ± 0.14 (bootstrap, 2.1 SE)"),
        claims.get(3).evidence());
    assertEquals("not measured yet", claims.get(4).verdict(), "no old-baseline DiT here");
    assertEquals(6, claims.size(), "three claims, each on both distances");

    assertEquals(2, report.writeFrontierPlot(docs.resolve("frontier.png")),
        "no tokenizer rows: only the DiT panels, one per distance");
    assertTrue(Files.isRegularFile(docs.resolve("frontier.png")));
  }

  @Test
  void frontierPlotHasReconstructionPanelsWithSeedErrorBars() throws IOException {
    tokenizerEval("stage3", 20, 0.70, 3, 0.70, 0.80);
    tokenizerEval("stage3/seed-2", 21, 0.71, 4, 0.72, 0.80);
    tokenizerEval("vanilla-c8", 19, 0.69, 3.4, 0.60, 0.70);
    tokenizerEval("vanilla-c32", 23, 0.80, 2.0, 0.60, 0.70);
    StudyReport report = StudyReport.read(docs);
    assertEquals(2, report.writeFrontierPlot(docs.resolve("frontier.png")), "PSNR and Fréchet; no DiT yet");
    BufferedImage png = ImageIO.read(docs.resolve("frontier.png").toFile());
    assertEquals(960, png.getWidth());
    assertEquals(2 * (CaptionedStack.CAPTION_HEIGHT + 540 + CaptionedStack.GAP), png.getHeight());
    assertEquals(0, StudyReport.read(docs.resolve("nothing")).writeFrontierPlot(docs.resolve("none.png")));
    assertFalse(Files.exists(docs.resolve("none.png")));
  }

  @Test
  void severalDitSeedsGiveMeanAndSd() throws IOException {
    generationEval("alignTok", 500, 5.0, 5.5);
    Path seed = Files.createDirectories(docs.resolve("dit-alignTok/seed-2/step-500"));
    Files.writeString(seed.resolve("generation.json"), """
        {"runs": {"without_cfg": {"frechetDistance": 6.0, "classConsistency": 0.2},
                  "with_cfg": {"frechetDistance": 6.5, "classConsistency": 0.3}}}
        """);
    StudyReport.GenerationPoint point = StudyReport.read(docs).generation().get(0);
    assertEquals(2, point.frechet().seeds());
    assertEquals(5.5, point.frechet().value(), 1e-12);
    assertTrue(StudyReport.read(docs).markdown().contains("| AlignTok (first study) | 500 | 5.50 ± 0.71 (2 seeds) |"));
  }

  @Test
  void theC32ClaimIsJudgedAgainstTheDitSeedsSpreadWhenBothHaveSeeds() throws IOException {
    for (int step : new int[] {250, 500, 750, 1000}) {
      intervalEval("vanilla-c32", step, 9.0 - step / 250.0, 0, 20, 0.1);
      intervalEval("alignTok-c32", step, 8.0 - step / 250.0, 0, 20, 0.1);
    }
    for (String seed : List.of("11", "13")) {
      double shift = seed.equals("11") ? 0.2 : -0.2;
      Path vanilla = Files.createDirectories(docs.resolve("dit-vanilla-c32/seed-" + seed + "/step-1000"));
      Files.writeString(vanilla.resolve("generation.json"), String.format(Locale.ROOT, """
          {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.05, "frechetToReconstructions": 3.0},
                    "with_cfg": {"frechetDistance": 5.5, "classConsistency": 0.06}}}
          """, 5.0 + shift));
      Path aligned = Files.createDirectories(docs.resolve("dit-alignTok-c32/seed-" + seed + "/step-1000"));
      Files.writeString(aligned.resolve("generation.json"), String.format(Locale.ROOT, """
          {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.05, "frechetToReconstructions": 2.0},
                    "with_cfg": {"frechetDistance": 5.5, "classConsistency": 0.06}}}
          """, 4.0 - shift));
    }
    StudyReport.Claim claim = StudyReport.read(docs).claims().get(0);
    // vanilla 5, 5.2, 4.8 (sd 0.2); AlignTok 4, 3.8, 4.2 (sd 0.2): gap 1.00 ± √(0.04/3 + 0.04/3) = 0.16
    assertEquals("holds: faster, beyond the seeds' spread (gap > 2 SE)", claim.verdict(), claim.evidence());
    assertTrue(claim.evidence().contains("lower by 1.00 ± 0.16 (seeds' spread, 6.1 SE)"), claim.evidence());
  }

  @Test
  void seedsThatAgreeMoreCloselyThanTheirSamplesAllowAreJudgedOnTheSamplesError() throws IOException {
    for (int step : new int[] {250, 500, 750, 1000}) {
      intervalEval("vanilla-c32", step, 9.0 - step / 250.0, 0, 20, 0.3);
      intervalEval("alignTok-c32", step, 8.0 - step / 250.0, 0, 20, 0.3);
    }
    for (String seed : List.of("11", "13")) {
      double shift = seed.equals("11") ? 0.01 : -0.01;
      writeGenerationEval("vanilla-c32/seed-" + seed, 1000, seededEval(5.0 + shift, 0.3));
      writeGenerationEval("alignTok-c32/seed-" + seed, 1000, seededEval(4.0 - shift, 0.3));
    }
    StudyReport.Claim claim = StudyReport.read(docs).claims().get(0);
    // sd over seeds 0.01 (SE 0.006), but each mean of 3 evaluations with bootstrap SE 0.3 is known to
    // √(3 · 0.09)/3 = 0.17 only: the gap is 1.00 ± √(2 · 0.03) = 0.24, not ± 0.008.
    assertEquals("holds: faster, beyond the seeds' spread, floored at the samples' bootstrap error (gap > 2 SE)",
        claim.verdict(), claim.evidence());
    assertTrue(claim.evidence().contains("lower by 1.00 ± 0.24 (seeds' spread, floored at the samples' bootstrap"
        + " error, 4.1 SE)"), claim.evidence());
  }

  private static String seededEval(double frechet, double se) {
    return String.format(Locale.ROOT, """
        {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.05, "frechetToReconstructions": 2.0,
                                  "frechetInterval": {"lower": 0, "upper": 20, "standardError": %s}},
                  "with_cfg": {"frechetDistance": 5.5, "classConsistency": 0.06}}}
        """, frechet, se);
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
    tokenizerEval(folder, psnr, ssim, frechet, Double.NaN, pooled, grid);
  }

  /** With the Fréchet distance's bootstrap interval (distance ± 1.96 SE) unless {@code frechetError} is NaN. */
  private void tokenizerEval(String folder, double psnr, double ssim, double frechet, double frechetError, double pooled,
                             double grid) throws IOException {
    String interval = Double.isNaN(frechetError) ? "" : String.format(Locale.ROOT,
        ", \"interval\": {\"lower\": %s, \"upper\": %s, \"standardError\": %s}",
        frechet - 1.96 * frechetError, frechet + 1.96 * frechetError, frechetError);
    Files.createDirectories(docs.resolve(folder));
    Files.writeString(docs.resolve(folder).resolve("eval.json"), String.format(Locale.ROOT, """
        {"psnr": {"mean": %s}, "ssim": {"mean": %s}, "frechet": {"result": {"distance": %s}%s},
         "probes": {"latents": {"heldOutAccuracy": %s}, "latents_2x2": {"heldOutAccuracy": %s}}}
        """, psnr, ssim, frechet, interval, pooled, grid));
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

  /** An evaluation with a bootstrap interval of the no-CFG Fréchet and the class-consistency chance (issue 22). */
  private void intervalEval(String run, long step, double frechet, double lower, double upper, double se)
      throws IOException {
    intervalEval(run, step, frechet, lower, upper, se, 2.0);
  }

  /** The same, and a distance to the tokenizer's reconstructions with a bootstrap standard error of 0.1. */
  private void intervalEval(String run, long step, double frechet, double lower, double upper, double se,
      double toReconstructions) throws IOException {
    writeGenerationEval(run, step, String.format(Locale.ROOT, """
        {"runs": {"without_cfg": {"frechetDistance": %s, "classConsistency": 0.049, "frechetToReconstructions": %s,
                                  "classConsistencyChance": 0.051,
                                  "frechetInterval": {"lower": %s, "upper": %s, "standardError": %s},
                                  "frechetToReconstructionsInterval": {"lower": %s, "upper": %s, "standardError": 0.1}},
                  "with_cfg": {"frechetDistance": 5.5, "classConsistency": 0.06}}}
        """, frechet, toReconstructions, lower, upper, se, toReconstructions - 0.196, toReconstructions + 0.196));
  }

  private void writeGenerationEval(String run, long step, String json) throws IOException {
    Path folder = Files.createDirectories(docs.resolve("dit-" + run).resolve("step-" + step));
    Files.writeString(folder.resolve("generation.json"), json);
  }
}
