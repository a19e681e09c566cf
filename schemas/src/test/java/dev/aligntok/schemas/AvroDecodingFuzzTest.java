package dev.aligntok.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.events.Sampler;
import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.AvroSerializer;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.schemas.serde.WireFormat;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of Avro decoding: for each of the six value schemas, {@value #PAYLOADS} payloads
 * mutated from valid serialized events go through the real deserializer: first the varint at every
 * offset replaced by huge and negative values (up to half), then random stacks of one to three bit
 * flips, inserted and deleted bytes, truncations, hostile varints, wrong magic bytes and schema ids. Each must end in a record or a {@link PayloadDecodeException} (never another
 * exception, never an OutOfMemoryError), allocating at most {@link #allocationBound} bytes. The seed
 * is fixed, so a failure reproduces; the message names the mutation and the payload.
 */
class AvroDecodingFuzzTest {
  private static final int PAYLOADS = 10_000;
  private static final long SEED = 0x5EED_17L;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private static final MapSchemaRegistry REGISTRY = new MapSchemaRegistry();
  /** Valid payloads per topic; every type's schema is registered, so a swapped id names another event type. */
  private static final Map<EventTopic<?>, List<byte[]>> SEEDS = new LinkedHashMap<>();
  private static int maxSchemaId;

  @BeforeAll
  static void serializeSeeds() {
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(REGISTRY, AvroSerdeConfig.DEFAULT, false);
    Map<EventTopic<?>, List<SpecificRecord>> events = new LinkedHashMap<>();
    events.put(EventTopics.IMAGES, List.of(image(true), image(false)));
    events.put(EventTopics.LATENTS, List.of(latentEvent(true), latentEvent(false)));
    events.put(EventTopics.PROMPTS, List.of(request(true), request(false)));
    events.put(EventTopics.GENERATED, List.of(generated(true), generated(false)));
    events.put(EventTopics.STATUS, List.of(status(true), status(false)));
    events.put(EventTopics.DLQ, List.of(deadLetter(true), deadLetter(false)));
    events.forEach((topic, list) -> SEEDS.put(topic,
        list.stream().map(event -> serializer.serialize(topic.defaultName(), event)).toList()));
    maxSchemaId = REGISTRY.register("any", EventTopics.DLQ.valueSchema());
    assertEquals(6, maxSchemaId, "one id per value schema");
  }

  static List<EventTopic<?>> topics() {
    return EventTopics.ALL;
  }

  /** Generous for any bounded decoder (records are a few hundred bytes), tiny next to a claimed gigabyte. */
  private static long allocationBound(int payloadBytes) {
    return 256 * 1024 + 64L * payloadBytes;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void mutatedPayloadsDecodeOrFailWithTheTypedExceptionInBoundedMemory(EventTopic<?> topic) {
    AvroDeserializer<? extends SpecificRecord> deserializer = AvroDeserializer.specific(topic.valueType(), REGISTRY);
    List<byte[]> seeds = SEEDS.get(topic);
    for (byte[] seed : seeds) {
      assertEquals(topic.valueType(), deserializer.deserialize(topic.defaultName(), seed).getClass());
    }
    warmUp(deserializer, topic, seeds.get(0));
    Random random = new Random(SEED ^ topic.defaultName().hashCode());
    long threadId = Thread.currentThread().getId();
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    long maxAllocated = 0;
    List<byte[]> everyVarint = everyVarintMadeHostile(seeds);
    for (int i = 0; i < PAYLOADS && failures.size() < 5; i++) {
      List<String> steps = new ArrayList<>();
      byte[] payload;
      if (i < everyVarint.size()) {
        steps.add("hostile varint #" + i);
        payload = everyVarint.get(i);
      } else {
        payload = mutate(seeds.get(random.nextInt(seeds.size())), random, steps);
      }
      long before = THREADS.getThreadAllocatedBytes(threadId);
      String outcome;
      try {
        deserializer.deserialize(topic.defaultName(), payload);
        outcome = "decoded";
      } catch (PayloadDecodeException e) {
        outcome = e.reason().name();
        if (e.getMessage().length() > 2_000) {
          failures.add(describe(i, steps, payload, "a message of " + e.getMessage().length() + " characters"));
        }
      } catch (Throwable e) {
        outcome = e.getClass().getSimpleName();
        failures.add(describe(i, steps, payload, e.toString()));
      }
      long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
      maxAllocated = Math.max(maxAllocated, allocated);
      if (allocated > allocationBound(payload.length)) {
        failures.add(describe(i, steps, payload, "allocated " + allocated + " bytes for a payload of " + payload.length));
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    assertTrue(failures.isEmpty(), topic.defaultName() + ": " + String.join("\n", failures));
    // The mutations must reach the decoder, not only the framing checks.
    assertTrue(outcomes.getOrDefault("MALFORMED_PAYLOAD", 0) + outcomes.getOrDefault("TRUNCATED", 0) > PAYLOADS / 4,
        outcomes.toString());
    System.out.printf("%s: %s, at most %,d bytes allocated per payload%n", topic.defaultName(), outcomes, maxAllocated);
  }

  /** Builds the readers of every schema id once, so their one-off cost is not counted against a payload. */
  private static void warmUp(AvroDeserializer<?> deserializer, EventTopic<?> topic, byte[] seed) {
    for (int id = 0; id <= maxSchemaId + 1; id++) {
      try {
        deserializer.deserialize(topic.defaultName(), withSchemaId(seed, id));
      } catch (PayloadDecodeException expected) {
        // an unknown or incompatible id, or another type's body
      }
    }
  }

  /**
   * Each seed with the varint at every body offset replaced by every hostile value, so every length,
   * count and union index of every field is claimed huge or negative at least once.
   */
  private static List<byte[]> everyVarintMadeHostile(List<byte[]> seeds) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] seed : seeds) {
      for (int at = WireFormat.HEADER_SIZE; at < seed.length; at++) {
        for (long value : HOSTILE_VALUES) {
          out.add(splice(seed, at, varintLength(seed, at), zigZagVarint(value)));
        }
      }
    }
    return out.subList(0, Math.min(out.size(), PAYLOADS / 2));
  }

  private static byte[] mutate(byte[] seed, Random random, List<String> steps) {
    byte[] data = seed.clone();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      data = mutateOnce(data, random, steps);
    }
    return data;
  }

  private static byte[] mutateOnce(byte[] data, Random random, List<String> steps) {
    int kind = random.nextInt(100);
    if (data.length == 0) {
      steps.add("insert into empty");
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(data.length);
    if (kind < 25) {
      int bit = random.nextInt(8);
      steps.add("flip bit " + bit + " at " + at);
      data[at] ^= (byte) (1 << bit);
      return data;
    }
    if (kind < 35) {
      int count = 1 + random.nextInt(4);
      byte[] inserted = new byte[count];
      random.nextBytes(inserted);
      steps.add("insert " + HexFormat.of().formatHex(inserted) + " at " + at);
      return splice(data, at, 0, inserted);
    }
    if (kind < 45) {
      int count = Math.min(1 + random.nextInt(4), data.length - at);
      steps.add("delete " + count + " at " + at);
      return splice(data, at, count, new byte[0]);
    }
    if (kind < 55) {
      steps.add("truncate to " + at);
      return Arrays.copyOf(data, at);
    }
    if (kind < 85) {
      if (at < WireFormat.HEADER_SIZE) {
        at = Math.min(data.length - 1, WireFormat.HEADER_SIZE + random.nextInt(Math.max(1, data.length - WireFormat.HEADER_SIZE)));
      }
      long value = HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
      int old = varintLength(data, at);
      steps.add("varint at " + at + " (" + old + " bytes) := " + value);
      return splice(data, at, old, zigZagVarint(value));
    }
    if (kind < 92) {
      int magic = 1 + random.nextInt(255);
      steps.add("magic byte := " + magic);
      data[0] = (byte) magic;
      return data;
    }
    int id = random.nextBoolean() ? random.nextInt(maxSchemaId + 2) : random.nextInt();
    steps.add("schema id := " + id);
    return data.length < WireFormat.HEADER_SIZE ? data : withSchemaId(data, id);
  }

  /** Lengths, counts and indexes an attacker would claim: huge, negative, just past the end. */
  private static final long[] HOSTILE_VALUES = {
      -1, -2, -64, -65, Integer.MIN_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 40,
      Long.MAX_VALUE, 0, 1, 7, 200, 65_536, 1 << 30};

  private static byte[] zigZagVarint(long value) {
    long n = (value << 1) ^ (value >> 63);
    byte[] out = new byte[10];
    int length = 0;
    while ((n & ~0x7FL) != 0) {
      out[length++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out[length++] = (byte) n;
    return Arrays.copyOf(out, length);
  }

  /** Bytes of the varint starting at {@code at} (at most 10, at most what is left). */
  private static int varintLength(byte[] data, int at) {
    int length = 1;
    while (at + length - 1 < data.length - 1 && length < 10 && (data[at + length - 1] & 0x80) != 0) {
      length++;
    }
    return length;
  }

  private static byte[] splice(byte[] data, int at, int removed, byte[] inserted) {
    byte[] out = new byte[data.length - removed + inserted.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(data, at + removed, out, at + inserted.length, data.length - at - removed);
    return out;
  }

  private static byte[] withSchemaId(byte[] data, int id) {
    byte[] out = data.clone();
    ByteBuffer.wrap(out, 1, 4).putInt(id);
    return out;
  }

  private static String describe(int index, List<String> steps, byte[] payload, String problem) {
    String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 64));
    return "payload " + index + " " + steps + " -> " + problem + " [" + payload.length + " bytes: " + hex
        + (payload.length > 64 ? "..." : "") + "]";
  }

  // Seed events: every field set (full) or every optional field left null/empty.

  private static ImageEvent image(boolean full) {
    ImageEvent.Builder b = ImageEvent.newBuilder().setId("img-1").setMetadata(full ? Map.of("source", "fuzz", "k", "v") : Map.of());
    if (full) {
      return b.setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})).setContentType("image/png")
          .setLabel("cat").setCreatedAtMs(NOW).build();
    }
    return b.setUri("file:///data/img-1.png").build();
  }

  private static Latent latent() {
    ByteBuffer data = ByteBuffer.allocate(4 * 2 * 2 * 4);
    for (int i = 0; i < 16; i++) {
      data.putFloat(i * 0.25f);
    }
    data.flip();
    return Latent.newBuilder().setShape(List.of(4, 2, 2)).setDtype(LatentDType.F32).setData(data).build();
  }

  private static LatentEvent latentEvent(boolean full) {
    return LatentEvent.newBuilder().setId("img-1").setBundleId("bundle-abc").setLatent(latent())
        .setLabel(full ? "cat" : null).setMetadata(full ? Map.of("source", "fuzz") : Map.of())
        .setTimingsMs(full ? Map.of("decode", 1.5, "encode", 20.0) : Map.of()).setProducedAtMs(NOW).build();
  }

  private static GenerationRequest request(boolean full) {
    GenerationRequest.Builder b = GenerationRequest.newBuilder().setId("req-1").setPrompt("cat face");
    if (full) {
      b.setClassId(3).setSeed(42L).setCount(4).setSteps(20).setCfgScale(4.5f).setCfgInterval(new CfgInterval(0.1f, 0.9f))
          .setSampler(Sampler.HEUN).setPriority(5).setDeadlineMs(NOW.plusSeconds(60)).setReturnLatents(true)
          .setMetadata(Map.of("user", "u1")).setCreatedAtMs(NOW);
    }
    return b.build();
  }

  private static GeneratedImage generated(boolean full) {
    GeneratedImage.Builder b = GeneratedImage.newBuilder().setRequestId("req-1").setIndex(0).setCount(2).setWidth(32)
        .setHeight(32).setSeed(42L).setClassId(3).setSteps(20).setCfgScale(4.5f).setBundleId("bundle-abc")
        .setMetadata(full ? Map.of("user", "u1") : Map.of()).setTimingsMs(full ? Map.of("sample", 100.0) : Map.of())
        .setProducedAtMs(NOW);
    if (full) {
      return b.setPng(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 9, 9})).setClassName("cat face")
          .setLatent(latent()).build();
    }
    return b.setUri("file:///out/req-1-0.png").build();
  }

  private static GenerationStatus status(boolean full) {
    GenerationStatus.Builder b = GenerationStatus.newBuilder().setRequestId("req-1")
        .setState(full ? GenerationState.FAILED : GenerationState.QUEUED).setProgress(full ? 0.5f : 0f)
        .setCompleted(full ? 1 : 0).setTotal(2).setUpdatedAtMs(NOW);
    if (full) {
      b.setError("the model failed").setErrorClass("MODEL_FAILURE").setBundleId("bundle-abc");
    }
    return b.build();
  }

  private static DeadLetter deadLetter(boolean full) {
    DeadLetter.Builder b = DeadLetter.newBuilder().setSourceTopic("aligntok.images").setSourcePartition(3)
        .setSourceOffset(42L).setHeaders(full ? Map.of("h", ByteBuffer.wrap(new byte[] {1, 2})) : Map.of())
        .setStage(FailureStage.DECODE).setErrorClass("java.io.IOException").setErrorMessage("bad png")
        .setFailedAtMs(NOW);
    if (full) {
      b.setKey(ByteBuffer.wrap("img-1".getBytes())).setValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}))
          .setRecordId("img-1").setApplicationId("aligntok-streams");
    }
    return b.build();
  }
}
