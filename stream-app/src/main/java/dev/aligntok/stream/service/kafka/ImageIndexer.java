package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.schemas.serde.RegistryOutage;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each generated image under {@code <request id>/<index>}, as written (decoded again when
 * queried). An image that cannot be read because the schema registry is out of reach is not lost:
 * the failure goes up, the stream thread is replaced after a pause that doubles while the outage
 * lasts ({@code StreamThreadFailureHandler}), and the uncommitted records are read again. Any other
 * unreadable image is counted ({@code aligntok.images.unindexed}) and logged as an error: it stays in
 * the generated topic but the HTTP API cannot serve it.
 */
final class ImageIndexer implements Processor<String, byte[], Void, Void> {
  /** Windows only carry the retention here; any small size works. */
  static final Duration WINDOW = Duration.ofMillis(1);

  private static final Logger LOG = LoggerFactory.getLogger(ImageIndexer.class);

  private final Deserializer<GeneratedImage> deserializer;
  private ProcessorContext<Void, Void> context;
  private WindowStore<String, byte[]> images;
  private BatchObserver observer;

  ImageIndexer(Deserializer<GeneratedImage> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.images = context.getStateStore(QueryStores.IMAGES);
    this.observer = BatchObserver.from(context.appConfigs());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
    GeneratedImage image;
    try {
      image = deserializer.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      if (RegistryOutage.causes(e)) {
        throw e; // retried: see the class comment
      }
      observer.imageNotIndexed();
      LOG.error("generated image with key {} at {} cannot be indexed, the HTTP API will not serve it: {}",
          BoundedText.of(record.key()), context.recordMetadata().map(m -> m.partition() + "@" + m.offset()).orElse("?"),
          BoundedText.of(e.toString()));
      return;
    }
    images.put(QueryStores.imageKey(image.getRequestId(), image.getIndex()), record.value(), record.timestamp());
  }
}
