package dev.aligntok.trainer.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.train.MetricsLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss-curve chart. It is written to a temporary directory, or to
 * {@code -Daligntok.eval.pictures=<dir>} so a person can look at it after the run.
 */
class LossCurvesTest {
  @TempDir
  static Path temporary;

  private static Path out() {
    String dir = System.getProperty("aligntok.eval.pictures");
    return dir == null || dir.isBlank() ? temporary : Path.of(dir);
  }

  @Test
  void lossCurvesDrawLinearAndLogCharts() throws IOException {
    Files.createDirectories(out());
    Path jsonl = out().resolve("metrics.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int step = 0; step <= 3000; step += 25) {
      double noise = Math.sin(step * 0.37) * 0.08;
      lines.append(String.format(Locale.ROOT,
          "{\"step\": %d, \"loss\": %.6f, \"l1\": %.6f, \"perceptual\": %.6f, \"l_sp\": %.6f, \"steps_per_s\": 1.2}%n",
          step, 1.6 * Math.exp(-step / 700.0) + 0.25 + noise, 0.4 * Math.exp(-step / 900.0) + 0.05 + noise / 4,
          1.0 * Math.exp(-step / 500.0) + 0.2 + noise / 2, step < 1000 ? 0.0 : 0.002 + 0.01 * Math.exp(-(step - 1000) / 400.0)));
    }
    Files.writeString(jsonl, lines);
    MetricsLog log = MetricsLog.read(jsonl);
    BufferedImage linear = LossCurves.render(log, LossCurves.Options.defaults().withSmoothing(0.6));
    assertEquals(960, linear.getWidth());
    assertEquals(540, linear.getHeight());
    assertFalse(isBlank(linear));
    LossCurves.write(jsonl, out().resolve("loss-curves.png"), LossCurves.Options.defaults().withSmoothing(0.6));
    // Log scale: l_sp is 0 before step 1000, which a log axis cannot show; those points are gaps.
    LossCurves.write(jsonl, out().resolve("loss-curves-log.png"),
        LossCurves.Options.defaults().withLogY(true).withTitle("training losses (log scale)"));
    assertTrue(Files.size(out().resolve("loss-curves-log.png")) > 1000);
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> LossCurves.render(log, LossCurves.Options.defaults().withSeries(List.of("gan"))));
    assertTrue(unknown.getMessage().contains("no series 'gan'"), unknown.getMessage());
  }

  @Test
  void theLegendGoesToTheCornerThatHidesTheLeastOfTheCurves() {
    java.awt.Rectangle plot = new java.awt.Rectangle(70, 40, 800, 400);
    List<java.awt.Point> rising = new java.util.ArrayList<>();
    for (int x = 70; x <= 870; x += 4) {
      rising.add(new java.awt.Point(x, 440 - (x - 70) / 2)); // bottom left to top right
    }
    java.awt.Rectangle box = LossCurves.legendBox(plot, rising, 200, 50);
    assertEquals(new java.awt.Rectangle(80, 50, 200, 50), box, "top left: the rising curve ends in the top right");

    List<java.awt.Point> falling = rising.stream().map(p -> new java.awt.Point(p.x, 480 - p.y)).toList();
    assertEquals(new java.awt.Rectangle(660, 50, 200, 50), LossCurves.legendBox(plot, falling, 200, 50),
        "a falling curve leaves the top right free: the usual place");
  }

  @Test
  void axisTicksAreRoundNumbers() {
    LossCurves.Axis axis = LossCurves.Axis.linear(0.013, 0.87);
    assertEquals(0.0, axis.min(), 1e-12);
    assertEquals(1.0, axis.max(), 1e-12);
    assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1"),
        axis.ticks().stream().map(LossCurves.Axis.Tick::label).toList());
    LossCurves.Axis log = LossCurves.Axis.log(0.003, 2.5);
    assertEquals(0.001, log.min(), 1e-15);
    assertEquals(10, log.max(), 1e-12);
    assertEquals("1500", LossCurves.Axis.format(1500));
    assertEquals("15k", LossCurves.Axis.format(15000));
    assertEquals("1.2e-4", LossCurves.Axis.format(0.00012));
    assertEquals("1e-5", LossCurves.Axis.format(0.00001));
  }
  @Test
  void defaultSeriesLeaveOutBookkeepingFields() throws IOException {
    Path jsonl = temporary.resolve("bookkeeping.jsonl");
    Files.write(jsonl, List.of(
        "{\"step\": 0, \"loss\": 2.0, \"rec\": {\"l1\": 0.5, \"perceptual\": 1.5}, \"stage\": \"one\", \"lr\": 1e-4}",
        "",
        "{\"step\": 10, \"loss\": 1.0, \"rec\": {\"l1\": 0.25, \"perceptual\": 0.75}, \"val_psnr\": 18.5}",
        "{\"step\": 20, \"loss\": NaN}",
        "{\"step\": 30, \"loss\": 0.5, \"rec\":"));
    MetricsLog log = MetricsLog.read(jsonl);
    assertEquals(List.of("loss", "rec.l1", "rec.perceptual", "val_psnr"), LossCurves.defaultSeries(log));
  }

  @Test
  void writeIntoPutsTheChartNextToTheReport(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\": 0, \"loss\": 1.0}\n{\"step\": 5, \"loss\": 0.5}\n");
    Path curves = LossCurves.writeInto(dir.resolve("metrics.jsonl"), dir, LossCurves.Options.defaults());
    assertEquals(dir.resolve(LossCurves.FILE), curves);
    assertEquals(960, ImageIO.read(curves.toFile()).getWidth());
  }

  private static boolean isBlank(BufferedImage image) {
    int first = image.getRGB(0, 0);
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        if (image.getRGB(x, y) != first) {
          return false;
        }
      }
    }
    return true;
  }
}
