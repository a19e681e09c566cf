package dev.aligntok.trainer.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.inference.image.SampleGrid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * One DiT's samples in the side-by-side figure ({@code samples.png}): the first {@link #SAMPLE_ROWS}
 * rows (classes) of its last checkpoint's sample grid.
 *
 * <p>The grids ({@code dit-<run>/step-<N>/samples-without_cfg.png}, about 1 MB each) are not committed;
 * the rows cut from them are ({@code rows-without_cfg.png} beside them), so that the figure can be drawn
 * again on a machine that never had the DiT. A DiT whose rows were lost before they were kept can have
 * a rerun ({@code dit-<run>/rerun/step-<N>/}: the same commands, tokenizer and DiT, on another machine);
 * its caption says so and gives both runs' Fréchet distances, since reruns differ across machines.
 */
final class SamplePanels {
  /** Rows (classes) of each DiT's grid in samples.png: enough to see them, few enough to keep it small. */
  static final int SAMPLE_ROWS = 4;
  static final String RERUN_FOLDER = "rerun";
  /** Without guidance where the evaluation drew it: the setting every distance of the claims is measured in. */
  private static final String[][] GRIDS = {{"without_cfg", "no CFG"}, {"with_cfg", "CFG 3"}};

  private SamplePanels() {}

  /**
   * The panel of the DiT in {@code ditFolder} at {@code step} (its own run's rows, else a rerun's), or
   * empty when neither has a grid or rows. Cuts and keeps the rows of every grid it finds.
   */
  static Optional<CaptionedStack.Panel> of(Path ditFolder, String label, long step, double publishedFrechet) {
    String caption = label + " latents, DiT step " + step;
    Optional<CaptionedStack.Panel> own = panel(ditFolder.resolve("step-" + step), caption);
    if (own.isPresent()) {
      return own;
    }
    Path rerun = ditFolder.resolve(RERUN_FOLDER).resolve("step-" + step);
    return panel(rerun, caption + rerunNote(rerun, publishedFrechet));
  }

  private static Optional<CaptionedStack.Panel> panel(Path folder, String caption) {
    for (String[] grid : GRIDS) {
      Path full = folder.resolve("samples-" + grid[0] + ".png");
      Path rows = folder.resolve("rows-" + grid[0] + ".png");
      if (Files.isRegularFile(full)) {
        ReconstructionGrid.writePng(rows, SampleGrid.firstRows(StudyReport.readPng(full), SAMPLE_ROWS));
      }
      if (Files.isRegularFile(rows)) {
        return Optional.of(new CaptionedStack.Panel(caption + ", " + grid[1], StudyReport.readPng(rows)));
      }
    }
    return Optional.empty();
  }

  /**
   * ", a rerun of DiT and tokenizer (Fréchet 5.20 [4.70, 5.70]; the published run 5.04)", as far as
   * the rerun's report has them.
   */
  private static String rerunNote(Path rerun, double publishedFrechet) {
    String published = String.format(Locale.ROOT, "the published run %.2f", publishedFrechet);
    Path report = rerun.resolve("generation.json");
    if (!Files.isRegularFile(report)) {
      return ", a rerun (" + published + ")";
    }
    JsonNode noCfg = StudyReport.readTree(new ObjectMapper(), report).path("runs").path("without_cfg");
    JsonNode interval = noCfg.path("frechetInterval");
    String rerunFrechet = String.format(Locale.ROOT, "%.2f", noCfg.path("frechetDistance").asDouble(Double.NaN))
        + (interval.has("lower") ? String.format(Locale.ROOT, " [%.2f, %.2f]",
            interval.path("lower").asDouble(), interval.path("upper").asDouble()) : "");
    return ", a rerun of DiT and tokenizer (Fréchet " + rerunFrechet + "; " + published + ")";
  }
}
