package dev.aligntok.stream.service.query;

import dev.aligntok.events.GeneratedImage;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores each generated image under {@code <request id>/<index>}, as written (decoded again when queried). */
final class ImageIndexer implements Processor<String, byte[], Void, Void> {
  /** Windows only carry the retention here; any small size works. */
  static final Duration WINDOW = Duration.ofMillis(1);

  private static final Logger LOG = LoggerFactory.getLogger(ImageIndexer.class);

  private final Deserializer<GeneratedImage> deserializer;
  private ProcessorContext<Void, Void> context;
  private WindowStore<String, byte[]> images;

  ImageIndexer(Deserializer<GeneratedImage> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.images = context.getStateStore(QueryStores.IMAGES);
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
      // The generate topology wrote it; an unreadable one is only missing from the HTTP API.
      LOG.warn("cannot index a generated image with key {} for the HTTP API: {}", record.key(), e.toString());
      return;
    }
    images.put(QueryStores.imageKey(image.getRequestId(), image.getIndex()), record.value(), record.timestamp());
  }
}
