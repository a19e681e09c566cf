package dev.aligntok.trainer.train;

import java.util.function.Supplier;

/**
 * Skips an optimisation step whose loss or gradient norm is NaN or infinite, so one bad batch cannot
 * poison the weights (an unclipped infinite gradient would turn every weight into NaN), and stops
 * training once {@link #MAX_CONSECUTIVE} steps in a row were skipped: then the weights themselves are
 * broken and only a restart from the last good checkpoint with a lower learning rate helps.
 */
public final class NonFiniteGuard {
  public static final int MAX_CONSECUTIVE = 5;

  private final String run;
  private int consecutive;
  private long skipped;

  public NonFiniteGuard(String run) {
    this.run = run;
  }

  /**
   * Whether step {@code step} with this loss and gradient norm may update the weights; counts a
   * refusal and throws {@link NonFiniteLossException} at the {@value #MAX_CONSECUTIVE}th in a row.
   */
  public boolean allows(long step, double loss, double gradientNorm, Supplier<String> lastGoodCheckpoint) {
    if (Double.isFinite(loss) && Double.isFinite(gradientNorm)) {
      consecutive = 0;
      return true;
    }
    consecutive++;
    skipped++;
    if (consecutive >= MAX_CONSECUTIVE) {
      throw new NonFiniteLossException(run + " step " + step + ": loss " + loss + ", gradient norm " + gradientNorm + " — "
          + consecutive + " non-finite steps in a row (" + skipped + " skipped in all); stopped, the last good checkpoint "
          + lastGoodCheckpoint.get() + " is kept. Try a lower learning rate or gradient clip.");
    }
    return false;
  }

  /** Steps skipped so far in this process (for the metrics line). */
  public long skipped() {
    return skipped;
  }
}
