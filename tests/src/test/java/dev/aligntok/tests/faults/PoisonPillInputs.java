package dev.aligntok.tests.faults;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Every kind of poison pill the issue names, on the raw input topics, each between valid images and
 * generation requests (and valid inputs last), so the stream must go on after every one. A pill's
 * key is its name, which is also its event id where it has one; the duplicate request's is the id of
 * the valid request it repeats.
 */
final class PoisonPillInputs {
  /** PoisonPillTest starts the service with this image byte limit, so an over-limit image still fits a Kafka record. */
  static final int MAX_ENCODED_BYTES = 64 * 1024;
  /** Kafka's default producer and broker record limit: inputs written by other clients may come this close. */
  static final int MAX_PRODUCER_REQUEST_BYTES = 1_048_576;
  static final String OUTSIDE_URI = "file:///etc/aligntok-not-an-allowed-root/secret.png";

  /**
   * One record sent.
   *
   * @param stage the stage its dead letter must name; null for a valid input, and for a pill whose
   *     stage is not pinned (a URI image)
   * @param mustMention text its dead letter's error message must contain (null: anything)
   */
  record Input(String topic, String key, byte[] value, boolean pill, FailureStage stage, String mustMention) {}

  final List<Input> inputs = new ArrayList<>();
  final List<String> validImageIds = new ArrayList<>();
  final Map<String, Integer> validRequestCounts = new LinkedHashMap<>();
  private final Map<Input, Long> offsets = new LinkedHashMap<>();
  private final TopicNames topics;
  private final EventSerdes serdes;
  private final SplittableRandom random = new SplittableRandom(20261129);

  /**
   * @param allowedRoot the one directory the service may read URI images from
   * @param besideRoot  a readable PNG next to (not inside) {@code allowedRoot}, reached from it by {@code ..}
   * @param maxEncodedBytes the service's image byte limit; one pill is a little larger
   */
  PoisonPillInputs(TopicNames topics, EventSerdes serdes, List<String> classNames, Path allowedRoot,
                   Path besideRoot, int maxEncodedBytes) {
    this.topics = topics;
    this.serdes = serdes;
    byte[] png = InputEvents.noisePng(32, 32, random);
    String escapingUri = allowedRoot.toUri() + "../" + besideRoot.getFileName();
    List<Runnable> pills = List.of(
        () -> imagePill("corrupt-png", Arrays.copyOf(png, png.length / 2), FailureStage.DECODE),
        () -> imagePill("not-an-image", "plain text, no image here".getBytes(StandardCharsets.UTF_8),
            FailureStage.DECODE),
        () -> rawPill(topics.images(), "wrong-magic-image", withFirstByte(image("wrong-magic-image", png), 0x01)),
        () -> rawPill(topics.images(), "unknown-schema-id",
            withSchemaId(image("unknown-schema-id", png), Integer.MAX_VALUE - 7)),
        () -> imagePill("over-byte-limit", InputEvents.noisePng(overLimitSide(maxEncodedBytes), overLimitSide(maxEncodedBytes),
            random), FailureStage.DECODE),
        () -> imagePill("enormous-header", PngHeaders.claimingDimensions(png, 1_000_000, 1_000_000),
            FailureStage.DECODE),
        () -> imagePill("zero-by-zero", PngHeaders.claimingDimensions(png, 0, 0), FailureStage.DECODE),
        () -> imagePill("webp-canvas-16383", HostileImages.webpClaimingCanvas(16383, 16383), FailureStage.DECODE),
        () -> imagePill("webp-animated", HostileImages.webp("animated"), FailureStage.DECODE),
        () -> imagePill("gif-screen-65535", HostileImages.gifClaimingScreen(InputEvents.noiseImage(8, 8, random),
            65535, 65535), FailureStage.DECODE),
        () -> imagePill("bmp-width-2147483647", HostileImages.bmpClaimingWidth(InputEvents.noiseImage(8, 8, random),
            Integer.MAX_VALUE), FailureStage.DECODE),
        () -> uriPill("uri-outside-roots", OUTSIDE_URI),
        () -> uriPill("uri-escaping-root", escapingUri),
        () -> requestPill(request("steps-zero", classNames.get(0)).setSteps(0), "steps 0 "),
        () -> requestPill(request("steps-million", classNames.get(0)).setSteps(1_000_000), "steps 1000000 "),
        () -> requestPill(request("cfg-nan", classNames.get(0)).setCfgScale(Float.NaN), "cfgScale NaN"),
        () -> requestPill(request("cfg-negative", classNames.get(0)).setCfgScale(-1f), "cfgScale -1.0"),
        () -> requestPill(request("count-negative", classNames.get(0)).setCount(-1), "count -1 "),
        () -> requestPill(request("count-huge", classNames.get(0)).setCount(1_000_000), "count 1000000 "),
        // Invalid on every bundle: a text bundle takes any prompt within the length limit (an unknown
        // class name is free text there), so the pill is the length, not the vocabulary.
        () -> requestPill(request("prompt-too-long", "a".repeat(GenerationLimits.DEFAULT_MAX_PROMPT_LENGTH + 1)),
            "prompt of 1,001 characters exceeds the limit of 1,000"),
        () -> rawPill(topics.prompts(), "wrong-magic-request",
            withFirstByte(InputEvents.serialize(serdes, topics.prompts(), request("wrong-magic-request",
                classNames.get(0)).build()), 0x01)),
        () -> duplicatePill("gen-0", classNames.get(1)));
    for (int i = 0; i < pills.size(); i++) {
      validImage("img-" + i);
      if (i % 4 == 0) {
        validRequest("gen-" + i, classNames.get(i % classNames.size()), 1 + i % 2);
      }
      pills.get(i).run();
    }
    // One valid image of each further format, decoded through the service's real classpath (the
    // WebP reader is an ImageIO plugin found by its service file).
    addValidImage("img-webp-lossless", HostileImages.webp("lossless"));
    addValidImage("img-webp-alpha", HostileImages.webp("lossy-alpha"));
    addValidImage("img-gif", HostileImages.encoded(InputEvents.noiseImage(20, 20, random), "gif"));
    addValidImage("img-bmp", HostileImages.encoded(InputEvents.noiseImage(20, 20, random), "bmp"));
    validImage("img-last");
    validRequest("gen-last", classNames.get(1), 2);
  }

