package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's contract without a model: which steps run, what is saved and logged, and what a resume restores. */
class TrainingLoopTest {
  record State(long step, double trainingSeconds, Map<String, Double> lastLosses, String setup, double sum)
      implements TrainingLoop.SavedState {}

  /** A "model" whose only weight is the sum of the step numbers it trained on. */
  static final class Counting implements TrainingLoop.Work<State> {
    final String setup;
    final List<Long> stepsRun = new ArrayList<>();
    double sum;

    Counting(String setup) {
      this.setup = setup;
    }

    @Override
    public void resume(Path checkpoint, State state) {
      if (!state.setup().equals(setup)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " is of setup " + state.setup());
      }
      sum = state.sum();
    }

    @Override
    public Map<String, Double> step(long step) {
      stepsRun.add(step);
      sum += step;
      return Map.of("total", sum);
    }

    @Override
    public Map<String, Object> extras(long completedSteps) {
      return Map.of("lr", 0.5);
    }

    @Override
    public Map<String, NDList> tensorGroups() {
      return Map.of();
    }

    @Override
    public State state(long step, double trainingSeconds, Map<String, Double> lastLosses) {
      return new State(step, trainingSeconds, lastLosses, setup, sum);
    }
  }

  private static TrainingLoop<State> loop(Path run, ByteArrayOutputStream console) {
    return new TrainingLoop<>("toy", "toy", run, new Checkpoints(run, 10), State.class,
        new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  @Test
  void anInterruptedRunResumesAtItsLastCheckpointAndRunsEveryStepOnce(@TempDir Path straight, @TempDir Path interrupted) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Counting reference = new Counting("a");
    TrainingLoop.Result expected = loop(straight, console).run(new TrainingLoop.Schedule(8, 3, 1), reference);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), reference.stepsRun);

    Counting first = new Counting("a");
    loop(interrupted, console).run(new TrainingLoop.Schedule(5, 3, 1), first);
    Counting second = new Counting("a");
    TrainingLoop.Result resumed = loop(interrupted, console).run(new TrainingLoop.Schedule(8, 3, 1), second);

    assertEquals(List.of(5L, 6L, 7L), second.stepsRun, "resumes after the checkpoint at step 5 (the end of the first run)");
    assertEquals(8, resumed.steps());
    assertEquals(expected.lastLosses(), resumed.lastLosses(), "the restored state carries on to the same result");
    assertEquals(28.0, resumed.lastLosses().get("total"));
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("resuming toy from "), console.toString(StandardCharsets.UTF_8));
    MetricsLog metrics = MetricsLog.read(interrupted.resolve("metrics.jsonl"));
    assertEquals(8, metrics.records(), "one line per step across both runs");
    assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0),
        metrics.series("lr").stream().map(MetricsLog.Point::step).toList());
    assertEquals(8, metrics.series("seconds").size(), "the loop adds the training time to the trainer's extras");
  }

  @Test
  void checkpointsFollowTheCadenceAndTheLastStep(@TempDir Path run) throws Exception {
    loop(run, new ByteArrayOutputStream()).run(new TrainingLoop.Schedule(7, 3, 2), new Counting("a"));
    try (var entries = Files.list(run.resolve("checkpoints"))) {
      assertEquals(List.of("step-00000003", "step-00000006", "step-00000007"),
          entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(4, MetricsLog.read(run.resolve("metrics.jsonl")).records(), "steps 2, 4, 6 and the last, 7");
  }

  @Test
  void aFinishedRunReportsWithoutTrainingAndAForeignCheckpointIsRefused(@TempDir Path run) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    loop(run, console).run(new TrainingLoop.Schedule(4, 2, 1), new Counting("a"));
    Counting again = new Counting("a");
    TrainingLoop.Result result = loop(run, console).run(new TrainingLoop.Schedule(4, 2, 1), again);
    assertEquals(List.of(), again.stepsRun);
    assertEquals(4, result.steps());
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("toy already finished at step 4"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> loop(run, console).run(new TrainingLoop.Schedule(6, 2, 1), new Counting("b")));
    assertTrue(e.getMessage().contains("is of setup a"), e.getMessage());
  }

  @Test
  void theMetricsWriterAppendsLinesTheReaderReadsBack(@TempDir Path dir) {
    Path file = dir.resolve("run/metrics.jsonl");
    try (MetricsLog.Writer writer = MetricsLog.append(file)) {
      writer.write(Map.of("step", 1, "total", 0.5));
    }
    try (MetricsLog.Writer writer = MetricsLog.append(file)) {
      writer.write(Map.of("step", 2, "total", 0.25));
    }
    assertEquals(List.of(new MetricsLog.Point(1, 0.5), new MetricsLog.Point(2, 0.25)),
        MetricsLog.read(file).series("total"));
  }
}
