package dev.aligntok.inference.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a long run stands, on one line, in one of two forms:
 * <ul>
 *   <li>a count toward a total ({@link #update(long, String)}): bar, step, details (loss), rate
 *       (steps/s, or images/s for another unit) and ETA, rewritten in place on a terminal;</li>
 *   <li>a state ({@link #state(String, boolean)}): a description printed when it changes, at most
 *       once a second unless forced, stamped with the seconds since the start.</li>
 * </ul>
 */
public final class ProgressLine {
  private static final long STATE_INTERVAL_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startNanos;
  private final long startStep;
  private final String unit;
  private final boolean terminal = System.console() != null;
  private String lastState = "";
  private long lastStateNanos;

  public ProgressLine(PrintStream out, String label, long startStep, long total) {
    this(out, label, startStep, total, "steps");
  }

  /** @param unit what is counted, plural ("steps", "images"): the rate reads "12.3 images/s" */
  public ProgressLine(PrintStream out, String label, long startStep, long total, String unit) {
    this(out, label, startStep, total, unit, System.nanoTime());
  }

  private ProgressLine(PrintStream out, String label, long startStep, long total, String unit, long startNanos) {
    this.out = out;
    this.label = label;
    this.startStep = startStep;
    this.total = total;
    this.unit = unit;
    this.startNanos = startNanos;
  }

  /** A line of states (no total to count toward), timed from {@code startNanos} ({@link System#nanoTime()}). */
  public static ProgressLine states(PrintStream out, long startNanos) {
    return new ProgressLine(out, "", 0, 0, "", startNanos);
  }

  /** Reports {@code step} of the total, with {@code details} (may be empty) before the rate. */
  public void update(long step, String details) {
    if (total <= 0) {
      throw new IllegalStateException("this progress line has no total to count toward; report states instead");
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? (step - startStep) / seconds : 0;
    long remaining = rate > 0 ? (long) ((total - step) / rate) : -1;
    int filled = (int) (20.0 * step / total);
    String bar = "#".repeat(Math.max(0, filled)) + ".".repeat(Math.max(0, 20 - filled));
    String line = String.format("%s [%s] %d/%d %s%.2f %s/s ETA %s", label, bar, step, total,
        details.isEmpty() ? "" : details + " ", rate, unit, remaining < 0 ? "?" : format(Duration.ofSeconds(remaining)));
    if (terminal) {
      out.print("\r" + line);
      if (step >= total) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Prints {@code description} if it differs from the last one printed and a second has passed
   * since then, or {@code force} is set (the final state).
   */
  public void state(String description, boolean force) {
    long now = System.nanoTime();
    if (!description.equals(lastState) && (force || now - lastStateNanos >= STATE_INTERVAL_NANOS)) {
      out.printf(Locale.ROOT, "  [%5.1fs] %s%n", (now - startNanos) / 1e9, description);
      out.flush();
      lastState = description;
      lastStateNanos = now;
    }
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