  /** A noise PNG side whose encoding (3 incompressible bytes a pixel) is larger than {@code maxEncodedBytes}. */
  private static int overLimitSide(int maxEncodedBytes) {
    return (int) Math.sqrt(maxEncodedBytes / 3.0) + 16;
  }

  /** Adds a valid image event that must come out as one latent. */
  void addValidImage(String id, byte[] imageBytes) {
    validImageIds.add(id);
    add(new Input(topics.images(), id, image(id, imageBytes), false, null, null));
  }

  /** Adds a valid request that must end SUCCEEDED with {@code count} images. */
  void addValidRequest(String id, String className, int count) {
    validRequest(id, className, count);
  }

  /** Adds an input (already serialized) that must end as exactly one dead letter at {@code stage}. */
  void addPill(String topic, String key, byte[] value, FailureStage stage, String mustMention) {
    add(new Input(topic, key, value, true, stage, mustMention));
  }

  /** Sends every input in order (acks=all) and records its offset. */
  void produce(RealStack stack) throws ExecutionException, InterruptedException {
    Map<String, Object> props = stack.producerProps();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_PRODUCER_REQUEST_BYTES); // a hostile input may be near it
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Input input : inputs) {
        offsets.put(input, producer.send(InputEvents.record(input.topic(), input.key(), input.value())).get().offset());
      }
    }
  }

  long offsetOf(Input input) {
    return offsets.get(input);
  }

  List<Input> pills() {
    return inputs.stream().filter(Input::pill).toList();
  }

  List<Input> on(String topic) {
    return inputs.stream().filter(input -> input.topic().equals(topic)).toList();
  }

  int validImageTotal() {
    return validRequestCounts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private void validImage(String id) {
    validImageIds.add(id);
    add(new Input(topics.images(), id, image(id, InputEvents.noisePng(24, 24, random)), false, null, null));
  }

  private void validRequest(String id, String className, int count) {
    validRequestCounts.put(id, count);
    add(new Input(topics.prompts(), id, InputEvents.serialize(serdes, topics.prompts(),
        request(id, className).setCount(count).build()), false, null, null));
  }

  private void imagePill(String id, byte[] imageBytes, FailureStage stage) {
    add(new Input(topics.images(), id, image(id, imageBytes), true, stage, id));
  }

  /** @param mustMention the rule broken, as the validator names it */
  private void requestPill(GenerationRequest.Builder request, String mustMention) {
    String id = request.getId();
    add(new Input(topics.prompts(), id, InputEvents.serialize(serdes, topics.prompts(), request.build()), true,
        FailureStage.VALIDATE, mustMention));
  }

  /**
   * A second request under the id of a valid one sent earlier (a client retry): dead-lettered, and
   * the first request's outcome stands.
   */
  private void duplicatePill(String validId, String className) {
    if (!validRequestCounts.containsKey(validId)) {
      throw new IllegalStateException(validId + " must be sent before its duplicate");
    }
    add(new Input(topics.prompts(), validId, InputEvents.serialize(serdes, topics.prompts(),
        request(validId, className).build()), true, FailureStage.VALIDATE, "already accepted"));
  }

  /** The stage is not pinned (reading URIs through a blob store may move it); the URI must be named. */
  private void uriPill(String id, String uri) {
    add(new Input(topics.images(), id, InputEvents.serialize(serdes, topics.images(),
        ImageEvent.newBuilder().setId(id).setUri(uri).build()), true, null, uri));
  }

  private void rawPill(String topic, String key, byte[] value) {
    add(new Input(topic, key, value, true, FailureStage.DESERIALIZE, null));
  }

  private void add(Input input) {
    inputs.add(input);
  }

  byte[] image(String id, byte[] imageBytes) {
    return InputEvents.serialize(serdes, topics.images(),
        ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(imageBytes)).build());
  }

  static GenerationRequest.Builder request(String id, String prompt) {
    return GenerationRequest.newBuilder().setId(id).setPrompt(prompt).setSeed(7L).setSteps(2);
  }

  private static byte[] withFirstByte(byte[] framed, int magic) {
    byte[] edited = framed.clone();
    edited[0] = (byte) magic;
    return edited;
  }

  /** The Confluent header's schema id (bytes 1–4) replaced by one the registry never issued. */
  private static byte[] withSchemaId(byte[] framed, int schemaId) {
    byte[] edited = framed.clone();
    ByteBuffer.wrap(edited, 1, 4).putInt(schemaId);
    return edited;
  }
}
