package dev.aligntok.benchmarks.pipeline;

import dev.aligntok.quickstart.InputSender;
import dev.aligntok.quickstart.OutputReader;
import dev.aligntok.quickstart.Percentiles;
import dev.aligntok.quickstart.RunInputs;
import dev.aligntok.quickstart.RunTracker;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pass of image events through a running tokenize topology: a sender thread produces them as
 * fast as the producer allows while this thread reads latents and dead letters read_committed,
 * until every event has ended or the timeout passes. The quickstart client's sender, reader and
 * tracker do the work; this class only times it.
 */
public final class PipelineRun {
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * @param events         events sent
   * @param latents        events that ended as a latent
   * @param deadLetters    events that ended as a dead letter
   * @param duplicates     outputs seen a second time (exactly once means 0)
   * @param missing        events with no output when the run stopped
   * @param unreadable     records on the output topics that could not be decoded
   * @param produceSeconds first send to the last acknowledgement
   * @param seconds        first send to the last committed output read
   * @param eventsPerSecond ended events ÷ {@code seconds}
   * @param sustainedEventsPerSecond the rate in the middle of the pass ({@link SustainedRate})
   * @param latencyMs      send → consumer receipt of each latent
   */
  public record Result(int events, int latents, int deadLetters, int duplicates, int missing, int unreadable,
                       double produceSeconds, double seconds, double eventsPerSecond, double sustainedEventsPerSecond,
                       Percentiles latencyMs) {
    /** Every event ended exactly once. */
    public boolean complete() {
      return missing == 0 && duplicates == 0 && latents + deadLetters == events;
    }
  }

  private PipelineRun() {}

  /**
   * @param eventsPerSecond send pace (0: as fast as the producer allows)
   * @param check           called between polls; throws when the pipeline died
   */
  public static Result run(String bootstrapServers, TopicNames topics, EventSerdes serdes, RunInputs inputs,
                           double eventsPerSecond, Duration timeout, Runnable check) throws InterruptedException {
    RunTracker tracker = new RunTracker(inputs);
    try (OutputReader reader = OutputReader.openAtEnd(bootstrapServers, topics, serdes)) {
      long start = System.nanoTime();
      CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
        InputSender.sendAll(bootstrapServers, topics, serdes, tracker, eventsPerSecond);
        return System.nanoTime();
      });
      long deadline = start + timeout.toNanos();
      long end = start;
      while (!tracker.allEnded() && System.nanoTime() < deadline) {
        reader.poll(POLL, tracker);
        end = System.nanoTime();
        check.run();
        if (sent.isCompletedExceptionally()) {
          break;
        }
      }
      long sentAt = awaitSender(sent);
      return new Result(inputs.size(), tracker.latents().size(), tracker.deadLetters().size(), tracker.duplicates(),
          tracker.missing().size(), reader.unreadable(), (sentAt - start) / 1e9, (end - start) / 1e9,
          tracker.endedCount() / ((end - start) / 1e9), SustainedRate.eventsPerSecond(tracker.endTimesNanos()),
          Percentiles.of(tracker.tokenizeLatenciesMs()));
    }
  }

  private static long awaitSender(CompletableFuture<Long> sent) throws InterruptedException {
    try {
      return sent.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the producer did not finish within 60 s after the run", e);
    }
  }
}
