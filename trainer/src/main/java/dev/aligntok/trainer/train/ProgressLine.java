package dev.aligntok.trainer.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress report: bar, step, details (loss), rate (steps/s, or images/s for another
 * unit) and ETA, rewritten in place on a terminal.
 */
public final class ProgressLine {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startNanos = System.nanoTime();
  private final long startStep;
  private final String unit;
  private final boolean terminal = System.console() != null;

  public ProgressLine(PrintStream out, String label, long startStep, long total) {
    this(out, label, startStep, total, "steps");
  }

  /** @param unit what is counted, plural ("steps", "images"): the rate reads "12.3 images/s" */
  public ProgressLine(PrintStream out, String label, long startStep, long total, String unit) {
    this.out = out;
    this.label = label;
    this.startStep = startStep;
    this.total = total;
    this.unit = unit;
  }

  public void update(long step, String details) {
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

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
