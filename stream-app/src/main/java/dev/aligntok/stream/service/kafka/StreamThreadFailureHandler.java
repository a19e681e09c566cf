package dev.aligntok.stream.service.kafka;

import dev.aligntok.schemas.serde.RegistryOutage;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens when an exception escapes a stream thread.
 *
 * <p>The schema registry out of reach ({@link RegistryOutage}) is neither bad input nor a bug: the
 * thread is replaced after a pause that doubles while the outage lasts. Under exactly_once_v2 the
 * failed thread's transaction aborts and the new thread reads the same records again from the last
 * commit, so they wait for the registry instead of being dead-lettered or lost. (The registry
 * client has already retried each call a few times; this is the slower, unbounded retry on top.)
 *
 * <p>Anything else is a bug (bad input goes to the DLQ inside the topologies): this instance's
 * streams shut down, so readiness turns DOWN and the pod is replaced rather than spinning.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  /** Well under the transaction timeout (≥ 60 s): the failed thread's transaction is still open while it waits. */
  static final Duration MAX_PAUSE = Duration.ofSeconds(16);
  /** A failure this long after the previous one starts a new outage, with the first pause again. */
  static final Duration NEW_OUTAGE_AFTER = Duration.ofSeconds(60);

  /** Waits on the failing stream thread; a test replaces it to record the pauses instead. */
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Pause pause;
  private final LongSupplier nanoTime;
  private int consecutiveOutages;
  private long lastOutageNanos;

  StreamThreadFailureHandler() {
    this(duration -> Thread.sleep(duration.toMillis()), System::nanoTime);
  }

  StreamThreadFailureHandler(Pause pause, LongSupplier nanoTime) {
    this.pause = pause;
    this.nanoTime = nanoTime;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    if (!RegistryOutage.causes(exception)) {
      LOG.error("Kafka Streams thread failed; shutting this instance's streams down", exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    Duration wait = nextPause();
    LOG.warn("schema registry unreachable; replacing the stream thread in {} ms, its uncommitted records are read"
        + " again then: {}", wait.toMillis(), rootMessage(exception));
    try { // outside the lock: with several stream threads, each waits its own pause
      pause.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  private synchronized Duration nextPause() {
    long now = nanoTime.getAsLong();
    if (consecutiveOutages > 0 && now - lastOutageNanos > NEW_OUTAGE_AFTER.toNanos()) {
      consecutiveOutages = 0;
    }
    lastOutageNanos = now;
    long millis = FIRST_PAUSE.toMillis() << Math.min(consecutiveOutages, 20);
    consecutiveOutages++;
    return Duration.ofMillis(Math.min(millis, MAX_PAUSE.toMillis()));
  }

  private static String rootMessage(Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
