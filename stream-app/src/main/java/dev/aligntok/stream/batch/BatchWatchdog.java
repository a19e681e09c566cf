package dev.aligntok.stream.batch;

import dev.aligntok.inference.cancel.Cancellation;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the longest a batch may run: {@link #arm} opens a {@link Cancellation} scope on the
 * batch's thread and cancels it from a timer thread when the time is up, which stops the model at
 * its next step or in its running ONNX session. One daemon timer thread serves every processor.
 */
final class BatchWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWatchdog.class);
  private static final ScheduledExecutorService TIMER = timer();

  private BatchWatchdog() {}

  /** Arms a deadline for the batch about to run on this thread; close the result when it ends. */
  static Armed arm(Duration limit, String what) {
    return armFor(limit, what + " ran longer than max-batch-duration " + limit + " and was stopped");
  }

  /**
   * Arms the deadline of one call of a batch run in parts: {@code maxBatchDuration} for the call, or
   * less when the run's {@code maxRunDuration} over all its calls ends sooner (zero or less: at once).
   *
   * @param runElapsed how long the run has taken in its earlier calls and between them
   */
  static Armed armPart(Duration maxBatchDuration, Duration maxRunDuration, Duration runElapsed, String what) {
    Duration runLeft = maxRunDuration.minus(runElapsed);
    if (runLeft.compareTo(maxBatchDuration) < 0) {
      return armFor(runLeft, what + " ran longer than max-run-duration " + maxRunDuration
          + " over all its parts and was stopped");
    }
    return arm(maxBatchDuration, what); // a whole batch, or one part of one: the same limit and words
  }

  private static Armed armFor(Duration remaining, String reason) {
    Cancellation scope = Cancellation.open();
    ScheduledFuture<?> timeout = TIMER.schedule(() -> {
      LOG.warn("{}; stopping its model call", reason);
      scope.cancel(reason);
    }, Math.max(remaining.toNanos(), 0), TimeUnit.NANOSECONDS);
    return new Armed(scope, timeout);
  }

  /** A running batch's deadline. */
  static final class Armed implements AutoCloseable {
    private final Cancellation scope;
    private final ScheduledFuture<?> timeout;

    private Armed(Cancellation scope, ScheduledFuture<?> timeout) {
      this.scope = scope;
      this.timeout = timeout;
    }

    /** Whether the watchdog fired (the batch's model calls were told to stop). */
    boolean fired() {
      return scope.isCancelled();
    }

    String reason() {
      return scope.reason();
    }

    @Override
    public void close() {
      timeout.cancel(false);
      scope.close();
    }
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "aligntok-batch-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true); // one timeout per batch: cancelled ones must not pile up
    return timer;
  }
}
