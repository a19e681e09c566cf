package dev.aligntok.benchmarks.scaleout;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.quickstart.SampleImages;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Image events and generation requests sent as a client would (keyed by id, idempotent, acks=all),
 * either at a steady pace or as fast as the producer allows. Remembers the partition each id landed
 * on, so an output can be traced back to the input partition (the task) that produced it.
 */
final class InputLoad implements AutoCloseable {
  /** Which input topic an id went to. */
  enum Kind { IMAGE, PROMPT }

  /** Where an input went. */
  record Sent(Kind kind, int partition, long sentNanos) {}

  private final TopicNames topics;
  private final EventSerdes serdes;
  private final String runId;
  private final List<SampleImages.Sample> samples;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final AtomicInteger images = new AtomicInteger();
  private final AtomicInteger prompts = new AtomicInteger();
  private final AtomicInteger failedSends = new AtomicInteger();

  InputLoad(String bootstrapServers, TopicNames topics, EventSerdes serdes, String runId, List<SampleImages.Sample> samples) {
    this.topics = topics;
    this.serdes = serdes;
    this.runId = runId;
    this.samples = samples;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.CLIENT_ID_CONFIG, runId + "-load"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends one image event; its id starts with {@code prefix}. */
  String sendImage(String prefix) {
    int n = images.getAndIncrement();
    SampleImages.Sample sample = samples.get(n % samples.size());
    String id = String.format("%s-%s-img-%06d", runId, prefix, n);
    ImageEvent event = ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(sample.png()))
        .setContentType("image/png").setLabel(sample.name()).setCreatedAtMs(Instant.now()).build();
    send(Kind.IMAGE, topics.images(), id, serdes.serde(ImageEvent.class).serializer().serialize(topics.images(), event));
    return id;
  }

  /** Sends one generation request for {@code count} images at {@code steps}. */
  String sendPrompt(String prefix, String prompt, int count, int steps) {
    int n = prompts.getAndIncrement();
    String id = String.format("%s-%s-gen-%06d", runId, prefix, n);
    GenerationRequest request = GenerationRequest.newBuilder().setId(id).setPrompt(prompt).setCount(count)
        .setSeed(1000L + n).setSteps(steps).setCreatedAtMs(Instant.now()).build();
    send(Kind.PROMPT, topics.prompts(), id,
        serdes.serde(GenerationRequest.class).serializer().serialize(topics.prompts(), request));
    return id;
  }

  private void send(Kind kind, String topic, String id, byte[] value) {
    long now = System.nanoTime();
    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value), (metadata, error) -> {
      if (error != null) {
        failedSends.incrementAndGet();
      } else {
        sent.put(id, new Sent(kind, metadata.partition(), now));
      }
    });
  }

  /** Where {@code id} went, or null before its acknowledgement. */
  Sent sent(String id) {
    return sent.get(id);
  }

  int acknowledged() {
    return sent.size();
  }

  int failedSends() {
    return failedSends.get();
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }

  /** A steady stream of sends on its own thread until stopped. */
  static final class Steady implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    /** Calls {@code send} every {@code 1 / perSecond} s (catching up after a slow moment). */
    Steady(String name, double perSecond, Runnable send) {
      long interval = Math.round(1e9 / perSecond);
      thread = new Thread(() -> {
        long next = System.nanoTime();
        while (!stop) {
          long now = System.nanoTime();
          if (now < next) {
            LockSupport.parkNanos(next - now);
            continue;
          }
          send.run();
          next += interval;
        }
      }, name);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join();
    }
  }
}
