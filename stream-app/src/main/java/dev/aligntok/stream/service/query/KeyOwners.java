package dev.aligntok.stream.service.query;

import dev.aligntok.stream.service.config.KafkaSettings;
import dev.aligntok.stream.service.kafka.StreamsRunner;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds the instance that owns a request id in a query store, from the Streams metadata. Without
 * {@code aligntok.kafka.application-server} the service assumes it runs alone and answers every
 * query locally.
 */
@Singleton
public final class KeyOwners {
  private final StreamsRunner runner;
  private final HostInfo self;

  public KeyOwners(StreamsRunner runner, KafkaSettings settings) {
    this.runner = runner;
    this.self = settings.applicationServer() == null ? null : HostInfo.buildFromEndpoint(settings.applicationServer());
  }

  public KeyOwner of(String store, String requestId) {
    if (self == null) {
      return KeyOwner.LOCAL;
    }
    KeyQueryMetadata metadata = runner.streams().queryMetadataForKey(store, requestId, Serdes.String().serializer());
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      return KeyOwner.UNAVAILABLE;
    }
    HostInfo active = metadata.activeHost();
    return active.equals(self) ? KeyOwner.LOCAL : KeyOwner.remote(active);
  }
}
