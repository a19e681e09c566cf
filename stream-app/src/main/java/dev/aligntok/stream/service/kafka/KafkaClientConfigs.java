package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.StreamApp;
import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.service.config.KafkaSettings;
import dev.aligntok.stream.service.config.PassThroughProperties;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place the Kafka client configurations are assembled: bootstrap servers plus every
 * {@code aligntok.kafka.properties.*} entry verbatim (security, tuning), for the admin client, the
 * request producer and Kafka Streams alike.
 */
@Singleton
public final class KafkaClientConfigs {
  private final KafkaSettings settings;
  private final Map<String, String> passThrough;

  public KafkaClientConfigs(KafkaSettings settings, PassThroughProperties passThrough) {
    this.settings = settings;
    this.passThrough = passThrough.kafka();
  }

  /** The {@code aligntok.kafka.properties.*} entries. */
  public Map<String, String> passThrough() {
    return passThrough;
  }

  public KafkaSettings settings() {
    return settings;
  }

  /** Admin client: only the shared settings. */
  public Map<String, Object> admin() {
    Map<String, Object> config = new HashMap<>(passThrough);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, settings.applicationId() + "-admin");
    return config;
  }

  /** Producer of API requests: acknowledged by all in-sync replicas, idempotent. */
  public Map<String, Object> producer() {
    Map<String, Object> config = admin();
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, settings.applicationId() + "-api");
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return config;
  }

  /** Kafka Streams: {@link StreamApp#streamsProperties} (exactly_once_v2) with the shared settings on top. */
  public Properties streams(BatchObserver observer) {
    Map<String, Object> overrides = new HashMap<>(passThrough);
    if (settings.applicationServer() != null) {
      overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.applicationServer());
    }
    // An object value: the processors look it up in their app configs (see BatchObserver).
    overrides.put(BatchObserver.CONFIG_KEY, observer);
    return StreamApp.streamsProperties(settings.applicationId(), settings.bootstrapServers(),
        settings.maxBatchDuration().toMillis(), overrides);
  }
}
