package dev.aligntok.trainer.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.trainer.diffusion.GenerationEvaluation;
import dev.aligntok.trainer.charts.LossCurves;
import dev.aligntok.trainer.eval.TokenizerEvaluation;
import dev.aligntok.trainer.train.MetricsLog;
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
import java.util.function.Function;
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

  /**
   * The emoji table's variants in table order (C = 8 unless named): what {@code scripts/study.sh}
   * publishes. Any other folder under docs/study with an {@code eval.json} is shown too, after
   * these, under its folder name; a listed variant without one is "not evaluated yet".
   */
  public static final List<Variant> TOKENIZER_VARIANTS = List.of(
      new Variant("stage1", "stage 1 only (encoder frozen; adapter + decoder)"),
      new Variant("stage2-wsp0", "stages 1+2, w_sp = 0"),
      new Variant("stage2-wsp1", "stages 1+2, w_sp = 1"),
      new Variant("stage2-wsp1-elr1e-4", "stages 1+2, w_sp = 1, stage-2 encoder LR 1e-4 (instead of 1e-3)"),
      new Variant("stage2-wsp5", "stages 1+2, w_sp = 5"),
      new Variant("stage3", "full method: stages 1+2 (w_sp = 1) + 3"),
      new Variant("vanilla-c8", "fair baseline (GroupNorm CNN encoder, same decoder, losses, EMA, GAN and steps), C = 8"),
      new Variant("stage1-c32", "stage 1 only, C = 32"),
      new Variant("stage2-wsp1-c32", "stages 1+2, w_sp = 1, C = 32"),
      new Variant("stage3-c32", "full method, C = 32"),
      new Variant("vanilla-c32", "fair baseline (GroupNorm CNN encoder), C = 32"),
      new Variant("baseline", "old baseline: MobileNetV2 with BatchNorm folded away, from scratch, no EMA"));

  /** The Fashion-MNIST table's expected variants (the first study's; others are shown when present). */
  static final List<String> FASHION_VARIANTS = List.of("stage1", "stage2-wsp0", "stage2-wsp1", "stage2-wsp5", "stage3",
      "baseline");

  /** a − b between two variants (folders) that decide a claim. */
  public record Comparison(String a, String b, String label) {}

  /** The differences below each table, when both variants were evaluated. */
  public static final List<Comparison> DECIDING = List.of(
      new Comparison("stage3", "vanilla-c8", "full method − fair baseline, C = 8"),
      new Comparison("stage3-c32", "vanilla-c32", "full method − fair baseline, C = 32"),
      new Comparison("stage2-wsp1", "stage2-wsp0", "w_sp = 1 − w_sp = 0"),
      new Comparison("stage2-wsp1-elr1e-4", "stage2-wsp1", "stage-2 encoder LR 1e-4 − 1e-3"),
      new Comparison("stage3", "baseline", "full method − old baseline"));

  /** Run label of a variant's own {@code eval.json} (its further seeds are labelled by their folder). */
  static final String FIRST_RUN = "first";

  /**
   * DiT runs, in table order: folder suffix ({@code docs/study/dit-<suffix>/step-<N>/}) and label;
   * other {@code dit-*} folders follow under their suffix.
   */
  public static final Map<String, String> DIT_RUNS = linked(
      "alignTok", "AlignTok (first study)",
      "baseline", "old baseline (MobileNetV2, no normalisation)",
      "alignTok-c8", "AlignTok, C = 8",
      "vanilla-c8", "fair baseline, C = 8",
      "alignTok-c32", "AlignTok, C = 32",
      "vanilla-c32", "fair baseline, C = 32");
  private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d+)");

  /** The frontier's tokenizers: method → folder by latent width C. */
  static final Map<String, Map<Integer, String>> FRONTIER = Map.of(
      "full method", Map.of(8, "stage3", 32, "stage3-c32"),
      "fair baseline", Map.of(8, "vanilla-c8", 32, "vanilla-c32"));
  static final List<String> FRONTIER_ORDER = List.of("full method", "fair baseline");

  /** A claim the study tests: AlignTok's DiT ({@code candidate}) against another's ({@code reference}). */
  record DitClaim(String statement, String candidate, String reference) {}

  static final List<DitClaim> DIT_CLAIMS = List.of(
      new DitClaim("at C = 32 the AlignTok DiT converges faster than the fair baseline's", "alignTok-c32", "vanilla-c32"),
      new DitClaim("at C = 8 the AlignTok DiT converges faster than the fair baseline's", "alignTok-c8", "vanilla-c8"),
      new DitClaim("at C = 8 the AlignTok DiT converges faster than the old baseline's", "alignTok", "baseline"));

  /**
   * Held-out numbers of one tokenizer: with several runs (seeds) of the variant, their means, and
   * {@code spread} their sample standard deviations (null for a single run).
   */
  public record TokenizerRow(Variant variant, double psnr, double ssim, double frechet, double probePooled,
                             double probeGrid, int runs, TokenizerRow spread, int channels, double frechetLower,
                             double frechetUpper, double frechetStandardError, MeanErrors meanErrors) {
    /** One run's numbers. */
    public TokenizerRow(Variant variant, double psnr, double ssim, double frechet, double probePooled, double probeGrid) {
      this(variant, psnr, ssim, frechet, probePooled, probeGrid, 1, null, 0, Double.NaN, Double.NaN, Double.NaN,
          MeanErrors.UNKNOWN);
    }

    /** Fréchet with its bootstrap interval (single run) or ± sd (several). */
    String frechetText() {
      if (spread != null) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", frechet, spread.frechet());
      }
      return Double.isNaN(frechetLower) ? String.format(Locale.ROOT, "%.2f", frechet)
          : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", frechet, frechetLower, frechetUpper);
    }
  }

  /**
   * Standard errors of one run's mean PSNR and SSIM over its held-out images (sd / √n; NaN where
   * the evaluation lacks the count): how far its means would move with other images.
   */
  public record MeanErrors(double psnr, double ssim) {
    static final MeanErrors UNKNOWN = new MeanErrors(Double.NaN, Double.NaN);

    static MeanErrors of(JsonNode eval) {
      return new MeanErrors(errorOfImageMean(eval.path("psnr")), errorOfImageMean(eval.path("ssim")));
    }

    private static double errorOfImageMean(JsonNode metric) {
      int n = metric.path("count").asInt(0);
      return n > 1 && metric.has("std") ? metric.path("std").asDouble() / Math.sqrt(n) : Double.NaN;
    }
  }

  /**
   * Further runs of a variant (other training seeds) sit in {@code <variant>/seed-<S>/eval.json}
   * beside the first run's {@code <variant>/eval.json}; tables then show mean ± sd over all runs.
   */
  public static final String SEED_FOLDER_PREFIX = "seed-";

  /**
   * Generation metrics of one DiT checkpoint (without CFG unless named).
   *
   * @param frechet to the held-out images
   * @param toReconstructions to the tokenizer's own reconstructions of the held-out images instead of
   *     the images (the DiT apart from its decoder); NaN value in evaluations made before it existed
   * @param consistencyChance a class-blind generator's class consistency (NaN before issue 22)
   */
  public record GenerationPoint(String run, long step, MeasuredDistance frechet, double frechetCfg, double consistency,
                                double consistencyCfg, MeasuredDistance toReconstructions, double consistencyChance) {}

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
  public record TokenizerTable(List<TokenizerRow> rows, List<Variant> missing, ProbeTable probes,
                               Map<String, Map<String, TokenizerRow>> runsBySeed) {
    static TokenizerTable read(ObjectMapper json, Path folder, List<Variant> expected) {
      List<TokenizerRow> rows = new ArrayList<>();
      List<Variant> missing = new ArrayList<>();
      List<ProbeTable.Row> probeRows = new ArrayList<>();
      Map<String, Map<String, TokenizerRow>> bySeed = new LinkedHashMap<>();
      for (Variant variant : withDiscovered(folder, expected)) {
        List<Path> evals = runsOf(folder.resolve(variant.folder()));
        if (!evals.isEmpty()) {
          List<JsonNode> trees = evals.stream().map(eval -> readTree(json, eval)).toList();
          List<String> labels = evals.stream().map(StudyReport::runLabel).toList();
          Map<String, TokenizerRow> runs = new LinkedHashMap<>();
          for (int i = 0; i < evals.size(); i++) {
            runs.put(labels.get(i), tokenizerRow(variant, evals.get(i), trees.get(i)));
          }
          rows.add(summarise(variant, List.copyOf(runs.values())));
          bySeed.put(variant.folder(), runs);
          probeRows.add(ProbeTable.Row.read(variant, trees, labels));
        } else if (expected.contains(variant)) {
          missing.add(variant);
        }
      }
      return new TokenizerTable(List.copyOf(rows), List.copyOf(missing), new ProbeTable(probeRows), bySeed);
    }

    /** The row of a folder, if evaluated. */
    Optional<TokenizerRow> row(String folder) {
      return rows.stream().filter(r -> r.variant().folder().equals(folder)).findFirst();
    }

    /** "full method − fair baseline, C = 8: PSNR +1.20 ± 0.40 dB (paired by seed, k = 3, 3.0 SE); …" per pair present. */
    List<String> differences() {
      List<String> lines = new ArrayList<>();
      for (Comparison pair : DECIDING) {
        Map<String, TokenizerRow> a = runsBySeed.get(pair.a());
        Map<String, TokenizerRow> b = runsBySeed.get(pair.b());
        if (a == null || b == null) {
          continue;
        }
        // Over seeds, never below what the held-out images alone move the means by (unpaired per run:
        // per-image values are not kept, so this floor is on the safe, larger side).
        SeedDifference psnr = flooredAtImages(SeedDifference.of(values(a, TokenizerRow::psnr), values(b, TokenizerRow::psnr)),
            values(a, row -> row.meanErrors().psnr()), values(b, row -> row.meanErrors().psnr()));
        SeedDifference ssim = flooredAtImages(SeedDifference.of(values(a, TokenizerRow::ssim), values(b, TokenizerRow::ssim)),
            values(a, row -> row.meanErrors().ssim()), values(b, row -> row.meanErrors().ssim()));
        SeedDifference frechet = SeedDifference.of(values(a, TokenizerRow::frechet), values(b, TokenizerRow::frechet))
            .orMeasurementError(values(a, TokenizerRow::frechetStandardError), values(b, TokenizerRow::frechetStandardError));
        lines.add(pair.label() + ": PSNR (dB) " + psnr.format(2) + "; SSIM " + ssim.format(3) + "; Fréchet "
            + frechet.format(2));
      }
      return lines;
    }

    private static SeedDifference flooredAtImages(SeedDifference difference, Map<String, Double> errorsA,
                                                  Map<String, Double> errorsB) {
      return Double.isNaN(difference.standardError()) ? difference
          : difference.flooredAt(difference.samplingError(errorsA, errorsB), "the held-out images, unpaired");
    }

    private static Map<String, Double> values(Map<String, TokenizerRow> runs, ToDoubleFunction<TokenizerRow> metric) {
      Map<String, Double> out = new LinkedHashMap<>();
      runs.forEach((label, row) -> out.put(label, metric.applyAsDouble(row)));
      return out;
    }

    void appendMarkdown(StringBuilder md) {
      md.append("| tokenizer | PSNR dB | SSIM | Fréchet (Inception mixed5) | probe: pooled latents | probe: 2×2 latents |\n")
          .append("|---|---|---|---|---|---|\n");
      for (TokenizerRow row : rows) {
        TokenizerRow sd = row.spread();
        if (sd == null) {
          md.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %s | %.1f %% | %.1f %% |%n",
              row.variant().description(), row.psnr(), row.ssim(), row.frechetText(), 100 * row.probePooled(),
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
      md.append("\nOne run: the number (Fréchet with its 95 % bootstrap interval when the evaluation has one); "
          + "several seeds: mean ± sd over them.\n");
      List<String> differences = differences();
      if (!differences.isEmpty()) {
        md.append("\nDifferences of the deciding variants (a − b ± its standard error; paired by seed = mean of the "
            + "per-seed differences, sd/√k; over seeds = √(sd_a²/k_a + sd_b²/k_b); either never below the runs' own "
            + "sampling error: \"floored at the bootstraps\" (Fréchet) or \"at the held-out images, unpaired\" (PSNR, "
            + "SSIM: sd/√n of each run's per-image values, as if the runs were on different images, so on the large "
            + "side); bootstrap = one run each, √(se_a² + se_b²) of the Fréchet bootstraps):\n");
        differences.forEach(line -> md.append("- ").append(line).append('\n'));
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
    TokenizerTable emoji = TokenizerTable.read(json, docs, TOKENIZER_VARIANTS);
    TokenizerTable fashion = TokenizerTable.read(json, docs.resolve(FASHION_FOLDER),
        TOKENIZER_VARIANTS.stream().filter(v -> FASHION_VARIANTS.contains(v.folder())).toList());
    List<GenerationPoint> points = new ArrayList<>();
    List<String> runs = new ArrayList<>(DIT_RUNS.keySet());
    subfolders(docs).stream().map(name -> name.startsWith("dit-") ? name.substring(4) : null)
        .filter(name -> name != null && !runs.contains(name)).sorted().forEach(runs::add);
    for (String run : runs) {
      Path folder = docs.resolve("dit-" + run);
      // Several DiT seeds: dit-<run>/seed-<S>/step-<N>/ beside dit-<run>/step-<N>/.
      Map<Long, List<JsonNode>> bySteps = new TreeMap<>();
      Map<Long, Path> firstFile = new TreeMap<>();
      List<Path> seedRoots = new ArrayList<>(List.of(folder));
      subfolders(folder).stream().filter(name -> name.matches(SEED_FOLDER_PREFIX + "\\d+")).sorted()
          .forEach(name -> seedRoots.add(folder.resolve(name)));
      for (Path root : seedRoots) {
        for (String name : subfolders(root)) {
          Matcher matcher = STEP_FOLDER.matcher(name);
          Path generationJson = root.resolve(name).resolve(GenerationEvaluation.REPORT_FILE);
          if (matcher.matches() && Files.isRegularFile(generationJson)) {
            long step = Long.parseLong(matcher.group(1));
            bySteps.computeIfAbsent(step, k -> new ArrayList<>()).add(readTree(json, generationJson));
            firstFile.putIfAbsent(step, generationJson);
          }
        }
      }
      bySteps.forEach((step, evals) -> points.add(generationPoint(run, step, firstFile.get(step), evals)));
    }
    points.sort(Comparator.comparing((GenerationPoint p) -> runs.indexOf(p.run())).thenComparingLong(GenerationPoint::step));
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
    speedup("Fréchet distance without CFG", p -> p.frechet().value()).ifPresent(speedups::add);
    speedup("Fréchet distance with CFG 3", GenerationPoint::frechetCfg).ifPresent(speedups::add);
    if (generation.stream().allMatch(p -> p.toReconstructions().measured())) {
      speedup("Fréchet distance to the tokenizer's own reconstructions, without CFG",
          p -> p.toReconstructions().value()).ifPresent(speedups::add);
    }
    return speedups;
  }

  private Optional<Speedup> speedup(String metric, ToDoubleFunction<GenerationPoint> value) {
    return speedup(metric, "baseline", "alignTok", value);
  }

  /** Steps {@code candidate}'s DiT needed to reach {@code reference}'s final value of {@code value}. */
  private Optional<Speedup> speedup(String metric, String reference, String candidate,
      ToDoubleFunction<GenerationPoint> value) {
    List<GenerationPoint> baseline = pointsOf(reference);
    List<GenerationPoint> alignTok = pointsOf(candidate);
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
      String toReconstructions = p.toReconstructions().measured() ? p.toReconstructions().text() : "not measured";
      String chance = Double.isNaN(p.consistencyChance()) ? ""
          : String.format(Locale.ROOT, " (chance %.1f %%)", 100 * p.consistencyChance());
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %.1f %%%s | %.1f %% |%n", ditLabel(p.run()),
          p.step(), p.frechet().text(), p.frechetCfg(), toReconstructions, 100 * p.consistency(), chance,
          100 * p.consistencyCfg()));
    }
    if (generation.isEmpty()) {
      md.append("| not evaluated yet | | | | | | |\n");
    }
    md.append('\n');
    for (Speedup s : speedups()) {
      md.append(String.format(Locale.ROOT, "- %s: the old baseline ends at %.2f after %d steps; ", s.metric(),
          s.baselineFinal(), s.baselineSteps()));
      md.append(s.alignTokSteps()
          .map(steps -> String.format(Locale.ROOT, "AlignTok is there by step %d (evaluated checkpoints): %.1f× fewer steps.%n",
              steps, s.factor().orElseThrow()))
          .orElse("AlignTok does not reach it at any evaluated checkpoint: no speed-up at this scale.\n"));
    }
    md.append("\nNo-CFG Fréchet distances: [95 % bootstrap interval] when the evaluation has one, ± sd over DiT seeds "
        + "when there are several; class-consistency chance = Σq² over the requested classes' frequencies.\n");
    appendFrontier(md);
    md.append("\n## Claims\n\n| claim | verdict | evidence |\n|---|---|---|\n");
    for (Claim claim : claims()) {
      md.append("| ").append(claim.statement()).append(" | ").append(claim.verdict()).append(" | ")
          .append(claim.evidence()).append(" |\n");
    }
    return md.toString();
  }

  /** A claim of the study and what the evaluations say about it. */
  public record Claim(String statement, String verdict, String evidence) {}

  /** A distance the DiT claims are judged on: how the claim names it, and where a point keeps it. */
  private record ClaimMeasure(String name, Function<GenerationPoint, MeasuredDistance> distance) {}

  /**
   * Both no-CFG distances: to the held-out images (what the pipeline produces) and to the tokenizer's
   * own reconstructions (the DiT apart from its decoder, whose quality differs between tokenizers).
   */
  private static final List<ClaimMeasure> CLAIM_MEASURES = List.of(
      new ClaimMeasure("Fréchet to the held-out images", GenerationPoint::frechet),
      new ClaimMeasure("Fréchet to the tokenizer's own reconstructions: the DiT apart from its decoder",
          GenerationPoint::toReconstructions));

  /**
   * Each DiT claim on each of {@link #CLAIM_MEASURES}: the speed-up as {@link #speedups()} computes
   * it (first checkpoint of AlignTok's DiT at or below the other's final value), and whether the gap
   * at the other's final step exceeds twice its standard error (seeds' spread when both have several
   * seeds, else the two bootstrap errors).
   */
  public List<Claim> claims() {
    List<Claim> claims = new ArrayList<>();
    for (DitClaim claim : DIT_CLAIMS) {
      for (ClaimMeasure measure : CLAIM_MEASURES) {
        claims.add(judge(claim, measure));
      }
    }
    return claims;
  }

  private Claim judge(DitClaim claim, ClaimMeasure measure) {
    String statement = claim.statement() + " (" + measure.name() + ")";
    List<String> missing = new ArrayList<>();
    for (String run : List.of(claim.candidate(), claim.reference())) {
      if (pointsOf(run).stream().noneMatch(p -> measure.distance().apply(p).measured())) {
        missing.add("docs/study/dit-" + run);
      }
    }
    if (!missing.isEmpty()) {
      return new Claim(statement, "not measured yet", "no evaluation with this distance in " + String.join(", ", missing));
    }
    ToDoubleFunction<GenerationPoint> value = p -> measure.distance().apply(p).value();
    Speedup speedup = speedup("", claim.reference(), claim.candidate(), value).orElseThrow();
    List<GenerationPoint> reference = pointsOf(claim.reference());
    GenerationPoint last = reference.get(reference.size() - 1);
    StringBuilder evidence = new StringBuilder(String.format(Locale.ROOT, "%s ends at %.2f after %d steps; ",
        ditLabel(claim.reference()), value.applyAsDouble(last), last.step()));
    evidence.append(speedup.alignTokSteps().map(steps -> String.format(Locale.ROOT,
        "%s is there by step %d (%.1f× fewer steps)", ditLabel(claim.candidate()), steps, speedup.factor().orElseThrow()))
        .orElse(ditLabel(claim.candidate()) + " does not reach it"));
    Optional<GenerationPoint> same = pointsOf(claim.candidate()).stream().filter(p -> p.step() == last.step()).findFirst();
    double gap = Double.NaN;
    double error = Double.NaN;
    String kind = "";
    if (same.isPresent()) {
      MeasuredDistance a = measure.distance().apply(last);
      MeasuredDistance b = measure.distance().apply(same.get());
      gap = a.value() - b.value();
      error = Math.sqrt(Math.pow(a.error(), 2) + Math.pow(b.error(), 2));
      kind = a.seeds() > 1 && b.seeds() > 1 ? "seeds' spread" : a.seeds() > 1 || b.seeds() > 1
          ? "seeds' spread on one side, bootstrap on the other" : "bootstrap";
      if (a.flooredBySamples() || b.flooredBySamples()) {
        kind += ", floored at the samples' bootstrap error";
      }
      String direction = gap >= 0 ? "lower" : "higher";
      evidence.append(Double.isNaN(error)
          ? String.format(Locale.ROOT, "; at step %d AlignTok is %s by %.2f (no interval measured)", last.step(), direction,
              Math.abs(gap))
          : String.format(Locale.ROOT, "; at step %d AlignTok is %s by %.2f ± %.2f (%s, %.1f SE)", last.step(), direction,
              Math.abs(gap), error, kind, Math.abs(gap) / error));
    }
    boolean faster = speedup.factor().map(f -> f > 1).orElse(false);
    String verdict = !faster ? "does not hold at this scale"
        : Double.isNaN(error) ? "faster at the evaluated checkpoints; no spread measured to judge it"
        : gap > 2 * error ? "holds: faster, beyond the " + spreadName(kind) + " (gap > 2 SE)"
        : "not shown: faster at the evaluated checkpoints, but within the " + spreadName(kind);
    return new Claim(statement, verdict, evidence.toString());
  }

  /** What a claim's standard error measured: the DiT seeds' spread, or only one run's sampling spread. */
  private static String spreadName(String kind) {
    return kind.equals("bootstrap") ? "bootstrap spread (one DiT seed each: samples, not seeds)" : kind;
  }

  /** The frontier rows: each method at each width, from the emoji table (empty when not evaluated). */
  private Optional<TokenizerRow> frontierRow(String method, int channels) {
    return emoji.row(FRONTIER.get(method).get(channels));
  }

  private void appendFrontier(StringBuilder md) {
    md.append("\n## The latent-width frontier (C = 8 and C = 32 channels, same 8×8 grid)\n\n")
        .append("| tokenizer | C | PSNR dB | SSIM | Fréchet (Inception mixed5) | seeds | folder |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (String method : FRONTIER_ORDER) {
      for (int channels : List.of(8, 32)) {
        String folder = FRONTIER.get(method).get(channels);
        Optional<TokenizerRow> row = frontierRow(method, channels);
        if (row.isEmpty()) {
          md.append(String.format(Locale.ROOT, "| %s | %d | not evaluated yet | | | | %s |%n", method, channels, folder));
          continue;
        }
        TokenizerRow r = row.get();
        TokenizerRow sd = r.spread();
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d | %s |%n", method, channels,
            sd == null ? String.format(Locale.ROOT, "%.2f", r.psnr()) : String.format(Locale.ROOT, "%.2f ± %.2f", r.psnr(), sd.psnr()),
            sd == null ? String.format(Locale.ROOT, "%.3f", r.ssim()) : String.format(Locale.ROOT, "%.3f ± %.3f", r.ssim(), sd.ssim()),
            r.frechetText(), r.runs(), folder));
      }
    }
    md.append("\nDiT convergence at each width: the runs ").append(String.join(", ", FRONTIER_DITS.stream()
        .map(run -> "`dit-" + run + "` (" + ditLabel(run) + (pointsOf(run).isEmpty() ? ", not evaluated yet" : "") + ")")
        .toList())).append(" in the diffusion table above; all of it drawn in `frontier.png`.\n");
  }

  /** The four (method × C) DiTs of the frontier plot. */
  static final List<String> FRONTIER_DITS = List.of("alignTok-c8", "vanilla-c8", "alignTok-c32", "vanilla-c32");

  /**
   * Draws the frontier into {@code png} (the convergence plot's code, {@link LossCurves}): PSNR and
   * Fréchet of the full method and the fair baseline against C, and the four DiTs' no-CFG Fréchet
   * distances (to the held-out images; to each tokenizer's own reconstructions) against their steps,
   * with bootstrap intervals (or ± sd over seeds) as error bars, stacked under
   * captions; a panel without data is left out, and nothing is written when all are.
   *
   * @return the panels drawn
   */
  public int writeFrontierPlot(Path png) {
    List<CaptionedStack.Panel> panels = new ArrayList<>();
    for (String metric : List.of("PSNR dB", "Fréchet")) {
      boolean psnr = metric.startsWith("PSNR");
      List<String> lines = new ArrayList<>();
      List<String> series = new ArrayList<>();
      Map<String, List<String>> bars = new LinkedHashMap<>();
      for (int channels : List.of(8, 32)) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", channels);
        for (String method : FRONTIER_ORDER) {
          Optional<TokenizerRow> row = frontierRow(method, channels);
          if (row.isEmpty()) {
            continue;
          }
          TokenizerRow r = row.get();
          double value = psnr ? r.psnr() : r.frechet();
          double sd = r.spread() == null ? Double.NaN : psnr ? r.spread().psnr() : r.spread().frechet();
          double lower = !Double.isNaN(sd) ? value - sd : psnr ? Double.NaN : r.frechetLower();
          double upper = !Double.isNaN(sd) ? value + sd : psnr ? Double.NaN : r.frechetUpper();
          putPoint(line, series, bars, method, value, lower, upper);
        }
        lines.add(jsonLine(line));
      }
      if (!series.isEmpty()) {
        panels.add(new CaptionedStack.Panel("reconstruction " + metric + " vs latent channels C", LossCurves.render(
            MetricsLog.parse(lines, "frontier"), LossCurves.Options.defaults().withTitle("held-out reconstruction " + metric
                + " (bars: ± sd over seeds or 95 % bootstrap)").withSeries(series).withErrorBars(bars)
                .withXLabel("latent channels C"))));
      }
    }
    for (ClaimMeasure measure : CLAIM_MEASURES) {
      Map<Long, Map<String, Object>> bySteps = new TreeMap<>();
      List<String> series = new ArrayList<>();
      Map<String, List<String>> bars = new LinkedHashMap<>();
      for (String run : FRONTIER_DITS) {
        for (GenerationPoint p : pointsOf(run)) {
          MeasuredDistance d = measure.distance().apply(p);
          if (d.measured()) {
            Map<String, Object> line = bySteps.computeIfAbsent(p.step(), step -> new LinkedHashMap<>(Map.of("step", step)));
            putPoint(line, series, bars, ditLabel(run), d.value(), d.barLower(), d.barUpper());
          }
        }
      }
      if (!series.isEmpty()) {
        List<String> lines = bySteps.values().stream().map(StudyReport::jsonLine).toList();
        panels.add(new CaptionedStack.Panel("DiT samples, no CFG: " + measure.name(), LossCurves.render(
            MetricsLog.parse(lines, "frontier"), LossCurves.Options.defaults().withTitle("Fréchet vs DiT steps (lower is "
                + "better; bars: 95 % bootstrap or ± sd over DiT seeds)").withSeries(series)
                .withErrorBars(bars).withXLabel("DiT training steps"))));
      }
    }
    if (!panels.isEmpty()) {
      ReconstructionGrid.writePng(png, CaptionedStack.render(panels));
    }
    return panels.size();
  }

  private static void putPoint(Map<String, Object> line, List<String> series, Map<String, List<String>> bars, String name,
      double value, double lower, double upper) {
    line.put(name, value);
    if (!series.contains(name)) {
      series.add(name);
    }
    if (!Double.isNaN(lower) && !Double.isNaN(upper)) {
      line.put(name + " lower", lower);
      line.put(name + " upper", upper);
      bars.put(name, List.of(name + " lower", name + " upper"));
    }
  }

  private static String jsonLine(Map<String, Object> line) {
    try {
      return new ObjectMapper().writeValueAsString(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ditLabel(String run) {
    return DIT_RUNS.getOrDefault(run, run);
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
      String label = ditLabel(p.run());
      Map<String, Double> row = bySteps.computeIfAbsent(p.step(), step -> new LinkedHashMap<>());
      row.put(label + " no CFG", p.frechet().value());
      row.put(label + " CFG 3", p.frechetCfg());
      List<String> names = new ArrayList<>(List.of(label + " no CFG", label + " CFG 3"));
      if (p.toReconstructions().measured()) {
        row.put(label + " vs own reconstructions", p.toReconstructions().value());
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
   * {@code reconstructions.png} (emoji) and {@code fashion-mnist/reconstructions.png}, and each DiT's
   * samples at its last evaluated checkpoint into {@code samples.png} (see {@link SamplePanels}); a
   * figure with no input is not written.
   */
  public SideBySide writeSideBySide(Path docs) {
    int tokenizers = writeReconstructions(emoji, docs, docs.resolve("reconstructions.png"));
    int fashionTokenizers = writeReconstructions(fashion, docs.resolve(FASHION_FOLDER),
        docs.resolve(FASHION_FOLDER).resolve("reconstructions.png"));
    List<CaptionedStack.Panel> samples = new ArrayList<>();
    for (String run : generation.stream().map(GenerationPoint::run).distinct().toList()) {
      List<GenerationPoint> points = pointsOf(run);
      if (!points.isEmpty()) {
        GenerationPoint last = points.get(points.size() - 1);
        SamplePanels.of(docs.resolve("dit-" + run), ditLabel(run), last.step(), last.frechet().value())
            .ifPresent(samples::add);
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

  static BufferedImage readPng(Path png) {
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

  /** Label of one run's eval.json: {@link #FIRST_RUN} for the variant's own, else its seed folder. */
  static String runLabel(Path eval) {
    String parent = eval.getParent().getFileName().toString();
    return parent.matches(SEED_FOLDER_PREFIX + "\\d+") ? parent : FIRST_RUN;
  }

  /** {@code expected}, then every other sub-folder of {@code folder} holding an evaluation (sorted). */
  private static List<Variant> withDiscovered(Path folder, List<Variant> expected) {
    List<Variant> all = new ArrayList<>(expected);
    List<String> known = TOKENIZER_VARIANTS.stream().map(Variant::folder).toList();
    for (String name : subfolders(folder)) {
      boolean listed = all.stream().anyMatch(v -> v.folder().equals(name));
      if (!listed && !name.startsWith("dit-") && !name.equals(FASHION_FOLDER) && !runsOf(folder.resolve(name)).isEmpty()) {
        all.add(known.contains(name) ? TOKENIZER_VARIANTS.get(known.indexOf(name)) : new Variant(name, name));
      }
    }
    return all;
  }

  /** Names of the directories in {@code folder}, sorted (none if it does not exist). */
  private static List<String> subfolders(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(folder)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private static Map<String, String> linked(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
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
        new TokenizerRow(variant, sds[0], sds[1], sds[2], sds[3], sds[4]), runs.get(0).channels(), Double.NaN, Double.NaN,
        Double.NaN, MeanErrors.UNKNOWN);
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Sampling error of a mean of k measurements from their own standard errors: √(Σ seᵢ²) / k. */
  static double errorOfMean(double[] standardErrors) {
    double squares = 0;
    for (double se : standardErrors) {
      squares += se * se;
    }
    return Math.sqrt(squares) / standardErrors.length;
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

  /** One run; the Fréchet interval from {@code frechet.interval} when the evaluation has one. */
  private static TokenizerRow tokenizerRow(Variant variant, Path file, JsonNode eval) {
    JsonNode interval = eval.path("frechet").path("interval");
    return new TokenizerRow(variant, number(file, eval, "psnr", "mean"), number(file, eval, "ssim", "mean"),
        number(file, eval, "frechet", "result", "distance"), number(file, eval, "probes", "latents", "heldOutAccuracy"),
        number(file, eval, "probes", "latents_2x2", "heldOutAccuracy"), 1, null,
        eval.path("latents").path("channels").asInt(0), interval.path("lower").asDouble(Double.NaN),
        interval.path("upper").asDouble(Double.NaN), interval.path("standardError").asDouble(Double.NaN),
        MeanErrors.of(eval));
  }

  /** A DiT checkpoint over its seeds' evaluations (the first one's interval, chance and the other metrics). */
  private static GenerationPoint generationPoint(String run, long step, Path file, List<JsonNode> evals) {
    JsonNode first = evals.get(0);
    double[] frechets = evals.stream().mapToDouble(e -> number(file, e, "runs", "without_cfg", "frechetDistance")).toArray();
    // Older evaluations lack the distance to the reconstructions: NaN, shown as "not measured".
    double[] toReconstructions = evals.stream()
        .mapToDouble(e -> e.path("runs").path("without_cfg").path("frechetToReconstructions").asDouble(Double.NaN)).toArray();
    JsonNode noCfg = first.path("runs").path("without_cfg");
    List<JsonNode> noCfgRuns = evals.stream().map(e -> e.path("runs").path("without_cfg")).toList();
    return new GenerationPoint(run, step,
        MeasuredDistance.of(frechets, noCfgRuns.stream().map(r -> r.path("frechetInterval")).toList()),
        number(file, first, "runs", "with_cfg", "frechetDistance"),
        number(file, first, "runs", "without_cfg", "classConsistency"),
        number(file, first, "runs", "with_cfg", "classConsistency"),
        MeasuredDistance.of(toReconstructions,
            noCfgRuns.stream().map(r -> r.path("frechetToReconstructionsInterval")).toList()),
        noCfg.path("classConsistencyChance").asDouble(Double.NaN));
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

  static JsonNode readTree(ObjectMapper json, Path file) {
    try {
      return json.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      // A damaged published file is the user's to fix: one message naming it and the place, no stack trace.
      throw new IllegalArgumentException("evaluation " + file + " is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evaluation " + file, e);
    }
  }
}
