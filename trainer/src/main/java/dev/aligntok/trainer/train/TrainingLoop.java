package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDList;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one training loop of the trainer: resume from the newest checkpoint of a run directory, step
 * to the configured count, log metrics to {@code <run>/metrics.jsonl} with a progress line, save a
 * checkpoint every {@code checkpointEvery} steps and at the end, and report the result from the
 * last checkpoint. What a step does, what is saved and what a checkpoint must match is the
 * trainer's {@link Work}; the loop owns only the step count, the training time and the cadence.
 *
 * <p>Resuming is exact as long as {@link Work#step} depends only on its step number and the
 * restored tensors: the loop restarts at the saved step and never replays or skips one.
 *
 * @param <S> the record written as {@code state.json} with each checkpoint
 */
public final class TrainingLoop<S extends TrainingLoop.SavedState> {
  /** What the loop itself needs back from a checkpoint's {@code state.json}; trainers' records add the rest. */
  public interface SavedState {
    long step();

    double trainingSeconds();

    Map<String, Double> lastLosses();
  }

  /** The trainer-specific part of a run, plugged into the loop. */
  public interface Work<S> {
    /**
     * Checks that {@code state} was written by the same model setup (throwing a message that names
     * {@code checkpoint} if not) and restores the tensors and the trainer's own counters from it.
     */
    void resume(Path checkpoint, S state);

    /** Trains step {@code step} (0-based) and returns its losses; {@code "total"} is shown on the progress line. */
    Map<String, Double> step(long step);

    /** Metrics logged after {@code completedSteps} steps besides the losses, e.g. the learning rate. */
    Map<String, Object> extras(long completedSteps);

    /** The tensor groups to checkpoint now (weights under {@link Checkpoints#MODEL}, {@link Checkpoints#EMA}, optimizer moments...). */
    Map<String, NDList> tensorGroups();

    /** The {@code state.json} record of a checkpoint taken after {@code step} steps. */
    S state(long step, double trainingSeconds, Map<String, Double> lastLosses);
  }

  /**
   * How long to train and how often to report and save.
   *
   * @param steps           steps the run ends at (a resumed run continues to it)
   * @param checkpointEvery steps between checkpoints; the last step is always saved
   * @param logEvery        steps between metrics lines; the last step is always logged
   */
  public record Schedule(long steps, int checkpointEvery, int logEvery) {}

  /** What a finished (or already finished) run reports, read from its last checkpoint. */
  public record Result(Path checkpoint, long steps, double trainingSeconds, double stepsPerSecond,
      Map<String, Double> lastLosses) {}

  private final String name;
  private final String progressLabel;
  private final Path runDirectory;
  private final Checkpoints checkpoints;
  private final Class<S> stateType;
  private final PrintStream out;

  /**
   * @param name          how messages name the run ("stage1", "DiT training")
   * @param progressLabel the progress line's label
   * @param runDirectory  where {@code metrics.jsonl} is written; {@code checkpoints} should live below it
   */
  public TrainingLoop(String name, String progressLabel, Path runDirectory, Checkpoints checkpoints, Class<S> stateType,
      PrintStream out) {
    this.name = name;
    this.progressLabel = progressLabel;
    this.runDirectory = runDirectory;
    this.checkpoints = checkpoints;
    this.stateType = stateType;
    this.out = out;
  }

  /** Resumes from the newest checkpoint if there is one, trains to {@code schedule.steps()} and reports. */
  public Result run(Schedule schedule, Work<S> work) {
    long step = 0;
    double trainingSeconds = 0;
    Map<String, Double> lastLosses = new LinkedHashMap<>();
    Optional<Path> latest = checkpoints.latest();
    if (latest.isPresent()) {
      Path checkpoint = latest.get();
      S state = Checkpoints.readState(checkpoint, stateType);
      work.resume(checkpoint, state);
      step = state.step();
      trainingSeconds = state.trainingSeconds();
      lastLosses = state.lastLosses();
      out.println("resuming " + name + " from " + checkpoint + " at step " + step);
    }
    if (step >= schedule.steps()) {
      out.println(name + " already finished at step " + step + " (" + runDirectory + ")");
      return result();
    }
    try (StepReporter reporter = new StepReporter(runDirectory.resolve("metrics.jsonl"), out, progressLabel, step,
        schedule.steps(), schedule.logEvery())) {
      while (step < schedule.steps()) {
        long started = System.nanoTime();
        Map<String, Double> losses = work.step(step);
        trainingSeconds += (System.nanoTime() - started) / 1e9;
        step++;
        lastLosses = losses;
        Map<String, Object> extras = new LinkedHashMap<>(work.extras(step));
        extras.put("seconds", trainingSeconds);
        reporter.afterStep(step, losses, extras);
        if (step % schedule.checkpointEvery() == 0 || step == schedule.steps()) {
          checkpoints.save(step, work.tensorGroups(), work.state(step, trainingSeconds, lastLosses));
        }
      }
    }
    return result();
  }

  /** The newest checkpoint as text, for messages about where a run can restart ("(none)" before the first). */
  public String lastGoodCheckpoint() {
    return checkpoints.latest().map(Path::toString).orElse("(none)");
  }

  private Result result() {
    Path checkpoint = checkpoints.latest().orElseThrow();
    S state = Checkpoints.readState(checkpoint, stateType);
    double seconds = state.trainingSeconds();
    return new Result(checkpoint, state.step(), seconds, seconds > 0 ? state.step() / seconds : 0, state.lastLosses());
  }
}
