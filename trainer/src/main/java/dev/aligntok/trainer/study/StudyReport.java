package dev.aligntok.trainer.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.trainer.diffusion.GenerationEvaluation;
import dev.aligntok.trainer.charts.LossCurves;
import dev.aligntok.trainer.eval.TokenizerEvaluation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Summarises the evaluations {@code scripts/study.sh} publishes under {@code docs/study/}: the
 * tokenizer table (one {@code eval.json} per variant folder), the diffusion convergence points
 * ({@code dit-<tokenizer>/step-<N>/generation.json}), and the speed-up of AlignTok over the
 * baseline read off those points. Variants not evaluated yet are listed as missing, not guessed.
 */
public final class StudyReport {
  /** A tokenizer variant of the table: its folder under docs/study and what it is. */
  public record Variant(String folder, String description) {}

  public static final List<Variant> TOKENIZER_VARIANTS = List.of(
      new Variant("stage1", "stage 1 only (encoder frozen; adapter + decoder)"),
      new Variant("stage2-wsp0", "stages 1+2, w_sp = 0"),
      new Variant("stage2-wsp1", "stages 1+2, w_sp = 1"),
      new Variant("stage2-wsp5", "stages 1+2, w_sp = 5"),
      new Variant("stage3", "full method: stages 1+2 (w_sp = 1) + 3"),
      new Variant("baseline", "old baseline: MobileNetV2 with BatchNorm folded away, from scratch, no EMA"));

