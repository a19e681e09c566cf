package dev.aligntok.trainer.study;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * a − b of one metric of two variants that were each trained once or with several seeds, with its
 * standard error: paired by seed when both have at least two seeds in common (the mean of the
 * per-seed differences, SE = their sd / √k, over the common seeds only); else, with at least two
 * runs each, unpaired over seeds (difference of the means, SE = √(sd_a²/k_a + sd_b²/k_b)); else, when
 * one side has a single run that the other also has, on that one shared run (a mean of two seeds
 * against one seed would mix the seeds' spread into the difference); else no seed spread is known.
 * Without a seed spread (SE NaN) a caller may fall back to the runs' own measurement errors, such as
 * the bootstrap's ({@link #orMeasurementError}).
 *
 * @param kind "paired by seed", "over seeds", {@link #ON_SHARED_RUN}, "bootstrap", "one run each" or
 *     "one side has a single run"
 * @param runs seeds behind the difference (the smaller count when unpaired)
 * @param sharedRun the run label of the one shared run ({@link #ON_SHARED_RUN}), else null
 */
record SeedDifference(double difference, double standardError, String kind, int runs, String sharedRun) {
  static final String ON_SHARED_RUN = "on the one run both have";
  static final String PAIRED_BY_SEED = "paired by seed";

  /** From each variant's value by run label (the same label = the same training seed). */
  static SeedDifference of(Map<String, Double> a, Map<String, Double> b) {
    List<String> common = a.keySet().stream().filter(b::containsKey).toList();
    if (common.size() >= 2) {
      double[] d = common.stream().mapToDouble(s -> a.get(s) - b.get(s)).toArray();
      return new SeedDifference(StudyReport.mean(d), StudyReport.sd(d) / Math.sqrt(d.length), PAIRED_BY_SEED, d.length,
          null);
    }
    double[] va = a.values().stream().mapToDouble(Double::doubleValue).toArray();
    double[] vb = b.values().stream().mapToDouble(Double::doubleValue).toArray();
    if (va.length >= 2 && vb.length >= 2) {
      double se = Math.sqrt(Math.pow(StudyReport.sd(va), 2) / va.length + Math.pow(StudyReport.sd(vb), 2) / vb.length);
      return new SeedDifference(StudyReport.mean(va) - StudyReport.mean(vb), se, "over seeds",
          Math.min(va.length, vb.length), null);
    }
    if (common.size() == 1 && va.length + vb.length > 2) {
      String shared = common.get(0);
      return new SeedDifference(a.get(shared) - b.get(shared), Double.NaN, ON_SHARED_RUN, 1, shared);
    }
    String kind = va.length == 1 && vb.length == 1 ? "one run each" : "one side has a single run";
    return new SeedDifference(StudyReport.mean(va) - StudyReport.mean(vb), Double.NaN, kind,
        Math.min(va.length, vb.length), null);
  }

  /**
   * With the compared runs' own errors (by run label; e.g. their Fréchet bootstraps): without a seed
   * spread, √(se_a² + se_b²) of the shared run's, or each side's only run's; with one, the spread's
   * error but never less than the sampling error of the same difference, since two or three seeds can
   * agree more closely by chance than their samples allow (paired: √Σ(se_a,s² + se_b,s²) / k over the
   * common seeds; over seeds: √(Σ se_a² / k_a² + Σ se_b² / k_b²)).
   */
  SeedDifference orMeasurementError(Map<String, Double> errorsA, Map<String, Double> errorsB) {
    if (!Double.isNaN(standardError)) {
      return flooredAt(samplingError(errorsA, errorsB), "the bootstraps");
    }
    double seA = errorOfComparedRun(errorsA);
    double seB = errorOfComparedRun(errorsB);
    if (!Double.isFinite(seA) || !Double.isFinite(seB)) {
      return this;
    }
    String measured = sharedRun != null ? "bootstrap, " + ON_SHARED_RUN : "bootstrap";
    return new SeedDifference(difference, Math.sqrt(seA * seA + seB * seB), measured, runs, sharedRun);
  }

  /**
   * This difference with its error raised to {@code floor} when that is larger (a seed spread smaller
   * than the runs' own sampling error is luck); "floored at {@code what}" is added to its kind.
   */
  SeedDifference flooredAt(double floor, String what) {
    return floor > standardError ? new SeedDifference(difference, floor, kind + ", floored at " + what, runs, sharedRun) : this;
  }

  /** The sampling error of a seed-spread difference from each run's own error; NaN if any is unknown. */
  double samplingError(Map<String, Double> errorsA, Map<String, Double> errorsB) {
    if (kind.equals(PAIRED_BY_SEED)) {
      double[] perSeed = errorsA.keySet().stream().filter(errorsB::containsKey)
          .mapToDouble(s -> Math.hypot(errorsA.get(s), errorsB.get(s))).toArray();
      return StudyReport.errorOfMean(perSeed);
    }
    return Math.hypot(StudyReport.errorOfMean(values(errorsA)), StudyReport.errorOfMean(values(errorsB)));
  }

  private static double[] values(Map<String, Double> errors) {
    return errors.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private double errorOfComparedRun(Map<String, Double> errors) {
    if (sharedRun != null) {
      return errors.getOrDefault(sharedRun, Double.NaN);
    }
    return errors.size() == 1 ? errors.values().iterator().next() : Double.NaN;
  }

  /** The same difference in other units (e.g. accuracy as points: factor 100). */
  SeedDifference scaled(double factor) {
    return new SeedDifference(factor * difference, factor * standardError, kind, runs, sharedRun);
  }

  double zScore() {
    return standardError == 0 || Double.isNaN(standardError) ? Double.NaN : difference / standardError;
  }

  /** "+1.23 ± 0.40 (paired by seed, k = 3, 3.1 SE)" with {@code decimals} digits, or "+1.23 (one run each: no spread)". */
  String format(int decimals) {
    String number = "%+." + decimals + "f";
    if (Double.isNaN(standardError)) {
      return String.format(Locale.ROOT, number + " (%s: no spread measured)", difference, kind);
    }
    String z = Double.isNaN(zScore()) ? "" : String.format(Locale.ROOT, ", %.1f SE", zScore());
    return String.format(Locale.ROOT, number + " ± %." + decimals + "f (%s%s%s)", difference, standardError, kind,
        kind.startsWith("bootstrap") ? "" : ", k = " + runs, z);
  }
}
