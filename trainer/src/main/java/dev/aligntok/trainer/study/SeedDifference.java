package dev.aligntok.trainer.study;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * a − b of one metric of two variants that were each trained once or with several seeds, with its
 * standard error: paired by seed when both have at least two seeds in common (the mean of the
 * per-seed differences, SE = their sd / √k, over the common seeds only); else, with at least two
 * runs each, unpaired over seeds (difference of the means, SE = √(sd_a²/k_a + sd_b²/k_b)); else no
 * seed spread is known (SE NaN), and a caller may fall back to a measurement error such as the
 * bootstrap's ({@link #orMeasurementError}).
 *
 * @param kind "paired by seed", "over seeds", "bootstrap", "one run each" or "one side has a single run"
 * @param runs seeds behind the difference (the smaller count when unpaired)
 */
record SeedDifference(double difference, double standardError, String kind, int runs) {

  /** From each variant's value by run label (the same label = the same training seed). */
  static SeedDifference of(Map<String, Double> a, Map<String, Double> b) {
    List<String> common = a.keySet().stream().filter(b::containsKey).toList();
    if (common.size() >= 2) {
      double[] d = common.stream().mapToDouble(s -> a.get(s) - b.get(s)).toArray();
      return new SeedDifference(StudyReport.mean(d), StudyReport.sd(d) / Math.sqrt(d.length), "paired by seed", d.length);
    }
    double[] va = a.values().stream().mapToDouble(Double::doubleValue).toArray();
    double[] vb = b.values().stream().mapToDouble(Double::doubleValue).toArray();
    double difference = StudyReport.mean(va) - StudyReport.mean(vb);
    if (va.length >= 2 && vb.length >= 2) {
      double se = Math.sqrt(Math.pow(StudyReport.sd(va), 2) / va.length + Math.pow(StudyReport.sd(vb), 2) / vb.length);
      return new SeedDifference(difference, se, "over seeds", Math.min(va.length, vb.length));
    }
    String kind = va.length == 1 && vb.length == 1 ? "one run each" : "one side has a single run";
    return new SeedDifference(difference, Double.NaN, kind, Math.min(va.length, vb.length));
  }

  /** Without a seed spread, √(se_a² + se_b²) from the two measurements' own errors when both are known. */
  SeedDifference orMeasurementError(double seA, double seB) {
    if (!Double.isNaN(standardError) || !Double.isFinite(seA) || !Double.isFinite(seB)) {
      return this;
    }
    return new SeedDifference(difference, Math.sqrt(seA * seA + seB * seB), "bootstrap", runs);
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
        kind.equals("bootstrap") ? "" : ", k = " + runs, z);
  }
}
