package dev.aligntok.trainer.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * A Fréchet distance of a DiT checkpoint with what is known of its spread: the mean over the
 * DiT's seeds and their sd when there are several, else the first evaluation's bootstrap interval
 * when it has one (NaN fields when not).
 *
 * @param value the distance (mean over seeds); NaN when the evaluation did not measure it
 * @param seeds how many evaluations (DiT seeds) it rests on
 * @param sd sample sd over the seeds (NaN for one)
 * @param lower 95 % bootstrap interval of the first evaluation (NaN without one)
 * @param upper its upper end
 * @param standardError the sampling error of {@code value} from the bootstraps: one evaluation's, or
 *     for a mean over seeds √(Σ seᵢ²)/k (NaN unless every evaluation has one)
 */
public record MeasuredDistance(double value, int seeds, double sd, double lower, double upper, double standardError) {
  /** {@code values} over seeds (at least one), with each evaluation's {@code interval} node (may be missing). */
  static MeasuredDistance of(double[] values, List<JsonNode> intervals) {
    JsonNode first = intervals.get(0);
    double[] errors = intervals.stream().mapToDouble(interval -> interval.path("standardError").asDouble(Double.NaN)).toArray();
    return new MeasuredDistance(StudyReport.mean(values), values.length,
        values.length > 1 ? StudyReport.sd(values) : Double.NaN, first.path("lower").asDouble(Double.NaN),
        first.path("upper").asDouble(Double.NaN), StudyReport.errorOfMean(errors));
  }

  public boolean measured() {
    return !Double.isNaN(value);
  }

  /** Mean ± sd over seeds, or the value with its bootstrap interval, or bare. */
  String text() {
    if (seeds > 1) {
      return String.format(Locale.ROOT, "%.2f ± %.2f (%d seeds)", value, sd, seeds);
    }
    return Double.isNaN(lower) ? String.format(Locale.ROOT, "%.2f", value)
        : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", value, lower, upper);
  }

  /**
   * Its standard error: over seeds sd/√k, but never below the bootstraps' sampling error (a few
   * seeds can agree by chance more closely than their samples allow); for one seed the bootstrap's;
   * else NaN.
   */
  double error() {
    return flooredBySamples() ? standardError : seeds > 1 ? sd / Math.sqrt(seeds) : standardError;
  }

  /** Whether the seeds agree more closely than their samples' bootstrap error, which then stands as the error. */
  boolean flooredBySamples() {
    return seeds > 1 && standardError > sd / Math.sqrt(seeds);
  }

  /** Lower end of an error bar: value − sd over seeds, else the bootstrap interval's (NaN without either). */
  double barLower() {
    return seeds > 1 ? value - sd : lower;
  }

  double barUpper() {
    return seeds > 1 ? value + sd : upper;
  }
}
