package dev.aligntok.trainer.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A bootstrap interval for a Fréchet distance D: both feature sets are resampled with replacement
 * (each to its own size) and the distance recomputed; the resampled distances' standard deviation
 * is D's standard error, and the interval is D ± 1.96 of it (95 %). It shows how much the number
 * would move with other samples of the same size — the spread that decides whether two models'
 * distances differ — not the O(d/n) bias all of them share (compare only distances of equal
 * sample counts).
 *
 * <p>Why not the percentiles of the resampled distances: a resample repeats rows, so it has fewer
 * distinct samples and its distance is biased further upwards; in hundreds of dimensions with a few
 * hundred images the resampled distances lie wholly above D, and the reverse-percentile interval
 * (2D − q_hi, 2D − q_lo) lies wholly below it. Their spread is still a fair measure of D's
 * sampling error; their location is not. The resamples' median is reported to show that shift.
 *
 * <p>Two ways to resample. {@link #interval} draws each set on its own: for independent samples,
 * such as generated images against held-out images. {@link #pairedInterval} draws image indices
 * once and takes row i of both sets: for paired sets, such as held-out images and their own
 * reconstructions, whose spread comes from which images were held out — drawn on their own, the
 * pairs would come apart and every resample would compare different images.
 *
 * <p>Cost: one {@link FrechetDistance} per resample (two symmetric eigendecompositions; about 4 s at
 * 768 features), so 100 resamples take minutes: use it on the comparisons that decide something.
 */
public final class FrechetBootstrap {
  private static final double Z_95 = 1.959964;

  /**
   * @param distance D, the distance on the sets as given
   * @param lower D − 1.96 standard errors (at least 0)
   * @param upper D + 1.96 standard errors
   * @param standardError the resampled distances' standard deviation
   * @param resampledMedian their median (above D by the resampling bias)
   * @param resamples how many resampled distances it rests on
   * @param seed the resampling seed (the same seed and sets give the same interval)
   */
  public record Interval(double distance, double lower, double upper, double standardError, double resampledMedian,
      int resamples, long seed) {}

  private FrechetBootstrap() {}

  /**
   * The 95 % interval of two independent sets, each resampled on its own, from {@code resamples}
   * (at least 2) drawn with {@code seed}.
   */
  public static Interval interval(double[][] a, double[][] b, int resamples, long seed) {
    check(a, b, resamples);
    return interval(a, b, resamples, seed, random -> new double[][][] {resample(a, random), resample(b, random)});
  }

  /**
   * The 95 % interval of two paired sets (row i of {@code a} belongs with row i of {@code b}): each
   * resample draws row indices once and takes those rows of both.
   */
  public static Interval pairedInterval(double[][] a, double[][] b, int resamples, long seed) {
    check(a, b, resamples);
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired feature sets need as many rows each, got " + a.length + " and " + b.length);
    }
    return interval(a, b, resamples, seed, random -> {
      double[][][] drawn = {new double[a.length][], new double[b.length][]};
      for (int i = 0; i < a.length; i++) {
        int row = random.nextInt(a.length);
        drawn[0][i] = a[row];
        drawn[1][i] = b[row];
      }
      return drawn;
    });
  }

  private static void check(double[][] a, double[][] b, int resamples) {
    if (resamples < 2) {
      throw new IllegalArgumentException("a bootstrap interval needs at least 2 resamples, got " + resamples);
    }
    if (a.length < 2 || b.length < 2) {
      throw new IllegalArgumentException("each feature set needs at least 2 rows, got " + a.length + " and " + b.length);
    }
  }

  /** D on the sets as given, and the spread of D over {@code resamples} pairs of sets from {@code draw}. */
  private static Interval interval(double[][] a, double[][] b, int resamples, long seed,
      Function<SplittableRandom, double[][][]> draw) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] distances = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double[][][] drawn = draw.apply(random);
      distances[r] = FrechetDistance.between(drawn[0], drawn[1]).distance();
    }
    Arrays.sort(distances);
    double distance = FrechetDistance.between(a, b).distance();
    double mean = Arrays.stream(distances).average().orElseThrow();
    double standardError = Math.sqrt(Arrays.stream(distances).map(x -> (x - mean) * (x - mean)).sum() / (resamples - 1));
    return new Interval(distance, Math.max(0, distance - Z_95 * standardError), distance + Z_95 * standardError,
        standardError, percentile(distances, 0.5), resamples, seed);
  }

  /** Rows drawn with replacement, as many as there are (the rows are shared, not copied). */
  private static double[][] resample(double[][] rows, SplittableRandom random) {
    double[][] drawn = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      drawn[i] = rows[random.nextInt(rows.length)];
    }
    return drawn;
  }

  /** Linear interpolation between the order statistics around rank q·(n − 1). */
  static double percentile(double[] sorted, double q) {
    double rank = q * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
