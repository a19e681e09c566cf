package dev.aligntok.tests.harness;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a real Confluent-compatible schema registry, for integration tests.
 * Obtain it through {@link RealStackExtension} ({@code @WithRealStack}); it is started once per
 * test run and shared, so tests must use their own topic, subject and group names ({@link
 * #uniqueName(String)}).
 */
public final class RealStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RealStack.class);

  private final EmbeddedKafka kafka;
  private final ApicurioProcess registry;

  private RealStack(EmbeddedKafka kafka, ApicurioProcess registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /**
   * Starts both, the registry's JVM in parallel with the in-JVM broker. If either fails, the other
   * is stopped before the failure is thrown.
   */
  static RealStack start(Path apicurioDistribution, Path workDir) throws Exception {
    long t0 = System.nanoTime();
    ExecutorService starter =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "real-stack-registry-start");
              thread.setDaemon(true);
              return thread;
            });
    Future<TimedStart<ApicurioProcess>> registryStart =
        starter.submit(
            () -> TimedStart.of(() -> ApicurioProcess.start(apicurioDistribution, workDir)));
    starter.shutdown();

    TimedStart<EmbeddedKafka> kafka;
    try {
      kafka = TimedStart.of(() -> EmbeddedKafka.start(workDir));
    } catch (Exception | Error e) {
      abandon(registryStart, e);
      throw e;
    }
    TimedStart<ApicurioProcess> registry;
    try {
      registry = registryStart.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      closeQuietly(kafka.value(), cause);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    } catch (InterruptedException e) {
      abandon(registryStart, e);
      closeQuietly(kafka.value(), e);
      throw e;
    }
    log.info(
        "Real stack ready in {} ms: Kafka {} at {} ({} ms), Apicurio Registry pid {} at {} ({} ms,"
            + " log {})",
        (System.nanoTime() - t0) / 1_000_000,
        AppInfoParser.getVersion(),
        kafka.value().bootstrapServers(),
        kafka.millis(),
        registry.value().pid(),
        registry.value().ccompatUrl(),
        registry.millis(),
        registry.value().logFile());
    return new RealStack(kafka.value(), registry.value());
  }

  /** {@code 127.0.0.1:<port>} of the broker. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * Base URL of the registry's Confluent-compatible API, {@code
   * http://127.0.0.1:<port>/apis/ccompat/v7}.
   */
  public String registryUrl() {
    return registry.ccompatUrl();
  }

  /**
   * Stops the broker, for fault tests; every test after it needs it back, so call {@link
   * #startBroker()} in a {@code finally}. The registry keeps running.
   */
  public void stopBroker() {
    kafka.stopBroker();
    log.info("Kafka broker stopped");
  }

  /** Starts the broker stopped by {@link #stopBroker()} again at the same address; returns once it serves. */
  public void startBroker() throws ExecutionException, InterruptedException {
    kafka.startBroker();
    log.info("Kafka broker started again at {}", bootstrapServers());
  }

  /** Creates single-partition topics and waits until they are usable; fails if one exists. */
  public void createTopics(String... names) {
    createTopics(Arrays.stream(names).map(name -> new NewTopic(name, 1, (short) 1)).toList());
  }

  /** Creates topics (replication factor must be 1 or unset) and waits until they are usable. */
  public void createTopics(Collection<NewTopic> topics) {
    kafka.createTopics(topics);
  }

  /**
   * {@code prefix-<8 hex digits>}: a topic, subject, group or transactional id no other test uses.
   */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Admin client settings. A new map each call. */
  public Map<String, Object> adminProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** Idempotent producer, acks=all; serializers are the caller's. A new map each call. */
  public Map<String, Object> producerProps() {
    Map<String, Object> props = adminProps();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  /** {@link #producerProps()} plus a transactional id. A new map each call. */
  public Map<String, Object> transactionalProducerProps(String transactionalId) {
    Map<String, Object> props = producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /**
   * Consumer in {@code groupId} that sees committed records only (read_committed), starts at the
   * earliest offset and never commits on its own; deserializers are the caller's. A new map each
   * call.
   */
  public Map<String, Object> consumerProps(String groupId) {
    Map<String, Object> props = adminProps();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /** Stops the registry and the broker; both are attempted even if one fails. */
  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      registry.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      kafka.close();
    } catch (RuntimeException e) {
      if (failure != null) {
        e.addSuppressed(failure);
      }
      failure = e;
    }
    if (failure != null) {
      throw failure;
    }
    log.info("Real stack stopped");
  }

  /** Gives up on a registry start in progress: stops it whether it finished or not. */
  private static void abandon(
      Future<TimedStart<ApicurioProcess>> registryStart, Throwable primary) {
    if (registryStart.cancel(true)) {
      return; // the start was interrupted; ApicurioProcess.start stops its process when it fails
    }
    try {
      closeQuietly(registryStart.get().value(), primary);
    } catch (ExecutionException | CancellationException failedAnyway) {
      // nothing left running
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable, Throwable primary) {
    try {
      closeable.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  /** A started component and how long it took to start. */
  private record TimedStart<T>(T value, long millis) {
    interface Starter<T> {
      T start() throws Exception;
    }

    static <T> TimedStart<T> of(Starter<T> starter) throws Exception {
      long t0 = System.nanoTime();
      T value = starter.start();
      return new TimedStart<>(value, (System.nanoTime() - t0) / 1_000_000);
    }
  }
}
