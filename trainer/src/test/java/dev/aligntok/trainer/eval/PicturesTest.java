package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.inference.image.ImageBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.Normalization;
import dev.aligntok.trainer.train.MetricsLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconstruction grid and the metrics log the loss curves ({@code charts.LossCurvesTest}) are
 * drawn from. The grid is written to a temporary directory, or to
 * {@code -Daligntok.eval.pictures=<dir>} so a person can look at it after the run.
 */
class PicturesTest {
  @TempDir
  static Path temporary;

  private static Path out() {
    String dir = System.getProperty("aligntok.eval.pictures");
    return dir == null || dir.isBlank() ? temporary : Path.of(dir);
  }

  @Test
  void gridPutsEachReconstructionUnderItsOriginalAtTheRealPixels() throws IOException {
    ImageBatch originals = TestImages.of(10, 16, 16, (n, c, y, x) -> c == n % 3 ? 1.0 : (x + y) / 30.0);
    ImageBatch reconstructions = TestImages.of(10, 16, 16, (n, c, y, x) -> c == n % 3 ? 0.9 : (x + y) / 32.0);
    ReconstructionGrid.Options options = new ReconstructionGrid.Options(4, 3, "test grid", true);
    BufferedImage grid = ReconstructionGrid.render(originals, reconstructions, options);
    // 10 images in rows of 4 → 3 pairs of rows.
    assertTrue(grid.getWidth() > 4 * 48 && grid.getHeight() > 6 * 48, grid.getWidth() + "x" + grid.getHeight());
    // Find the first tile by its exact colour: image 0 is red-dominant, enlarged 3× with nearest sampling.
    int expected = rgb(originals, 0, 5, 7);
    int found = findBlock(grid, expected, 3);
    assertTrue(found >= 0, "original pixel (5, 7) of image 0 not found as a 3×3 block");
    // Its reconstruction sits one tile (16 px × 3) and one gap lower.
    int x = found % grid.getWidth();
    int y = found / grid.getWidth() + 48 + ReconstructionGrid.GAP;
    assertEquals(rgb(reconstructions, 0, 5, 7), grid.getRGB(x, y) & 0xffffff);
    ReconstructionGrid.write(out().resolve("reconstruction-grid.png"), originals, reconstructions, options);
    BufferedImage back = ImageIO.read(out().resolve("reconstruction-grid.png").toFile());
    assertEquals(grid.getWidth(), back.getWidth());
  }

  @Test
  void gridRejectsMismatchedBatches() {
    assertThrows(IllegalArgumentException.class, () -> ReconstructionGrid.render(TestImages.constant(2, 8, 8, 0f),
        TestImages.constant(3, 8, 8, 0f), ReconstructionGrid.Options.defaults()));
  }

  @Test
  void metricsLogReadsSeriesFlattensAndToleratesAPartialLastLine() {
    MetricsLog log = MetricsLog.parse(List.of(
        "{\"step\": 0, \"loss\": 2.0, \"rec\": {\"l1\": 0.5, \"perceptual\": 1.5}, \"stage\": \"one\", \"lr\": 1e-4}",
        "",
        "{\"step\": 10, \"loss\": 1.0, \"rec\": {\"l1\": 0.25, \"perceptual\": 0.75}, \"val_psnr\": 18.5}",
        "{\"step\": 20, \"loss\": NaN}",
        "{\"step\": 30, \"loss\": 0.5, \"rec\":"), "metrics.jsonl");
    assertEquals(List.of("loss", "rec.l1", "rec.perceptual", "lr", "val_psnr"), new ArrayList<>(log.series().keySet()));
    assertEquals(3, log.series("loss").size());
    assertTrue(Double.isNaN(log.series("loss").get(2).value()));
    assertEquals(1, log.series("val_psnr").size());
    assertTrue(log.ignoredPartialLastLine());
    assertEquals(3, log.records());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> log.series("gan"));
    assertTrue(missing.getMessage().contains("rec.l1"), missing.getMessage());
  }

  @Test
  void metricsLogNamesTheBadLine() {
    IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
        () -> MetricsLog.parse(List.of("{\"step\": 1, \"loss\": 1}", "oops", "{\"step\": 2, \"loss\": 1}"), "m.jsonl"));
    assertTrue(notJson.getMessage().startsWith("m.jsonl line 2"), notJson.getMessage());
    IllegalArgumentException noStep = assertThrows(IllegalArgumentException.class,
        () -> MetricsLog.parse(List.of("{\"loss\": 1}", "{\"step\": 2}"), "m.jsonl"));
    assertTrue(noStep.getMessage().contains("line 1 has no numeric 'step'"), noStep.getMessage());
  }

  private static int findBlock(BufferedImage image, int rgb, int size) {
    for (int y = 0; y + size <= image.getHeight(); y++) {
      for (int x = 0; x + size <= image.getWidth(); x++) {
        boolean all = true;
        for (int dy = 0; dy < size && all; dy++) {
          for (int dx = 0; dx < size && all; dx++) {
            all = (image.getRGB(x + dx, y + dy) & 0xffffff) == rgb;
          }
        }
        if (all) {
          return y * image.getWidth() + x;
        }
      }
    }
    return -1;
  }

  /** 8-bit RGB of one pixel as the grid renders it. */
  private static int rgb(ImageBatch batch, int n, int y, int x) {
    int plane = batch.height() * batch.width();
    int at = batch.offset(n) + y * batch.width() + x;
    int r = Normalization.ZERO_ONE.denormalize(batch.pixels()[at]);
    int g = Normalization.ZERO_ONE.denormalize(batch.pixels()[at + plane]);
    int b = Normalization.ZERO_ONE.denormalize(batch.pixels()[at + 2 * plane]);
    return (r << 16) | (g << 8) | b;
  }
}
