package dev.aligntok.stream.quickstart;

import java.io.PrintStream;
import java.util.Locale;

/** Prints where a run stands when it changes, at most once a second (plus the last state). */
final class ProgressLine {
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final long startNanos;
  private String last = "";
  private long lastPrintNanos;

  ProgressLine(PrintStream out, long startNanos) {
    this.out = out;
    this.startNanos = startNanos;
  }

  void update(RunTracker tracker, boolean force) {
    long now = System.nanoTime();
    String line = describe(tracker);
    if (!line.equals(last) && (force || now - lastPrintNanos >= INTERVAL_NANOS)) {
      out.printf(Locale.ROOT, "  [%5.1fs] %s%n", (now - startNanos) / 1e9, line);
      out.flush();
      last = line;
      lastPrintNanos = now;
    }
  }

  private static String describe(RunTracker tracker) {
    RunInputs inputs = tracker.inputs();
    return String.format(Locale.ROOT, "latents %d/%d, generated images %d/%d (requests done %d/%d), dead letters %d, "
            + "failed %d — %d/%d inputs ended",
        tracker.latents().size(), inputs.images().size(), tracker.imageCount(), inputs.requestedImages(),
        tracker.completedRequests().size(), inputs.requests().size(), tracker.deadLetters().size(),
        tracker.failedRequests().size(), tracker.endedCount(), inputs.size());
  }
}
