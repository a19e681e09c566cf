package dev.aligntok.benchmarks.pipeline;

import dev.aligntok.inference.io.Directories;
import dev.aligntok.stream.StreamApp;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.EventSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The tokenize topology in this JVM, assembled by {@link StreamApp} (exactly_once_v2) on fresh
 * topics of N partitions with N stream threads, its state in a temporary folder deleted on close.
 */
public final class InProcessTokenizer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** The longest one batch may take; sizes max.poll.interval.ms and the transaction timeout. */
  private static final long MAX_BATCH_MILLIS = 10_000;

  private final KafkaStreams streams;
  private final Path stateDir;
  private final AtomicReference<Throwable> crash = new AtomicReference<>();

  private InProcessTokenizer(KafkaStreams streams, Path stateDir) {
    this.streams = streams;
    this.stateDir = stateDir;
  }

  /**
   * Creates the run's topics, starts the topology and waits until it is RUNNING.
   *
   * @param partitions partitions of every topic, and stream threads (one task per partition each)
   * @param overrides extra Streams settings (e.g. commit.interval.ms); they win
   * @throws IllegalStateException when the topics cannot be created or the app does not start
   */
  public static InProcessTokenizer start(String bootstrapServers, String applicationId, TokenizeConfig config,
                                         LatentEncoderPort encoder, EventSerdes serdes, int partitions,
                                         Map<String, ?> overrides) {
    createTopics(bootstrapServers, config.topics(), partitions);
    Path stateDir = tempDir(applicationId);
    Properties props = StreamApp.streamsProperties(applicationId, bootstrapServers, MAX_BATCH_MILLIS, overrides);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, partitions);
    KafkaStreams streams = new KafkaStreams(StreamApp.topology(config, encoder, null, null, serdes), props);
    InProcessTokenizer tokenizer = new InProcessTokenizer(streams, stateDir);
    streams.setUncaughtExceptionHandler(e -> {
      tokenizer.crash.set(e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    try {
      tokenizer.awaitRunning();
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    return tokenizer;
  }

  /** @throws IllegalStateException when the stream thread died (the cause is attached) */
  public void checkAlive() {
    if (crash.get() != null || streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("the tokenize topology stopped: " + streams.state(), crash.get());
    }
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    try {
      Directories.deleteRecursively(stateDir);
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }

  private void awaitRunning() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Streams did not reach RUNNING in " + START_TIMEOUT + ", it is " + streams.state());
      }
      sleep(50);
    }
  }

  private static void createTopics(String bootstrapServers, TopicNames topics, int partitions) {
    List<NewTopic> fresh = Stream.of(topics.images(), topics.latents(), topics.prompts(), topics.generated(),
            topics.status(), topics.deadLetters(), topics.cancellations())
        .map(name -> new NewTopic(name, partitions, (short) 1)).toList();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(fresh).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the benchmark topics on " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static Path tempDir(String applicationId) {
    try {
      return Files.createTempDirectory(applicationId + "-state");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state folder", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka Streams", e);
    }
  }
}
