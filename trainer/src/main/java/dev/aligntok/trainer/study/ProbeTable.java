package dev.aligntok.trainer.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aligntok.trainer.eval.AccuracyDifference;
import dev.aligntok.trainer.eval.TokenizerEvaluation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The linear probes of one tokenizer table, read from each variant's {@code eval.json}: held-out
 * accuracy ± its binomial standard error for the pooled, 2×2 and whole latents, the same-width
 * references (raw pixels and frozen encoder cut by PCA to each latent probe's width), the chance
 * levels, and the differences between the deciding variants with their own standard errors
 * (paired on the same held-out images when both evaluations kept per-image correctness). Fields an
 * older evaluation lacks are shown as "—" or left out, never guessed.
 */
public final class ProbeTable {
  /** The latent probes, in column order, with their headers. */
  static final Map<String, String> LATENT_PROBES = columns();

  /** Differences shown below the table: a − b, when both variants were evaluated. */
  static final List<StudyReport.Comparison> DIFFERENCES = StudyReport.DECIDING;

  /**
   * One probe as read back: the first run's accuracy, its standard error (NaN if the count is
   * unknown), width, fit state and per-image marks; {@code runs} every run of the variant that has
   * this probe, by run label (empty: this run alone).
   */
  record Cell(double accuracy, double standardError, int dimensions, String converged, int heldOutCount,
              String correct, Map<String, Cell> runs) {
    static Cell read(JsonNode probe) {
      double accuracy = probe.path("heldOutAccuracy").asDouble();
      int n = probe.path("heldOutCount").asInt(0);
      double se = probe.has("heldOutStandardError") ? probe.path("heldOutStandardError").asDouble()
          : n > 0 ? AccuracyDifference.standardError(accuracy, n) : Double.NaN;
      String converged = probe.has("converged") ? (probe.path("converged").asBoolean() ? "yes" : "no")
          : probe.has("stopReason") ? ("gradient below tolerance".equals(probe.path("stopReason").asText()) ? "yes" : "no")
          : "unknown";
      String correct = probe.hasNonNull("heldOutCorrect") ? probe.path("heldOutCorrect").asText() : null;
      return new Cell(accuracy, se, probe.path("dimensions").asInt(0), converged, n, correct, Map.of());
    }

    Cell withRuns(Map<String, Cell> all) {
      return new Cell(accuracy, standardError, dimensions, converged, heldOutCount, correct,
          Collections.unmodifiableMap(new LinkedHashMap<>(all)));
    }

    /** Every run by label (this one alone when no others were read). */
    Map<String, Cell> everyRun() {
      return runs.isEmpty() ? Map.of(StudyReport.FIRST_RUN, this) : runs;
    }

    double[] seeds() {
      return everyRun().values().stream().mapToDouble(Cell::accuracy).toArray();
    }

    String firstRunLabel() {
      return everyRun().keySet().iterator().next();
    }

    /** Accuracy by run label. */
    Map<String, Double> bySeed() {
      Map<String, Double> out = new LinkedHashMap<>();
      everyRun().forEach((label, run) -> out.put(label, run.accuracy()));
      return out;
    }

    /** Binomial standard error by run label. */
    Map<String, Double> errorsBySeed() {
      Map<String, Double> out = new LinkedHashMap<>();
      everyRun().forEach((label, run) -> out.put(label, run.standardError()));
      return out;
    }

    /** One run: accuracy ± binomial SE; several: mean ± sd over the runs, and how many. */
    String format() {
      double[] seeds = seeds();
      String value;
      if (seeds.length > 1) {
        value = String.format(Locale.ROOT, "%.1f ± %.1f %%", 100 * StudyReport.mean(seeds), 100 * StudyReport.sd(seeds));
      } else {
        value = Double.isNaN(standardError) ? String.format(Locale.ROOT, "%.1f %%", 100 * accuracy)
            : String.format(Locale.ROOT, "%.1f ± %.1f %%", 100 * accuracy, 100 * standardError);
      }
      String width = dimensions > 0 ? " (" + dimensions + ")" : "";
      String count = seeds.length > 1 ? " [" + seeds.length + " seeds]" : "";
      return value + width + count + ("no".equals(converged) ? " *" : "");
    }

    /** This − other of the first runs (one seed each): paired when both kept per-image marks. */
    AccuracyDifference minus(Cell other) {
      if (correct != null && other.correct != null && correct.length() == other.correct.length()) {
        return AccuracyDifference.paired(correct, other.correct);
      }
      if (heldOutCount <= 0 || other.heldOutCount <= 0) {
        return new AccuracyDifference(accuracy - other.accuracy, Double.NaN, false, 0);
      }
      return AccuracyDifference.unpaired(accuracy, heldOutCount, other.accuracy, other.heldOutCount);
    }
  }

  /** A variant's probes by key. */
  record Row(StudyReport.Variant variant, Map<String, Cell> probes, double majority, double frequencyChance) {
    /** From every run of the variant (the first is the one whose per-image marks are used). */
    static Row read(StudyReport.Variant variant, List<JsonNode> runs, List<String> labels) {
      JsonNode eval = runs.get(0);
      Map<String, Cell> probes = new LinkedHashMap<>();
      eval.path("probes").fields().forEachRemaining(e -> {
        Map<String, Cell> all = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
          JsonNode node = runs.get(i).path("probes").path(e.getKey());
          if (node.has("heldOutAccuracy")) {
            all.put(labels.get(i), Cell.read(node));
          }
        }
        probes.put(e.getKey(), Cell.read(e.getValue()).withRuns(all));
      });
      JsonNode latents = eval.path("probes").path("latents");
      return new Row(variant, probes, latents.path("majorityBaseline").asDouble(Double.NaN),
          latents.path("frequencyChance").asDouble(Double.NaN));
    }

    /** The pooled probe's width, C (0 when absent). */
    int channels() {
      Cell pooled = probes.get("latents");
      return pooled == null ? 0 : pooled.dimensions();
    }
  }

  private final List<Row> rows;

  ProbeTable(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  List<Row> rows() {
    return rows;
  }

  void appendMarkdown(StringBuilder md) {
    if (rows.isEmpty()) {
      return;
    }
    md.append("\nLinear probes: held-out accuracy ± binomial standard error (feature width), or mean ± sd over "
        + "seeds when a variant has several runs; * = the (first run's) fit did not converge.\n\n| probe | ");
    md.append(String.join(" | ", LATENT_PROBES.values())).append(" |\n|---|");
    md.append("---|".repeat(LATENT_PROBES.size())).append('\n');
    for (Row row : rows) {
      appendRow(md, row.variant().description(), row, "");
    }
    // References depend only on the width: one row per latent width C, from the first variant that has them.
    Map<Integer, Row> byChannels = new LinkedHashMap<>();
    for (Row row : rows) {
      byChannels.putIfAbsent(row.channels(), row);
    }
    for (String[] reference : new String[][] {
        {TokenizerEvaluation.PIXELS_AT_WIDTH, "reference: raw pixels cut to the same width (area-average + PCA)"},
        {TokenizerEvaluation.FROZEN_AT_WIDTH, "reference: frozen encoder features cut to the same width (PCA)"}}) {
      for (Map.Entry<Integer, Row> entry : byChannels.entrySet()) {
        Row source = rows.stream().filter(r -> r.channels() == entry.getKey()
            && r.probes().containsKey(reference[0] + "latents")).findFirst().orElse(null);
        if (source != null) {
          appendRow(md, "*" + reference[1] + ", C = " + entry.getKey() + "*", source, reference[0]);
        }
      }
    }
    Row first = rows.get(0);
    Cell any = first.probes().get("latents");
    if (!Double.isNaN(first.frequencyChance()) && any != null) {
      md.append(String.format(Locale.ROOT, "%nChance on these %d held-out images: majority class %.1f %%, "
          + "a class-blind guesser drawing by the class frequencies (Σq²) %.1f %%.%n", any.heldOutCount(),
          100 * first.majority(), 100 * first.frequencyChance()));
    }
    List<String> differences = differences();
    if (!differences.isEmpty()) {
      md.append("\nDifferences (points, ± their own standard error; paired by seed = mean of the per-seed differences "
          + "over the seeds both have, sd/√k; over seeds = of the means, √(sd_a²/k_a + sd_b²/k_b); either never below "
          + "what the held-out images alone scatter it by (\"floored at the held-out images\"); paired = one run "
          + "each, on the same held-out images, from per-image correctness):\n");
      differences.forEach(line -> md.append("- ").append(line).append('\n'));
    }
  }

  /** "full method − old baseline: pooled +1.2 ± 2.0 (paired, 0.6 SE); …" for each pair present. */
  List<String> differences() {
    List<String> lines = new ArrayList<>();
    for (StudyReport.Comparison pair : DIFFERENCES) {
      Row a = find(pair.a());
      Row b = find(pair.b());
      if (a == null || b == null) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      LATENT_PROBES.forEach((key, header) -> {
        Cell ca = a.probes().get(key);
        Cell cb = b.probes().get(key);
        if (ca == null || cb == null) {
          return;
        }
        SeedDifference overSeeds = SeedDifference.of(ca.bySeed(), cb.bySeed());
        boolean firstRunsDiffer = overSeeds.sharedRun() != null
            && !(overSeeds.sharedRun().equals(ca.firstRunLabel()) && overSeeds.sharedRun().equals(cb.firstRunLabel()));
        if (!Double.isNaN(overSeeds.standardError())) {
          parts.add(header + " " + overSeeds.flooredAt(samplingError(overSeeds, ca, cb), "the held-out images")
              .scaled(100).format(1));
          return;
        }
        if (firstRunsDiffer) {
          // one shared run that is not both first runs, whose per-image marks are not kept
          parts.add(header + " " + overSeeds.scaled(100).format(1));
          return;
        }
        AccuracyDifference d = ca.minus(cb);
        String shared = overSeeds.sharedRun() != null ? ", " + SeedDifference.ON_SHARED_RUN : "";
        parts.add(Double.isNaN(d.standardError())
            ? String.format(Locale.ROOT, "%s %+.1f (no standard error: held-out count unknown)", header, 100 * d.difference())
            : String.format(Locale.ROOT, "%s %+.1f ± %.1f (%s%s, %.1f SE)", header, 100 * d.difference(),
                100 * d.standardError(), d.paired() ? "paired" : "unpaired", shared, d.zScore()));
      });
      if (!parts.isEmpty()) {
        lines.add(pair.label() + ": " + String.join("; ", parts));
      }
    }
    return lines;
  }

  /**
   * What a seed-spread difference of two probes would scatter by from the held-out images alone:
   * paired by seed, from each seed's difference paired by image where both runs kept their marks
   * (else that seed's two binomial errors); over seeds, from the runs' binomial errors.
   */
  private static double samplingError(SeedDifference difference, Cell a, Cell b) {
    if (!difference.kind().equals(SeedDifference.PAIRED_BY_SEED)) {
      return difference.samplingError(a.errorsBySeed(), b.errorsBySeed());
    }
    double[] perSeed = a.everyRun().keySet().stream().filter(b.everyRun()::containsKey).mapToDouble(label -> {
      Cell ra = a.everyRun().get(label);
      Cell rb = b.everyRun().get(label);
      boolean marks = ra.correct() != null && rb.correct() != null && ra.correct().length() == rb.correct().length();
      return marks ? AccuracyDifference.paired(ra.correct(), rb.correct()).standardError()
          : Math.hypot(ra.standardError(), rb.standardError());
    }).toArray();
    return StudyReport.errorOfMean(perSeed);
  }

  private Row find(String folder) {
    return rows.stream().filter(r -> r.variant().folder().equals(folder)).findFirst().orElse(null);
  }

  private static void appendRow(StringBuilder md, String label, Row row, String prefix) {
    md.append("| ").append(label);
    for (String key : LATENT_PROBES.keySet()) {
      Cell cell = row.probes().get(prefix + key);
      md.append(" | ").append(cell == null ? "—" : cell.format());
    }
    md.append(" |\n");
  }

  private static Map<String, String> columns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("latents", "pooled (C)");
    columns.put(TokenizerEvaluation.LATENT_GRID_PROBE, "2×2 (4C)");
    columns.put(TokenizerEvaluation.LATENT_FULL_PROBE, "whole latent (C·H·W)");
    return columns;
  }
}
