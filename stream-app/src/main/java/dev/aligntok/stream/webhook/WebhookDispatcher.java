package dev.aligntok.stream.webhook;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.schemas.serde.RegistryOutage;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.records.InputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook calls for the statuses on the status topic, at least once, outside the stream
 * transaction: its own consumer (its own group, read_committed, no auto-commit) reads a status, and
 * when the request named a webhook that wants this state, a call is made on a worker thread; failed
 * attempts are retried after an exponential backoff on a timer (no thread waits), and after the
 * last one the status record goes to the dead-letter topic (stage WEBHOOK). Offsets are committed
 * only up to the first call not yet delivered or dead-lettered, so a crash repeats calls, with the
 * same {@code webhook-id}, rather than losing them. At {@code maxPending} unfinished calls the
 * consumer pauses, so one slow receiver costs memory and threads only within those bounds.
 *
 * <p>One caller or receiver must not hold up the others' calls: attempts run in lanes
 * ({@link CallerLanes}), one per caller (the request's owner; per receiver for requests without
 * one), each with at most {@code laneConcurrency} in progress; and a receiver that failed
 * {@code suspendAfter} attempts in a row is suspended for {@code maxBackoff}
 * ({@link ReceiverBreaker}): calls that come up for it meanwhile are dead-lettered without a call,
 * so its backlog drains in moments instead of holding pending slots for all its retries. A lane
 * holds at most {@code laneMaxPending} unfinished calls ({@link LaneBacklogs}): at that, reading
 * waits for it to catch up (a burst), unless its backlog has been full for over {@code laneMaxWait}
 * (its receivers answer, or fail, more slowly than its calls come): then its new calls are
 * dead-lettered without a call, so that it never fills {@code maxPending} for everyone.
 *
 * <p>Statuses of one request in one state (a running request's progress updates) make one call:
 * the ids of recent calls are remembered and repeats skipped. Calls run concurrently, so a
 * receiver may see RUNNING after SUCCEEDED when the first failed once; the payload's state and
 * timestamp say which is newer. The status topic is compacted: a delivery that lags far behind may
 * find only a request's last state.
 */
public final class WebhookDispatcher implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final int REMEMBERED_CALLS = 10_000;

  private final DeliveryConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final Deserializer<GenerationStatus> statuses;
  private final Producer<byte[], byte[]> deadLetterProducer;
  private final DeadLetters deadLetters;
  private final DestinationPolicy policy;
  private final WebhookSigner signer;
  private final PinnedHttpPost http;
  private final DeliveryObserver observer;
  private final Clock clock;
  private final ExecutorService workers;
  private final CallerLanes lanes;
  private final ReceiverBreaker breaker;
  private final ScheduledExecutorService timer;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final LaneBacklogs backlogs;
  private final Map<String, Boolean> recentCalls = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_CALLS;
    }
  };
  private volatile boolean running = true;

  private record Finished(TopicPartition partition, OffsetTracker tracker, long offset) {}

  /** One call: where, what, its lane and receiver, and the status record that triggered it (for its dead letter). */
  private record Call(TopicPartition partition, OffsetTracker tracker, InputRecord input, String requestId,
                      String url, String receiver, String lane, String webhookId, byte[] body) {}

  public WebhookDispatcher(DeliveryConfig config, Consumer<byte[], byte[]> consumer,
                           Deserializer<GenerationStatus> statuses, Producer<byte[], byte[]> deadLetterProducer,
                           DeadLetters deadLetters, DestinationPolicy policy, WebhookSigner signer, PinnedHttpPost http,
                           DeliveryObserver observer, Clock clock) {
    this.config = config;
    this.consumer = consumer;
    this.statuses = statuses;
    this.deadLetterProducer = deadLetterProducer;
    this.deadLetters = deadLetters;
    this.policy = policy;
    this.signer = signer;
    this.http = http;
    this.observer = observer;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(config.concurrency(), daemon("webhook-call"));
    this.lanes = new CallerLanes(workers, config.laneConcurrency());
    this.backlogs = new LaneBacklogs(config.laneMaxPending(), System::nanoTime);
    this.breaker = new ReceiverBreaker(config.suspendAfter(), config.maxBackoff(), clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("webhook-retry"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The consumer loop; returns after {@link #close()}. */
  @Override
  public void run() {
    consumer.subscribe(List.of(config.statusTopic()), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        applyFinished();
        commit();
        // Calls still running for these partitions finish uncommitted: whoever reads them next calls again.
        recentCalls.clear();
        partitions.forEach(p -> {
          trackers.remove(p);
          committed.remove(p);
        });
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> trackers.put(p, new OffsetTracker()));
      }
    });
    try {
      while (running) {
        try {
          applyFinished();
          commit();
          throttle();
          Set<TopicPartition> rewound = new HashSet<>();
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!rewound.contains(partition) && !read(partition, record)) {
              consumer.seek(partition, record.offset()); // read it again next poll
              rewound.add(partition);
            }
          }
          if (!rewound.isEmpty()) {
            Thread.sleep(POLL.toMillis()); // a lane catching up: give it a moment before reading again
          }
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // A commit during a rebalance, a broker away: nothing committed past an unfinished call, so try again.
          LOG.warn("webhook delivery: {}; trying again", e.toString());
          pause();
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("webhook delivery stopped: {}", e.toString(), e);
    } finally {
      applyFinished();
      commit();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Takes one status; false when it cannot be taken now (registry outage, a lane catching up) and must be read again. */
  private boolean read(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
    OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
    GenerationStatus status;
    try {
      status = record.value() == null ? null : statuses.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      if (RegistryOutage.causes(e)) {
        LOG.warn("webhook delivery waits for the schema registry: {}", e.toString());
        pause();
        return false;
      }
      // Not ours to dead-letter: the status topic is the pipeline's output, checked when written.
      LOG.warn("webhook delivery skipped an unreadable status at {}@{}: {}", partition, record.offset(), e.getClass().getName());
      tracker.skipped(record.offset());
      return true;
    }
    if (status == null || status.getWebhook() == null || !WebhookEvents.wants(status.getWebhookEvents(), status.getState())) {
      tracker.skipped(record.offset());
      return true;
    }
    String webhookId = WebhookPayload.webhookId(status.getRequestId(), status.getState());
    if (recentCalls.containsKey(webhookId)) {
      recentCalls.put(webhookId, Boolean.TRUE); // freshly used
      tracker.skipped(record.offset()); // a progress update of a state already called for
      return true;
    }
    String receiver = Receiver.of(status.getWebhook());
    String lane = status.getOwner() == null ? "receiver " + receiver : "caller " + status.getOwner();
    Optional<String> behind = Optional.empty();
    if (backlogs.atCap(lane)) {
      Optional<Duration> behindFor = backlogs.behindFor(lane, config.laneMaxWait());
      if (behindFor.isEmpty()) {
        return false; // a burst: read it again once the lane has caught up a little
      }
      behind = Optional.of("webhook " + webhookId + " not called: " + lane + " has " + backlogs.size(lane)
          + " webhook calls unfinished, its backlog full for " + behindFor.get().toSeconds() + " s; its receivers take its calls"
          + " more slowly than they come (lane-max-pending " + config.laneMaxPending() + ", lane-max-wait "
          + config.laneMaxWait() + ")");
    }
    recentCalls.put(webhookId, Boolean.TRUE);
    tracker.started(record.offset());
    observer.pending(pending.incrementAndGet());
    backlogs.add(lane);
    Call call = new Call(partition, tracker, input(record), status.getRequestId(), status.getWebhook(), receiver, lane,
        webhookId, WebhookPayload.body(status, config.publicUrl()));
    if (behind.isPresent()) {
      String message = behind.get();
      workers.execute(() -> deadLetter(call, message));
    } else {
      lanes.submit(lane, () -> attempt(call, 1));
    }
    return true;
  }

  private void attempt(Call call, int number) {
    Optional<String> suspended = breaker.suspended(call.receiver);
    if (suspended.isPresent()) {
      deadLetter(call, "webhook " + call.webhookId + " not called" + (number > 1 ? " again after " + (number - 1)
          + " attempt(s)" : "") + ": " + suspended.get());
      return;
    }
    String failure;
    try {
      Destination destination = policy.resolve(call.url);
      long seconds = clock.instant().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(WebhookSigner.HEADER_ID, call.webhookId);
      headers.put(WebhookSigner.HEADER_TIMESTAMP, Long.toString(seconds));
      headers.put(WebhookSigner.HEADER_SIGNATURE, signer.sign(call.webhookId, seconds, call.body));
      long start = System.nanoTime();
      int code = http.post(destination, headers, call.body);
      if (code >= 200 && code < 300) {
        observer.delivered(System.nanoTime() - start);
        breaker.succeeded(call.receiver);
        finish(call);
        return;
      }
      failure = "the receiver answered " + code + (code >= 300 && code < 400 ? " (redirects are not followed)" : "");
    } catch (RefusedDestinationException e) {
      observer.attemptFailed();
      // The policy will not change its mind; and the receiver was not called, so its health is unknown.
      deadLetter(call, failedAfter(call, number, "webhook URL refused: " + e.getMessage()));
      return;
    } catch (Exception e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    observer.attemptFailed();
    if (breaker.failed(call.receiver, failure)) {
      LOG.warn("webhook delivery: {}; its calls are dead-lettered without a call until then",
          breaker.suspended(call.receiver).orElse("receiver " + call.receiver + " suspended"));
    }
    if (number >= config.maxAttempts() || !running) {
      deadLetter(call, failedAfter(call, number, failure));
      return;
    }
    Duration wait = config.backoffBefore(number + 1);
    LOG.info("webhook {} of request {}: attempt {} of {} failed ({}); next in {} ms", call.webhookId, call.requestId,
        number, config.maxAttempts(), failure, wait.toMillis());
    timer.schedule(() -> lanes.submit(call.lane, () -> attempt(call, number + 1)), wait.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String failedAfter(Call call, int attempts, String failure) {
    return "webhook " + call.webhookId + " failed after " + attempts + " attempt(s): " + failure;
  }

  private void deadLetter(Call call, String message) {
    try {
      var letter = deadLetters.letter(call.input, call.requestId, FailureStage.WEBHOOK,
          new WebhookFailedException(message), clock.millis(), config.applicationId());
      byte[] key = call.requestId.getBytes(StandardCharsets.UTF_8);
      deadLetterProducer.send(new ProducerRecord<>(config.deadLetterTopic(), key, deadLetters.encode(letter).value()))
          .get(30, TimeUnit.SECONDS);
      observer.deadLettered();
      LOG.warn("{}; dead-lettered", message);
      finish(call);
    } catch (Exception e) {
      // Not finished, so not committed past: try the dead letter again rather than lose the call.
      LOG.error("could not dead-letter webhook {} ({}); trying again", call.webhookId, e.toString());
      if (running) {
        timer.schedule(() -> workers.execute(() -> deadLetter(call, message)),
            config.maxBackoff().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void finish(Call call) {
    finished.add(new Finished(call.partition, call.tracker, call.input.offset()));
    backlogs.remove(call.lane);
    observer.pending(pending.decrementAndGet());
  }

  /** On the consumer thread: calls finished by the workers free their offsets. */
  private void applyFinished() {
    for (Finished done = finished.poll(); done != null; done = finished.poll()) {
      if (trackers.get(done.partition) == done.tracker) { // else revoked since: the new owner repeats it
        done.tracker.finished(done.offset);
      }
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    trackers.forEach((partition, tracker) -> {
      long offset = tracker.committable();
      if (offset >= 0 && offset > committed.getOrDefault(partition, -1L)) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    });
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
      offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }
  }

  /** Pauses reading at the pending cap, resumes below it. */
  private void throttle() {
    if (pending.get() >= config.maxPending()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  /** A short wait before trying again after a broker or registry error. */
  private void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static InputRecord input(ConsumerRecord<byte[], byte[]> record) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), header.value());
      }
    }
    return new InputRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
        record.value(), headers);
  }

  /** Stops reading; calls not finished are not committed and are made again after a restart. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
