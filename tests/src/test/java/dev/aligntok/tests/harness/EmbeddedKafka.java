package dev.aligntok.tests.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft cluster (one process playing broker and controller) inside this JVM,
 * listening on 127.0.0.1 only, on production metadata and feature levels.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final Admin admin;

  private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers, Admin admin) {
    this.cluster = cluster;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
  }

  /** Formats and starts the cluster under {@code workDir}, returning once the broker is ready. */
  public static EmbeddedKafka start(Path workDir) throws Exception {
    Files.createDirectories(workDir);
    TestKitNodes nodes =
        new TestKitNodes.Builder(productionBootstrapMetadata())
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBaseDirectory(Files.createTempDirectory(workDir, "kafka-"))
            .build();
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
    brokerConfig(nodes).forEach(builder::setConfigProp);
    LoopbackListeners.preBind(builder, nodes);

    KafkaClusterTestKit cluster = builder.build();
    Admin admin = null;
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      String bootstrap =
          cluster.brokers().values().stream()
              .map(
                  broker ->
                      FreePorts.LOOPBACK_HOST + ":" + broker.boundPort(nodes.brokerListenerName()))
              .collect(Collectors.joining(","));
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
      return new EmbeddedKafka(cluster, bootstrap, admin);
    } catch (Exception | Error e) {
      closeQuietly(admin, e);
      closeQuietly(cluster, e);
      throw e;
    }
  }

  /** Broker settings for a one-node cluster that behaves like production where it matters to us. */
  private static Map<String, Object> brokerConfig(TestKitNodes nodes) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(
        "listeners",
        String.format(
            "%s://%s:0,%s://%s:0",
            nodes.brokerListenerName().value(),
            FreePorts.LOOPBACK_HOST,
            nodes.controllerListenerName().value(),
            FreePorts.LOOPBACK_HOST));
    // One broker: every internal topic has one replica.
    config.put("offsets.topic.replication.factor", "1");
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("transaction.state.log.num.partitions", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    config.put("min.insync.replicas", "1");
    // Consumer groups form at once instead of after the default 3 s.
    config.put("group.initial.rebalance.delay.ms", "0");
    // Topics exist only if something created them, as on a production cluster.
    config.put("auto.create.topics.enable", "false");
    // The test kit turns unstable APIs and features on; we want what a released broker offers.
    config.put("unstable.api.versions.enable", "false");
    config.put("unstable.feature.versions.enable", "false");
    return config;
  }

  private static BootstrapMetadata productionBootstrapMetadata() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> features =
        Feature.PRODUCTION_FEATURES.stream()
            .collect(
                Collectors.toMap(
                    Feature::featureName,
                    feature -> feature.defaultLevel(version),
                    (a, b) -> a,
                    TreeMap::new));
    return BootstrapMetadata.fromVersions(version, features, "aligntok-tests");
  }

  /**
   * Shuts the broker down (the KRaft controller of the same node stays up) and waits until it has
   * stopped: clients get connection refused until {@link #startBroker()}.
   */
  public void stopBroker() {
    BrokerServer broker = broker();
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** Starts the broker stopped by {@link #stopBroker()} again, on the same port and data; returns once it serves. */
  public void startBroker() throws ExecutionException, InterruptedException {
    broker().startup();
    cluster.waitForReadyBrokers();
  }

  private BrokerServer broker() {
    return cluster.brokers().values().iterator().next();
  }

  /** {@code 127.0.0.1:<port>} of the broker listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates the topics and waits until each partition has a leader, so that producers, consumers
   * and Streams applications can use them at once. Fails if a topic already exists.
   */
  public void createTopics(Collection<NewTopic> topics) {
    List<String> names = topics.stream().map(NewTopic::name).toList();
    try {
      admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(names);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topics " + names + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("topics " + names + " not ready within " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + names, e);
    }
  }

  private void awaitLeaders(List<String> names) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(names)
                .allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        boolean ready =
            descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException notYetVisible) {
        // metadata not propagated yet: try again
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no leader for some partition of " + names);
      }
      Thread.sleep(50);
    }
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      admin.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      IllegalStateException stopFailure =
          new IllegalStateException("Kafka did not stop cleanly: " + e, e);
      if (failure != null) {
        stopFailure.addSuppressed(failure);
      }
      failure = stopFailure;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void closeQuietly(AutoCloseable closeable, Throwable primary) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }
}
