package dev.aligntok.tests.faults;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A backlog of valid inputs, serialized with the project's Avro serde: generation requests of
 * several images each, and image events. Produced all at once, it keeps the service busy for
 * several batches, so a fault can land while one runs.
 */
final class GenerationBacklog {
  /** The default model the repository ships; at 50 steps a generate batch of 4 takes seconds on 2 cores. */
  static final Path DEFAULT_BUNDLE =
      Path.of(System.getProperty("aligntok.repo.root", "..")).resolve("models/emoji-default-bundle").normalize();

  final Map<String, Integer> countsByRequest = new LinkedHashMap<>();
  final List<String> imageIds = new ArrayList<>();
  private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

  GenerationBacklog(TopicNames topics, EventSerdes serdes, int requests, int imagesPerRequest, int steps,
                    int imageEvents) {
    this(topics, serdes, "", requests, imagesPerRequest, steps, imageEvents);
  }

  /** @param idPrefix before every id ({@code <prefix>gen-<i>}, {@code <prefix>img-<i>}): several backlogs on one topic set */
  GenerationBacklog(TopicNames topics, EventSerdes serdes, String idPrefix, int requests, int imagesPerRequest,
                    int steps, int imageEvents) {
    List<String> classNames = BundleFiles.verify(DEFAULT_BUNDLE).manifest().labels().vocabulary().names();
    SplittableRandom random = new SplittableRandom(20261129);
    for (int i = 0; i < requests; i++) {
      GenerationRequest request = GenerationRequest.newBuilder().setId(idPrefix + "gen-" + i)
          .setPrompt(classNames.get(i % classNames.size())).setCount(imagesPerRequest).setSeed(100L * i)
          .setSteps(steps).build();
      countsByRequest.put(request.getId(), request.getCount());
      records.add(InputEvents.record(topics.prompts(), request.getId(),
          InputEvents.serialize(serdes, topics.prompts(), request)));
    }
    for (int i = 0; i < imageEvents; i++) {
      String id = idPrefix + "img-" + i;
      ImageEvent event = ImageEvent.newBuilder().setId(id)
          .setData(ByteBuffer.wrap(InputEvents.noisePng(64, 64, random))).build();
      imageIds.add(id);
      records.add(InputEvents.record(topics.images(), id, InputEvents.serialize(serdes, topics.images(), event)));
    }
  }

  int totalImages() {
    return countsByRequest.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Sends every record (idempotent producer, acks=all) and returns once all are acknowledged. */
  void produce(RealStack stack) {
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /**
   * Sends the records spread evenly over {@code duration}, generation requests and image events
   * interleaved, as a steady load: a fault during that time meets work in every state (queued,
   * batched, running, committed). Returns once all are acknowledged.
   */
  void produceOver(RealStack stack, Duration duration) throws InterruptedException {
    List<ProducerRecord<byte[], byte[]>> requests = records.subList(0, countsByRequest.size());
    List<ProducerRecord<byte[], byte[]>> images = records.subList(countsByRequest.size(), records.size());
    List<ProducerRecord<byte[], byte[]>> interleaved = new ArrayList<>();
    for (int i = 0; i < Math.max(requests.size(), images.size()); i++) {
      if (i < requests.size()) {
        interleaved.add(requests.get(i));
      }
      if (i < images.size()) {
        interleaved.add(images.get(i));
      }
    }
    long pauseNanos = duration.toNanos() / Math.max(1, interleaved.size());
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> record : interleaved) {
        producer.send(record);
        producer.flush();
        Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
      }
    }
  }
}
