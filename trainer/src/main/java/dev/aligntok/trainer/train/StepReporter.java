package dev.aligntok.trainer.train;

import dev.aligntok.inference.console.ProgressLine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training loop reports after each step: every {@code logEvery} steps and at the last one, a
 * metrics line (step, the losses, then the extras such as learning rate and seconds) and the
 * progress bar with the total loss.
 */
final class StepReporter implements AutoCloseable {
  private final MetricsLog.Writer metrics;
  private final ProgressLine progress;
  private final int logEvery;
  private final long totalSteps;

  StepReporter(Path metricsFile, PrintStream out, String label, long startStep, long totalSteps, int logEvery) {
    this.metrics = MetricsLog.append(metricsFile);
    this.progress = new ProgressLine(out, label, startStep, totalSteps);
    this.logEvery = logEvery;
    this.totalSteps = totalSteps;
  }

  public void afterStep(long step, Map<String, Double> losses, Map<String, Object> extras) {
    if (step % logEvery != 0 && step != totalSteps) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", step);
    line.putAll(losses);
    line.putAll(extras);
    metrics.write(line);
    progress.update(step, String.format("loss %.4f", losses.get("total")));
  }

  @Override
  public void close() {
    metrics.close();
  }
}
