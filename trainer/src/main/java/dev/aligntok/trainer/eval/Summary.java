package dev.aligntok.trainer.eval;

/**
 * Mean, standard deviation (population), min and max of per-image values such as PSNR.
 */
public record Summary(int count, double mean, double std, double min, double max) {
  public static Summary of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("cannot summarise zero values");
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Summary(values.length, mean, Math.sqrt(squares / values.length), min, max);
  }
}
