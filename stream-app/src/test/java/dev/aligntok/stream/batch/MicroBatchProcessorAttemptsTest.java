package dev.aligntok.stream.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.inference.cancel.Cancellation;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.output.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;

/**
 * Failed batch runs are counted outside the transaction ({@link AttemptLedger}, a file beside the
 * task directory), their outputs dropped, the batch split after max-attempts, and a record that fails
 * alone that often quarantined, while every other record ends exactly once.
 */
class MicroBatchProcessorAttemptsTest {
  private static final String STORE = "attempts-pending";
  private static final String TOPIC = "in";
  /** Dead letters as "STAGE|id|message", so the test can read them without a registry. */
  private static final Serializer<DeadLetter> LETTERS = (topic, letter) ->
      (letter.getStage() + "|" + letter.getRecordId() + "|" + letter.getErrorMessage()).getBytes(StandardCharsets.UTF_8);

  @TempDir Path stateDir;
  private Path taskDir;
  private KeyValueStore<Long, PendingRecord> store;
  private long offset;

  /** What a run does when it meets the poison record. */
  private enum Poison { THROWS, HANGS_UNTIL_CANCELLED, KAFKA_FAILS, NEVER_RETURNS }

  /** Admits every record as one unit; a run forwards one output per record, then meets the poison. */
  private static class ScriptedWork implements BatchWork {
    final List<List<String>> runs = new ArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final String poison;
    private final Poison kind;

    ScriptedWork(String poison, Poison kind) {
      this.poison = poison;
      this.kind = kind;
    }

    @Override
    public Optional<Admission> admit(InputRecord input, Emitter out) {
      return Optional.of(new Admission(input.keyText(), BatchTraits.fifo(1)));
    }

    @Override
    public boolean retire(QueueEntry entry, Emitter out) {
      return false;
    }

