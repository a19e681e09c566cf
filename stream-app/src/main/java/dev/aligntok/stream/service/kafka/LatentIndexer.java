package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.schemas.serde.RegistryOutage;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a {@link LatentSummary} of each latent under its image id, for {@code GET /v1/tokenize/{id}}:
 * the metadata only, never the tensor, kept for the lookup retention. As in {@link ImageIndexer}, a
 * schema-registry outage goes up to be retried; any other unreadable latent is logged and skipped.
 */
final class LatentIndexer implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(LatentIndexer.class);

  private final Deserializer<LatentEvent> deserializer;
  private final OwnerTags owners;
  private ProcessorContext<Void, Void> context;
  private WindowStore<String, byte[]> latents;

  LatentIndexer(Deserializer<LatentEvent> deserializer, OwnerTags owners) {
    this.deserializer = deserializer;
    this.owners = owners;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.latents = context.getStateStore(QueryStores.LATENTS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
    LatentEvent latent;
    try {
      latent = deserializer.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      if (RegistryOutage.causes(e)) {
        throw e; // retried, as ImageIndexer's are
      }
      LOG.error("latent with key {} at {} cannot be indexed, GET /v1/tokenize/<id> will not find it: {}",
          BoundedText.of(record.key()), context.recordMetadata().map(m -> m.partition() + "@" + m.offset()).orElse("?"),
          BoundedText.of(e.toString()));
      return;
    }
    String owner = owners.verifiedOwner(latent.getId(), latent.getMetadata()).orElse(null);
    latents.put(latent.getId(), LatentSummary.of(latent, owner).toBytes(), record.timestamp());
  }
}
