package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.service.config.TopicSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the service's topics exist before Kafka Streams starts (a Streams application whose
 * source topic is missing goes to ERROR): creates the missing ones when allowed, and verifies that
 * the status and cancellations topics are compacted. Fails with a message that says what to fix.
 */
@Singleton
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private final KafkaClientConfigs clients;
  private final TopicSettings settings;

  public TopicProvisioner(KafkaClientConfigs clients, TopicSettings settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /** Every topic the service reads or writes; status and cancellations are compacted tables. */
  public static List<TopicSpec> required(TopicNames names) {
    return List.of(new TopicSpec(names.images(), false), new TopicSpec(names.latents(), false),
        new TopicSpec(names.prompts(), false), new TopicSpec(names.generated(), false),
        new TopicSpec(names.status(), true), new TopicSpec(names.deadLetters(), false),
        new TopicSpec(names.cancellations(), true));
  }

  public void ensure() {
    List<TopicSpec> topics = required(settings.names());
    Duration timeout = clients.settings().adminTimeout();
    try (Admin admin = Admin.create(clients.admin())) {
      Set<String> existing = await(admin.listTopics().names(), timeout, "list topics");
      List<TopicSpec> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        create(admin, missing, timeout);
      }
      verify(admin, topics, timeout);
    }
  }

  private void create(Admin admin, List<TopicSpec> missing, Duration timeout) {
    if (!settings.create()) {
      throw new IllegalStateException("topics " + names(missing) + " do not exist and aligntok.topics.create=false:"
          + " create them (status and cancellations with cleanup.policy=compact) or allow creation");
    }
    for (TopicSpec topic : missing) {
      NewTopic request = newTopic(topic);
      try {
        await(admin.createTopics(List.of(request)).all(), timeout, "create topic " + topic.name());
        LOG.info("created topic {} ({} partitions, replication {}, configs {})", topic.name(), settings.partitions(),
            settings.replicationFactor() == -1 ? "broker default" : settings.replicationFactor(), request.configs());
      } catch (IllegalStateException e) {
        if (e.getCause() instanceof TopicExistsException) {
          continue; // another instance created it meanwhile; verified below
        }
        throw new IllegalStateException(e.getMessage() + "; create it beforehand" + (topic.compacted() ? " with cleanup.policy=compact" : "")
            + " or grant this principal CREATE on the cluster or the topic", e.getCause());
      }
    }
  }

  private NewTopic newTopic(TopicSpec topic) {
    Optional<Short> replication = settings.replicationFactor() == -1
        ? Optional.empty() : Optional.of(settings.replicationFactor());
    NewTopic request = new NewTopic(topic.name(), Optional.of(settings.partitions()), replication);
    if (topic.compacted()) {
      request.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    return request;
  }

  private void verify(Admin admin, List<TopicSpec> topics, Duration timeout) {
    Map<String, TopicDescription> descriptions = describeWhenReady(admin, names(topics), timeout);
    for (TopicSpec topic : topics) {
      int partitions = descriptions.get(topic.name()).partitions().size();
      if (partitions != settings.partitions()) {
        LOG.info("topic {} has {} partitions (aligntok.topics.partitions={} applies only to topics created here)",
            topic.name(), partitions, settings.partitions());
      }
    }
    List<ConfigResource> compacted = topics.stream().filter(TopicSpec::compacted)
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
    Map<ConfigResource, Config> configs = await(admin.describeConfigs(compacted).all(), timeout,
        "describe configs of " + compacted.stream().map(ConfigResource::name).toList());
    List<String> problems = new ArrayList<>();
    configs.forEach((resource, config) -> {
      ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      String value = policy == null ? "(unknown)" : policy.value();
      if (policy == null || !List.of(value.split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        problems.add(resource.name() + " has cleanup.policy=" + value);
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalStateException("topics keyed by request id must be compacted, but " + String.join(", ", problems)
          + ": set cleanup.policy=compact on them (kafka-configs --alter --entity-type topics --entity-name <topic>"
          + " --add-config cleanup.policy=compact)");
    }
  }

  /**
   * Describes the topics once every partition has a leader. Just-created topics take a moment to
   * reach every broker's metadata; until then they are reported unknown or leaderless.
   */
  private Map<String, TopicDescription> describeWhenReady(Admin admin, List<String> names, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            await(admin.describeTopics(names).allTopicNames(), timeout, "describe topics " + names);
        boolean led = descriptions.values().stream().flatMap(d -> d.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (led) {
          return descriptions;
        }
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + names + " have partitions without a leader after " + timeout);
      }
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics", e);
    }
  }

  private <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + " on " + clients.settings().bootstrapServers() + ": "
          + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": Kafka at " + clients.settings().bootstrapServers()
          + " did not answer within " + timeout + " (aligntok.kafka.admin-timeout); check bootstrap servers and"
          + " security settings", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  private static List<String> names(Collection<TopicSpec> topics) {
    return topics.stream().map(TopicSpec::name).toList();
  }
}