    @Override
    public void run(List<PendingRecord> batch, Emitter out) {
      List<String> ids = batch.stream().map(p -> p.entry().recordId()).toList();
      runs.add(ids);
      ids.forEach(id -> out.send(id, new OutputRecord("out", id.getBytes(StandardCharsets.UTF_8))));
      if (!ids.contains(poison)) {
        return;
      }
      switch (kind) {
        case THROWS -> throw new IllegalArgumentException("bug on " + poison);
        case KAFKA_FAILS -> throw new TimeoutException("the broker is away");
        case HANGS_UNTIL_CANCELLED -> {
          while (true) { // as the sampler does between steps
            Cancellation.checkCurrent();
            sleep(5);
          }
        }
        case NEVER_RETURNS -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("released at the end of the test");
        }
        default -> throw new AssertionError(kind);
      }
    }
  }

  /**
   * Runs a batch in {@code parts} processor calls: each call but the last sends a "progress" output
   * per record through {@code now} (and works {@code partMillis}, checking the watchdog); the last
   * sends one "out" per record. A run holding {@code poison} throws in its second call.
   */
  private static class PartedWork implements BatchWork {
    final List<List<String>> starts = new ArrayList<>();
    int closed;
    private final int parts;
    private final String poison;
    private final long partMillis;

    PartedWork(int parts, String poison, long partMillis) {
      this.parts = parts;
      this.poison = poison;
      this.partMillis = partMillis;
    }

    @Override
    public Optional<Admission> admit(InputRecord input, Emitter out) {
      return Optional.of(new Admission(input.keyText(), BatchTraits.fifo(1)));
    }

    @Override
    public boolean retire(QueueEntry entry, Emitter out) {
      return false;
    }

    @Override
    public void run(List<PendingRecord> batch, Emitter out) {
      throw new AssertionError("runs in parts only");
    }

    @Override
    public Run start(List<PendingRecord> batch) {
      List<String> ids = batch.stream().map(p -> p.entry().recordId()).toList();
      starts.add(ids);
      return new Run() {
        private int call;

        @Override
        public boolean advance(Emitter out, Emitter now) {
          call++;
          long until = System.nanoTime() + partMillis * 1_000_000;
          while (System.nanoTime() < until) {
            Cancellation.checkCurrent();
            sleep(5);
          }
          if (call == 2 && ids.contains(poison)) {
            throw new IllegalArgumentException("bug on " + poison + " in part 2");
          }
          if (call < parts) {
            ids.forEach(id -> now.send(id, new OutputRecord("progress", (id + "@" + call).getBytes(StandardCharsets.UTF_8))));
            return false;
          }
          ids.forEach(id -> out.send(id, new OutputRecord("out", id.getBytes(StandardCharsets.UTF_8))));
          return true;
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }
  }

  @BeforeEach
  void createStore() {
    taskDir = stateDir.resolve("app").resolve("0_0");
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.Long(), new PendingRecordSerde())
        .withLoggingDisabled().build();
  }

  private MockProcessorContext<String, OutputRecord> context() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MockProcessorContext<String, OutputRecord> context = new MockProcessorContext<>(config, new TaskId(0, 0), taskDir.toFile());
    context.setCurrentSystemTimeMs(0L);
    if (!store.isOpen()) {
      store.init(context.getStateStoreContext(), store);
    }
    context.addStateStore(store);
    return context;
  }

  private MicroBatchProcessor processor(MockProcessorContext<String, OutputRecord> context, BatchWork work,
                                        BatchingConfig batching) {
    MicroBatchProcessor processor = new MicroBatchProcessor(STORE, batching, work,
        new DeadLetters("dlq", LETTERS, DeadLetterLimits.DEFAULT, Optional.empty()), Long.MAX_VALUE);
    processor.init(context);
    return processor;
  }

  private void send(MicroBatchProcessor processor, MockProcessorContext<String, OutputRecord> context, String id) {
    context.setRecordMetadata(TOPIC, 0, offset++);
    processor.process(new Record<>(id.getBytes(StandardCharsets.UTF_8), ("v-" + id).getBytes(StandardCharsets.UTF_8), 0L));
  }

  /** Punctuations, each after the longest wait: every queued record is due. */
  private static void punctuate(MockProcessorContext<String, OutputRecord> context, int times) {
    for (int i = 0; i < times; i++) {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 1_000);
      context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
    }
  }

  private static List<String> outputs(MockProcessorContext<String, OutputRecord> context, String topic) {
    return context.forwarded().stream().map(f -> f.record().value()).filter(v -> v.topic().equals(topic))
        .map(v -> new String(v.value(), StandardCharsets.UTF_8)).toList();
  }

  private Path ledgerFile() {
    return stateDir.resolve("app").resolve("aligntok-attempts").resolve("0_0-" + STORE);
  }

  @Test
  void aRecordThatBreaksEveryRunIsQuarantinedAfterFailingAloneAndEveryOtherRecordEndsOnce() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    ScriptedWork work = new ScriptedWork("p", Poison.THROWS);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(4, Duration.ofMillis(100)).withMaxAttempts(2));
    for (String id : List.of("a", "b", "p", "c")) {
      send(processor, context, id);
    }
    punctuate(context, 10);

    assertEquals(List.of(List.of("a", "b", "p", "c"), List.of("a", "b", "p", "c"), List.of("a", "b"), List.of("p", "c"),
        List.of("p"), List.of("p"), List.of("c")), work.runs,
        "twice whole, then halves of the last failed size, p alone twice, then quarantined without a run");
    assertEquals(List.of("a", "b", "c"), outputs(context, "out"), "each once: a failed run's outputs are dropped");
    List<String> letters = outputs(context, "dlq");
    assertEquals(1, letters.size(), "inputs = outputs + dead letters: " + letters);
    String letter = letters.get(0);
    assertTrue(letter.startsWith("QUARANTINE|p|record p was not run again: 5 batch runs holding it failed, 2 of them"
        + " with it alone (max-attempts 2); last failure: java.lang.IllegalArgumentException: bug on p"), letter);
    assertEquals(0, store.approximateNumEntries());
    assertEquals(0, Files.size(ledgerFile()), "nothing left to count");
  }

  @Test
  void aRunPastMaxBatchDurationIsStoppedByTheWatchdogAndCountsAsAFailedAttempt() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    ScriptedWork work = new ScriptedWork("slow", Poison.HANGS_UNTIL_CANCELLED);
    BatchingConfig batching = BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(1)
        .withMaxBatchDuration(Duration.ofMillis(200));
    MicroBatchProcessor processor = processor(context, work, batching);
    long started = System.nanoTime();
    send(processor, context, "slow");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertTrue(tookMs >= 200 && tookMs < 5_000, "stopped after about 200 ms, took " + tookMs);
    assertEquals(List.of(), outputs(context, "out"), "the stopped run's output was dropped");
    assertEquals(1, store.approximateNumEntries(), "still queued");
    String ledger = Files.readString(ledgerFile());
    assertTrue(ledger.contains("p0@0\t1\t1\t1\t0\t" + STORE + " batch of 1 records ran longer than max-batch-duration"
        + " PT0.2S and was stopped"), ledger);

    send(processor, context, "next");
    punctuate(context, 1); // in case the quarantine took the call's time budget (a first dead letter loads Avro)
    assertEquals(List.of(List.of("slow"), List.of("next")), work.runs, "quarantined without running again");
    assertEquals(List.of("next"), outputs(context, "out"));
    assertTrue(outputs(context, "dlq").get(0).contains("last failure: " + STORE
        + " batch of 1 records ran longer than max-batch-duration PT0.2S"), outputs(context, "dlq").toString());
  }

  @Test
  void aRestartedProcessorFindsTheRunItsPredecessorDiedInAndQuarantinesByIt() throws Exception {
    BatchingConfig batching = BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(1);
    MockProcessorContext<String, OutputRecord> first = context();
    ScriptedWork dying = new ScriptedWork("crash", Poison.NEVER_RETURNS);
    MicroBatchProcessor doomed = processor(first, dying, batching);
    Thread streamThread = new Thread(() -> send(doomed, first, "crash"));
    streamThread.setDaemon(true);
    streamThread.start();
    try {
      assertTrue(dying.entered.await(10, TimeUnit.SECONDS), "the run started");
      // The process "dies" here: its run never ends, the store keeps what the last commit held.
      MockProcessorContext<String, OutputRecord> second = context();
      ScriptedWork work = new ScriptedWork("none", Poison.THROWS);
      offset = 0; // the replay reads the same offsets again
      MicroBatchProcessor restarted = processor(second, work, batching);
      punctuate(second, 1);

      assertEquals(List.of(), work.runs, "not run again");
      String letter = outputs(second, "dlq").get(0);
      assertTrue(letter.startsWith("QUARANTINE|crash|record crash was not run again: 1 batch runs holding it failed,"
          + " 1 of them with it alone (max-attempts 1); last failure: " + AttemptLedger.DIED_MID_BATCH), letter);
      assertEquals(0, store.approximateNumEntries());
      restarted.close();
    } finally {
      dying.release.countDown();
      streamThread.join(10_000);
    }
  }

  @Test
  void anInfrastructureFailureFailsTheTaskWithoutCountingAnAttempt() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    ScriptedWork work = new ScriptedWork("k", Poison.KAFKA_FAILS);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(1));

    assertThrows(TimeoutException.class, () -> send(processor, context, "k"));
    assertEquals(List.of(), outputs(context, "out"));
    assertEquals(0, Files.size(ledgerFile()), "the begun run was taken back");
    assertThrows(TimeoutException.class, () -> punctuate(context, 1));
    assertEquals(2, work.runs.size(), "runs again: an outage quarantines nothing");
  }

  @Test
  void anInputWhoseAdmissionKeepsThrowingIsQuarantinedOnItsReplayAfterMaxAttempts() throws IOException {
    BatchingConfig batching = BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(2);
    for (int attempt = 1; attempt <= 2; attempt++) {
      MockProcessorContext<String, OutputRecord> context = context(); // a restarted task, replaying from offset 0
      MicroBatchProcessor processor = processor(context, new ScriptedWork("bad", Poison.THROWS) {
        @Override
        public Optional<Admission> admit(InputRecord input, Emitter out) {
          if ("bad".equals(input.keyText())) {
            throw new IllegalStateException("admission bug on " + input.keyText());
          }
          return super.admit(input, out);
        }
      }, batching);
      offset = 0;
      assertThrows(IllegalStateException.class, () -> send(processor, context, "bad"), "attempt " + attempt);
      processor.close();
    }
    assertTrue(Files.readString(ledgerFile()).contains("p0@0\t2\t2\t0\t0\tadmitting it: java.lang.IllegalStateException:"
        + " admission bug on bad"), Files.readString(ledgerFile()));

    MockProcessorContext<String, OutputRecord> context = context();
    ScriptedWork work = new ScriptedWork("none", Poison.THROWS);
    MicroBatchProcessor processor = processor(context, work, batching);
    offset = 0;
    send(processor, context, "bad");
    send(processor, context, "good");
    String letter = outputs(context, "dlq").get(0);
    assertTrue(letter.startsWith("QUARANTINE|bad|record bad was not run again: 2 admissions of it failed, 2 of them"
        + " with it alone (max-attempts 2); last failure: admitting it: java.lang.IllegalStateException"), letter);
    assertEquals(List.of("good"), outputs(context, "out"), "the stream goes on");
    assertEquals(List.of(List.of("good")), work.runs);
    assertEquals(0, Files.size(ledgerFile()));
  }

  @Test
  void aBatchRunInPartsIsCountedOnceItsProgressGoesOutPerCallAndItsOutcomesOnlyAtTheEnd() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(3, "none", 0);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMillis(100)));
    send(processor, context, "a");

    assertEquals(List.of("a@1"), outputs(context, "progress"), "the first call's progress went out at once");
    assertEquals(List.of(), outputs(context, "out"));
    assertTrue(Files.readString(ledgerFile()).contains("p0@0\t1\t1\t1\t1"), "counted once, running, before the end");
    send(processor, context, "b"); // a second call: a's run goes on, b waits for it
    assertEquals(List.of(List.of("a")), work.starts);
    assertEquals(List.of("a@1", "a@2"), outputs(context, "progress"));
    punctuate(context, 1);
    assertEquals(List.of("a"), outputs(context, "out"), "a's outcome at its last call");
    assertEquals(1, work.closed);
    assertEquals(List.of(List.of("a"), List.of("b")), work.starts, "then b starts, in the same call");
    punctuate(context, 2);
    assertEquals(List.of("a", "b"), outputs(context, "out"));
    assertEquals(0, store.approximateNumEntries());
    assertEquals(0, Files.size(ledgerFile()), "nothing left to count");
  }

  @Test
  void aFailedPartIsOneFailedAttemptItsRunsHeldOutcomesAreDroppedAndItsRunClosed() {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(3, "p", 0);
    MicroBatchProcessor processor = processor(context, work,
        BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(1));
    send(processor, context, "p");
    punctuate(context, 1); // part 2 throws
    assertEquals(1, work.closed, "the failed run was closed");
    assertEquals(1, store.approximateNumEntries(), "still queued");
    punctuate(context, 1);
    assertEquals(List.of(List.of("p")), work.starts, "quarantined after one failed attempt, not started again");
    assertEquals(List.of(), outputs(context, "out"));
    assertEquals(List.of("p@1"), outputs(context, "progress"), "progress already out stays: it is not an outcome");
    String letter = outputs(context, "dlq").get(0);
    assertTrue(letter.contains("1 batch runs holding it failed") && letter.contains("bug on p in part 2"), letter);
  }

  @Test
  void maxBatchDurationBoundsEachPartSoALongRunOfShortPartsEnds() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(6, "none", 60);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMillis(100))
        .withMaxAttempts(1).withMaxBatchDuration(Duration.ofMillis(200)));
    send(processor, context, "long");
    punctuate(context, 6);

    assertEquals(List.of("long"), outputs(context, "out"), "six parts of 60 ms: 360 ms in all, each under 200 ms");
    assertEquals(List.of(), outputs(context, "dlq"));
  }

  @Test
  void aRunInPartsGoesOnRightAfterEachPartNotAtTheNextCheckOfTheQueue() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(3, "none", 0);
    // max-wait 10 min: the queue is checked every 2.5 min; a batch of one runs as soon as it arrives.
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMinutes(10)));
    var continuation = context.scheduledPunctuators().get(1);
    assertEquals(Duration.ofMillis(5), continuation.getInterval());
    continuation.getPunctuator().punctuate(context.currentSystemTimeMs()); // nothing in flight: nothing happens
    send(processor, context, "a"); // part 1
    continuation.getPunctuator().punctuate(context.currentSystemTimeMs()); // part 2
    assertEquals(List.of(), outputs(context, "out"));
    continuation.getPunctuator().punctuate(context.currentSystemTimeMs()); // part 3
    assertEquals(List.of("a"), outputs(context, "out"));
    assertEquals(List.of(List.of("a")), work.starts);
  }

  @Test
  void maxRunDurationBoundsARunOverAllItsParts() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(100, "none", 60);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMillis(100))
        .withMaxAttempts(2).withMaxBatchDuration(Duration.ofMillis(200)).withMaxRunDuration(Duration.ofMillis(300)));
    send(processor, context, "slow");
    punctuate(context, 14);

    assertTrue(outputs(context, "progress").size() < 14, "stopped before its last parts: " + outputs(context, "progress"));
    assertEquals(2, work.starts.size(), "stopped, counted, run again, stopped, then quarantined: " + work.starts);
    assertEquals(List.of(), outputs(context, "out"));
    assertTrue(outputs(context, "dlq").get(0).contains("ran longer than max-run-duration PT0.3S over all its parts"),
        outputs(context, "dlq").toString());
  }

  @Test
  void onePartLongerThanMaxBatchDurationIsStopped() throws IOException {
    MockProcessorContext<String, OutputRecord> context = context();
    PartedWork work = new PartedWork(3, "none", 400);
    MicroBatchProcessor processor = processor(context, work, BatchingConfig.of(1, Duration.ofMillis(100))
        .withMaxAttempts(1).withMaxBatchDuration(Duration.ofMillis(150)));
    send(processor, context, "stuck");
    punctuate(context, 2);

    assertEquals(List.of(), outputs(context, "out"));
    assertTrue(outputs(context, "dlq").get(0).contains("ran longer than max-batch-duration PT0.15S"),
        outputs(context, "dlq").toString());
  }

  @Test
  void aProcessorClosedMidRunClosesItAndTheBatchRunsAgainUncounted() throws IOException {
    BatchingConfig batching = BatchingConfig.of(1, Duration.ofMillis(100)).withMaxAttempts(1);
    MockProcessorContext<String, OutputRecord> first = context();
    PartedWork moved = new PartedWork(3, "none", 0);
    MicroBatchProcessor leaving = processor(first, moved, batching);
    send(leaving, first, "a");
    leaving.close(); // the task moves (rebalance) between two parts
    assertEquals(1, moved.closed);

    MockProcessorContext<String, OutputRecord> second = context();
    PartedWork work = new PartedWork(3, "none", 0);
    MicroBatchProcessor next = processor(second, work, batching);
    punctuate(second, 3);
    assertEquals(List.of(List.of("a")), work.starts, "run again from its start, not quarantined (max-attempts 1)");
    assertEquals(List.of("a"), outputs(second, "out"));
    assertEquals(List.of(), outputs(second, "dlq"));
    next.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
