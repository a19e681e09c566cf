package dev.aligntok.benchmarks.pipeline;

import java.util.List;

/**
 * The rate a pipeline keeps up once it runs, from the times its outputs arrived: outputs per second
 * between the arrival of the 10th and the 90th percentile output. A finite benchmark pass also
 * contains its edges — the first fetch after the producer starts, partitions finishing at different
 * moments, and the last outputs waiting up to one commit interval to become visible — which a
 * service under continuous load does not pay per event.
 */
public final class SustainedRate {
  /** Share of outputs left out at each end. */
  public static final double EDGE_SHARE = 0.10;
  /** Fewer outputs than this give no sustained rate. */
  public static final int MIN_OUTPUTS = 20;

  private SustainedRate() {}

  /**
   * @param sortedEndNanos arrival time of every output, ascending
   * @return outputs per second in the middle of the pass, or NaN with fewer than {@link #MIN_OUTPUTS}
   *     outputs or no time between the edges
   */
  public static double eventsPerSecond(List<Long> sortedEndNanos) {
    int n = sortedEndNanos.size();
    if (n < MIN_OUTPUTS) {
      return Double.NaN;
    }
    int first = (int) Math.floor(n * EDGE_SHARE);
    int last = (int) Math.ceil(n * (1 - EDGE_SHARE)) - 1;
    long nanos = sortedEndNanos.get(last) - sortedEndNanos.get(first);
    return nanos <= 0 ? Double.NaN : (last - first) / (nanos / 1e9);
  }
}