  /** DiT runs compared, in plot order: folder suffix and label. */
  public static final Map<String, String> DIT_RUNS = Map.of("alignTok", "AlignTok", "baseline", "baseline");
  private static final List<String> DIT_ORDER = List.of("alignTok", "baseline");
  private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d+)");

  /**
   * Held-out numbers of one tokenizer: with several runs (seeds) of the variant, their means, and
   * {@code spread} their sample standard deviations (null for a single run).
   */
  public record TokenizerRow(Variant variant, double psnr, double ssim, double frechet, double probePooled,
                             double probeGrid, int runs, TokenizerRow spread) {
    /** One run's numbers. */
    public TokenizerRow(Variant variant, double psnr, double ssim, double frechet, double probePooled, double probeGrid) {
      this(variant, psnr, ssim, frechet, probePooled, probeGrid, 1, null);
    }
  }

  /**
   * Further runs of a variant (other training seeds) sit in {@code <variant>/seed-<S>/eval.json}
   * beside the first run's {@code <variant>/eval.json}; tables then show mean ± sd over all runs.
   */
  public static final String SEED_FOLDER_PREFIX = "seed-";

  /**
   * Generation metrics of one DiT checkpoint.
   *
   * @param frechetToReconstructions without CFG, against the tokenizer's own reconstructions of the
   *     held-out images instead of the images (the DiT apart from its decoder); NaN in evaluations
   *     made before it existed
   */
  public record GenerationPoint(String run, long step, double frechet, double frechetCfg, double consistency,
                                double consistencyCfg, double frechetToReconstructions) {}

  /**
   * Steps AlignTok's DiT needed to reach the baseline DiT's final Fréchet distance.
   *
   * @param alignTokSteps first evaluated AlignTok checkpoint at or below the target, or empty if none is
   */
  public record Speedup(String metric, long baselineSteps, double baselineFinal, Optional<Long> alignTokSteps) {
    public Optional<Double> factor() {
      return alignTokSteps.map(steps -> (double) baselineSteps / steps);
    }
  }

  /** The Fashion-MNIST table's folder under docs/study (its variants in the same sub-folders). */
  public static final String FASHION_FOLDER = "fashion-mnist";

  /** One dataset's tokenizer table: the evaluated variants, and those not evaluated yet. */
  public record TokenizerTable(List<TokenizerRow> rows, List<Variant> missing, ProbeTable probes) {
    static TokenizerTable read(ObjectMapper json, Path folder) {
      List<TokenizerRow> rows = new ArrayList<>();
      List<Variant> missing = new ArrayList<>();
      List<ProbeTable.Row> probeRows = new ArrayList<>();
      for (Variant variant : TOKENIZER_VARIANTS) {
        List<Path> evals = runsOf(folder.resolve(variant.folder()));
        if (!evals.isEmpty()) {
          List<JsonNode> trees = evals.stream().map(eval -> readTree(json, eval)).toList();
          List<TokenizerRow> runs = new ArrayList<>();
          for (int i = 0; i < evals.size(); i++) {
            runs.add(tokenizerRow(variant, evals.get(i), trees.get(i)));
          }
          rows.add(summarise(variant, runs));
          probeRows.add(ProbeTable.Row.read(variant, trees));
        } else {
          missing.add(variant);
        }
      }
      return new TokenizerTable(List.copyOf(rows), List.copyOf(missing), new ProbeTable(probeRows));
    }

    void appendMarkdown(StringBuilder md) {
      md.append("| tokenizer | PSNR dB | SSIM | Fréchet (Inception mixed5) | probe: pooled latents | probe: 2×2 latents |\n")
          .append("|---|---|---|---|---|---|\n");
      for (TokenizerRow row : rows) {
        TokenizerRow sd = row.spread();
        if (sd == null) {
          md.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.2f | %.1f %% | %.1f %% |%n",
              row.variant().description(), row.psnr(), row.ssim(), row.frechet(), 100 * row.probePooled(),
              100 * row.probeGrid()));
        } else {
          md.append(String.format(Locale.ROOT, "| %s (mean ± sd of %d seeds) | %.2f ± %.2f | %.3f ± %.3f | %.2f ± %.2f "
                  + "| %.1f ± %.1f %% | %.1f ± %.1f %% |%n", row.variant().description(), row.runs(), row.psnr(), sd.psnr(),
              row.ssim(), sd.ssim(), row.frechet(), sd.frechet(), 100 * row.probePooled(), 100 * sd.probePooled(),
              100 * row.probeGrid(), 100 * sd.probeGrid()));
        }
      }
      for (Variant variant : missing) {
        md.append("| ").append(variant.description()).append(" | not evaluated yet | | | | |\n");
      }
      probes.appendMarkdown(md);
    }
  }

  private final TokenizerTable emoji;
  private final TokenizerTable fashion;
  private final List<GenerationPoint> generation;

  private StudyReport(TokenizerTable emoji, TokenizerTable fashion, List<GenerationPoint> generation) {
    this.emoji = emoji;
    this.fashion = fashion;
    this.generation = generation;
  }

  /** Reads every evaluation present under {@code docs}. */
  public static StudyReport read(Path docs) {
    ObjectMapper json = new ObjectMapper();
    TokenizerTable emoji = TokenizerTable.read(json, docs);
    TokenizerTable fashion = TokenizerTable.read(json, docs.resolve(FASHION_FOLDER));
    List<GenerationPoint> points = new ArrayList<>();
    for (String run : DIT_ORDER) {
      Path folder = docs.resolve("dit-" + run);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> steps = Files.list(folder)) {
        for (Path stepFolder : steps.sorted().toList()) {
          Matcher matcher = STEP_FOLDER.matcher(stepFolder.getFileName().toString());
          Path generationJson = stepFolder.resolve(GenerationEvaluation.REPORT_FILE);
          if (matcher.matches() && Files.isRegularFile(generationJson)) {
            points.add(generationPoint(run, Long.parseLong(matcher.group(1)), generationJson,
                readTree(json, generationJson)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + folder, e);
      }
    }
    points.sort(Comparator.comparing(GenerationPoint::run).thenComparingLong(GenerationPoint::step));
    return new StudyReport(emoji, fashion, List.copyOf(points));
  }

  /** The emoji table's evaluated rows. */
  public List<TokenizerRow> tokenizers() {
    return emoji.rows();
  }

  public TokenizerTable fashion() {
    return fashion;
  }

  public List<GenerationPoint> generation() {
    return generation;
  }

  /** With and without guidance, when both DiTs have been evaluated. */
  public List<Speedup> speedups() {
    List<Speedup> speedups = new ArrayList<>();
    speedup("Fréchet distance without CFG", GenerationPoint::frechet).ifPresent(speedups::add);
    speedup("Fréchet distance with CFG 3", GenerationPoint::frechetCfg).ifPresent(speedups::add);
    if (generation.stream().noneMatch(p -> Double.isNaN(p.frechetToReconstructions()))) {
      speedup("Fréchet distance to the tokenizer's own reconstructions, without CFG",
          GenerationPoint::frechetToReconstructions).ifPresent(speedups::add);
    }
    return speedups;
  }

  private Optional<Speedup> speedup(String metric, ToDoubleFunction<GenerationPoint> value) {
    List<GenerationPoint> baseline = pointsOf("baseline");
    List<GenerationPoint> alignTok = pointsOf("alignTok");
    if (baseline.isEmpty() || alignTok.isEmpty()) {
      return Optional.empty();
    }
    GenerationPoint last = baseline.get(baseline.size() - 1);
    double target = value.applyAsDouble(last);
    Optional<Long> reached = alignTok.stream().filter(p -> value.applyAsDouble(p) <= target)
        .map(GenerationPoint::step).findFirst();
    return Optional.of(new Speedup(metric, last.step(), target, reached));
  }

  private List<GenerationPoint> pointsOf(String run) {
    return generation.stream().filter(p -> p.run().equals(run)).toList();
  }

  /** The tables and the speed-up statement as Markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Tokenizers (held-out split)\n\n");
    emoji.appendMarkdown(md);
    md.append("\n## Tokenizers on Fashion-MNIST (held-out 2 %)\n\n");
    if (fashion.rows().isEmpty()) {
      md.append("Not evaluated yet (`scripts/study.sh fashion`).\n");
    } else {
      fashion.appendMarkdown(md);
    }
    md.append("\n## Diffusion convergence (same DiT, steps and seed on each tokenizer's latents)\n\n")
        .append("| latents | DiT step | Fréchet, no CFG | Fréchet, CFG 3 | Fréchet to own reconstructions, no CFG "
            + "| class consistency, no CFG | with CFG |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (GenerationPoint p : generation) {
      String toReconstructions = Double.isNaN(p.frechetToReconstructions()) ? "not measured"
          : String.format(Locale.ROOT, "%.2f", p.frechetToReconstructions());
      md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %s | %.1f %% | %.1f %% |%n", DIT_RUNS.get(p.run()),
          p.step(), p.frechet(), p.frechetCfg(), toReconstructions, 100 * p.consistency(), 100 * p.consistencyCfg()));
    }
    if (generation.isEmpty()) {
      md.append("| not evaluated yet | | | | | | |\n");
    }
    md.append('\n');
    for (Speedup s : speedups()) {
      md.append(String.format(Locale.ROOT, "- %s: the baseline ends at %.2f after %d steps; ", s.metric(),
          s.baselineFinal(), s.baselineSteps()));
      md.append(s.alignTokSteps()
          .map(steps -> String.format(Locale.ROOT, "AlignTok is there by step %d (evaluated checkpoints): %.1f× fewer steps.%n",
              steps, s.factor().orElseThrow()))
          .orElse("AlignTok does not reach it at any evaluated checkpoint: no speed-up at this scale.\n"));
    }
    return md.toString();
  }

  /**
   * Writes the convergence points as {@code metrics} (JSON lines, one per step) and draws them into
   * {@code png}; does nothing when no DiT has been evaluated.
   */
  public void writeConvergencePlot(Path metrics, Path png) {
    if (generation.isEmpty()) {
      return;
    }
    Map<Long, Map<String, Double>> bySteps = new TreeMap<>();
    List<String> series = new ArrayList<>();
    for (GenerationPoint p : generation) {
      String label = DIT_RUNS.get(p.run());
      Map<String, Double> row = bySteps.computeIfAbsent(p.step(), step -> new LinkedHashMap<>());
      row.put(label + " no CFG", p.frechet());
      row.put(label + " CFG 3", p.frechetCfg());
      List<String> names = new ArrayList<>(List.of(label + " no CFG", label + " CFG 3"));
      if (!Double.isNaN(p.frechetToReconstructions())) {
        row.put(label + " vs own reconstructions", p.frechetToReconstructions());
        names.add(label + " vs own reconstructions");
      }
      for (String name : names) {
        if (!series.contains(name)) {
          series.add(name);
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    bySteps.forEach((step, values) -> {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", step);
      line.putAll(values);
      try {
        lines.add(json.writeValueAsString(line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      Files.write(metrics, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + metrics, e);
    }
    LossCurves.write(metrics, png, LossCurves.Options.defaults()
        .withTitle("generation Fréchet distance vs DiT training steps (lower is better)").withSeries(series));
  }

  /** How many panels each side-by-side figure got (0: that figure was not written). */
  public record SideBySide(int tokenizers, int fashionTokenizers, int dits) {}

  /**
   * Writes the side-by-side figures into {@code docs}: each table's reconstruction grids
   * ({@code <variant>/reconstructions.png}) stacked under their descriptions into
   * {@code reconstructions.png} (emoji) and {@code fashion-mnist/reconstructions.png}, and the last
   * evaluated sample grids with guidance of the DiTs ({@code dit-<run>/step-<N>/samples-with_cfg.png})
   * into {@code samples.png}; a figure with no input is not written.
   */
  public SideBySide writeSideBySide(Path docs) {
    int tokenizers = writeReconstructions(emoji, docs, docs.resolve("reconstructions.png"));
    int fashionTokenizers = writeReconstructions(fashion, docs.resolve(FASHION_FOLDER),
        docs.resolve(FASHION_FOLDER).resolve("reconstructions.png"));
    List<CaptionedStack.Panel> samples = new ArrayList<>();
    for (String run : DIT_ORDER) {
      List<GenerationPoint> points = pointsOf(run);
      if (!points.isEmpty()) {
        GenerationPoint last = points.get(points.size() - 1);
        Path grid = docs.resolve("dit-" + run).resolve("step-" + last.step()).resolve("samples-with_cfg.png");
        if (Files.isRegularFile(grid)) {
          samples.add(new CaptionedStack.Panel(DIT_RUNS.get(run) + " latents, DiT step " + last.step() + ", CFG 3",
              readPng(grid)));
        }
      }
    }
    if (!samples.isEmpty()) {
      ReconstructionGrid.writePng(docs.resolve("samples.png"), CaptionedStack.render(samples));
    }
    return new SideBySide(tokenizers, fashionTokenizers, samples.size());
  }

  private static int writeReconstructions(TokenizerTable table, Path tableDir, Path png) {
    List<CaptionedStack.Panel> panels = new ArrayList<>();
    for (TokenizerRow row : table.rows()) {
      Path grid = tableDir.resolve(row.variant().folder()).resolve("reconstructions.png");
      if (Files.isRegularFile(grid)) {
        panels.add(new CaptionedStack.Panel(row.variant().description(), readPng(grid)));
      }
    }
    if (!panels.isEmpty()) {
      ReconstructionGrid.writePng(png, CaptionedStack.render(panels));
    }
    return panels.size();
  }

  private static BufferedImage readPng(Path png) {
    try {
      BufferedImage image = ImageIO.read(png.toFile());
      if (image == null) {
        throw new IllegalArgumentException(png + " is not a readable image");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + png, e);
    }
  }

  /** The variant's eval.json, then its seed-S/eval.json in order of S (empty: not evaluated yet). */
  private static List<Path> runsOf(Path variantFolder) {
    List<Path> runs = new ArrayList<>();
    Path first = variantFolder.resolve(TokenizerEvaluation.REPORT_FILE);
    if (Files.isRegularFile(first)) {
      runs.add(first);
    }
    if (Files.isDirectory(variantFolder)) {
      try (Stream<Path> children = Files.list(variantFolder)) {
        children.filter(p -> p.getFileName().toString().matches(SEED_FOLDER_PREFIX + "\\d+"))
            .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(SEED_FOLDER_PREFIX.length()))))
            .map(p -> p.resolve(TokenizerEvaluation.REPORT_FILE)).filter(Files::isRegularFile).forEach(runs::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + variantFolder, e);
      }
    }
    return runs;
  }

  private static TokenizerRow summarise(Variant variant, List<TokenizerRow> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    List<ToDoubleFunction<TokenizerRow>> metrics = List.of(TokenizerRow::psnr, TokenizerRow::ssim, TokenizerRow::frechet,
        TokenizerRow::probePooled, TokenizerRow::probeGrid);
    double[] means = new double[metrics.size()];
    double[] sds = new double[metrics.size()];
    for (int m = 0; m < metrics.size(); m++) {
      double[] values = runs.stream().mapToDouble(metrics.get(m)).toArray();
      means[m] = mean(values);
      sds[m] = sd(values);
    }
    return new TokenizerRow(variant, means[0], means[1], means[2], means[3], means[4], runs.size(),
        new TokenizerRow(variant, sds[0], sds[1], sds[2], sds[3], sds[4]));
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Sample standard deviation (divisor n − 1); 0 for one value. */
  static double sd(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double m = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - m) * (v - m);
    }
    return Math.sqrt(sum / (values.length - 1));
  }

  private static TokenizerRow tokenizerRow(Variant variant, Path file, JsonNode eval) {
    return new TokenizerRow(variant, number(file, eval, "psnr", "mean"), number(file, eval, "ssim", "mean"),
        number(file, eval, "frechet", "result", "distance"), number(file, eval, "probes", "latents", "heldOutAccuracy"),
        number(file, eval, "probes", "latents_2x2", "heldOutAccuracy"));
  }

  private static GenerationPoint generationPoint(String run, long step, Path file, JsonNode eval) {
    return new GenerationPoint(run, step, number(file, eval, "runs", "without_cfg", "frechetDistance"),
        number(file, eval, "runs", "with_cfg", "frechetDistance"),
        number(file, eval, "runs", "without_cfg", "classConsistency"),
        number(file, eval, "runs", "with_cfg", "classConsistency"),
        eval.path("runs").path("without_cfg").path("frechetToReconstructions").asDouble(Double.NaN));
  }

  private static double number(Path file, JsonNode root, String... path) {
    JsonNode node = root;
    for (String field : path) {
      node = node.path(field);
    }
    if (!node.isNumber()) {
      throw new IllegalArgumentException(file + " has no number at " + String.join(".", path));
    }
    return node.asDouble();
  }

  private static JsonNode readTree(ObjectMapper json, Path file) {
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evaluation " + file, e);
    }
  }
}
