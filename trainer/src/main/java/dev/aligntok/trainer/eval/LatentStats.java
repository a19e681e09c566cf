package dev.aligntok.trainer.eval;

/**
 * Per-channel mean and standard deviation of latents over all items and grid positions (the
 * numbers diffusion training normalises latents with), plus overall mean/std and range. The std is
 * the population std (divided by the count). Batches are merged with Chan et al.'s pairwise
 * update, in double, so millions of values lose no precision.
 *
 * @param count latents seen
 * @param positionsPerChannel values per channel (count·H·W)
 */
public record LatentStats(int channels, int height, int width, long count, long positionsPerChannel, double[] mean,
    double[] std, double overallMean, double overallStd, double min, double max) {

  /** Statistics of one batch. */
  public static LatentStats of(LatentBatch batch) {
    Accumulator accumulator = new Accumulator();
    accumulator.add(batch);
    return accumulator.result();
  }

  /** Collects statistics batch by batch; all batches must share C, H and W. */
  public static final class Accumulator {
    private int channels = -1;
    private int height;
    private int width;
    private long count;
    private double[] mean;
    private double[] m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public void add(LatentBatch batch) {
      if (channels < 0) {
        channels = batch.channels();
        height = batch.height();
        width = batch.width();
        mean = new double[channels];
        m2 = new double[channels];
      } else if (batch.channels() != channels || batch.height() != height || batch.width() != width) {
        throw new IllegalArgumentException("latent batch " + batch.shape() + " does not match earlier batches of "
            + channels + "x" + height + "x" + width);
      }
      int plane = height * width;
      long batchPositions = (long) batch.count() * plane;
      long before = count * plane;
      float[] values = batch.values();
      for (int c = 0; c < channels; c++) {
        double sum = 0;
        for (int n = 0; n < batch.count(); n++) {
          int base = (n * channels + c) * plane;
          for (int k = 0; k < plane; k++) {
            double v = values[base + k];
            if (!Double.isFinite(v)) {
              throw new IllegalArgumentException("latent " + (count + n) + " channel " + c + " holds " + v);
            }
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
        double batchMean = sum / batchPositions;
        double batchM2 = 0;
        for (int n = 0; n < batch.count(); n++) {
          int base = (n * channels + c) * plane;
          for (int k = 0; k < plane; k++) {
            double diff = values[base + k] - batchMean;
            batchM2 += diff * diff;
          }
        }
        long total = before + batchPositions;
        double delta = batchMean - mean[c];
        mean[c] += delta * batchPositions / total;
        m2[c] += batchM2 + delta * delta * ((double) before * batchPositions / total);
      }
      count += batch.count();
    }

    public LatentStats result() {
      if (count == 0) {
        throw new IllegalStateException("no latents were added");
      }
      long positions = count * height * width;
      double[] std = new double[channels];
      double overallMean = 0;
      for (int c = 0; c < channels; c++) {
        std[c] = Math.sqrt(m2[c] / positions);
        overallMean += mean[c];
      }
      overallMean /= channels;
      // Overall variance = mean within-channel variance + variance of the channel means.
      double overallVariance = 0;
      for (int c = 0; c < channels; c++) {
        overallVariance += m2[c] / positions + (mean[c] - overallMean) * (mean[c] - overallMean);
      }
      overallVariance /= channels;
      return new LatentStats(channels, height, width, count, positions, mean.clone(), std, overallMean,
          Math.sqrt(overallVariance), min, max);
    }
  }
}
