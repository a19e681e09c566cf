package dev.aligntok.benchmarks.scaleout;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the fail-over measurement found, per num.standby.replicas, as JSON and Markdown. */
record FailoverReport(String command, int instances, int killsPerRun, double restartAfterSeconds, double imageRate,
                      double promptRate, int steps,
                      int sessionTimeoutMs, Map<String, String> serviceProperties, int availableProcessors,
                      String loadAverageBefore, String loadAverageAfter, List<FailoverRun.Result> runs) {
  String markdown() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
        # Fail-over after kill -9: %d instances, steady %.0f images/s + %.1f prompts/s (steps %d)

        ```
        %s
        ```

        Gap = kill -9 → first committed (read_committed) output from a partition the killed instance held, per
        orphaned input partition; median and max over %d kills. The killed instance restarted %s.
        session.timeout.ms %d; other service
        properties %s. %d cores; load average (1/5/15 min) before %s, after %s.

        | num.standby.replicas | images: median / max gap | prompts: median / max gap | outputs / duplicates |
        |---:|---:|---:|---:|
        """, instances, imageRate, promptRate, steps, command, killsPerRun, restartAfterSeconds < 0
            ? "only after every orphaned partition produced output again (the survivors alone took over)"
            : String.format(Locale.ROOT, "%.0f s after the kill (as an orchestrator restarts a pod)", restartAfterSeconds),
        sessionTimeoutMs, serviceProperties,
        availableProcessors, loadAverageBefore, loadAverageAfter));
    for (FailoverRun.Result run : runs) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d / %d |%n", run.standbyReplicas(),
          pair(run, "images"), pair(run, "prompts"), run.outputs(), run.duplicates()));
    }
    md.append("\nEvery gap (s), per kill:\n\n");
    for (FailoverRun.Result run : runs) {
      for (FailoverRun.Kill kill : run.kills()) {
        md.append(String.format(Locale.ROOT, "- standby %d, instance %d killed: ", run.standbyReplicas(), kill.victim()));
        kill.gaps().forEach(g -> md.append(String.format(Locale.ROOT, "%s-%d %s; ", g.input(), g.partition(),
            g.seconds() == null ? "none" : String.format(Locale.ROOT, "%.1f", g.seconds()))));
        md.append(String.format(Locale.ROOT, "survivors not ready %s s → ready again %s s after the kill; "
            + "restarted instance ready after %.0f s%n", seconds(kill.survivorsNotReadySeconds()),
            seconds(kill.survivorsReadySeconds()), kill.restartReadySeconds()));
      }
    }
    return md.toString();
  }

  private static String seconds(Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String pair(FailoverRun.Result run, String input) {
    Double median = run.medianSeconds().get(input);
    return median == null ? "—" : String.format(Locale.ROOT, "%.1f s / %.1f s", median, run.maxSeconds().get(input));
  }
}
