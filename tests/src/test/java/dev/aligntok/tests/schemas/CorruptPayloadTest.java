package dev.aligntok.tests.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.schemas.EventTopics;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.RetryPolicy;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.schemas.serde.PayloadDecodeException.Reason;
import dev.aligntok.schemas.serde.RecordSource;
import dev.aligntok.tests.harness.FreePorts;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad payload raises a clear, typed error naming where it came from; none is skipped. */
@WithRealStack
class CorruptPayloadTest {
  private static final RecordSource WHERE = RecordSource.of("aligntok.latents", 2, 1234L);
  private static SchemaRegistryClient registry;
  private static AvroDeserializer<LatentEvent> latents;
  private static byte[] valid;
  private static int schemaId;

  @BeforeAll
  static void writeOneValidPayload(RealStack stack) {
    registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
    latents = AvroDeserializer.specific(LatentEvent.class, registry);
    valid = EventTopics.LATENTS.valueSerde(registry, AvroSerdeConfig.DEFAULT).serializer()
        .serialize(WHERE.topic(), SampleEvents.latentEvent(32, 16, 16));
    schemaId = ByteBuffer.wrap(valid, 1, 4).getInt();
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  @Test
  void nullPayloadIsATombstoneNotAnError() {
    assertNull(latents.deserialize(WHERE, null));
  }

  @Test
  void wrongMagicByte() {
    byte[] bytes = valid.clone();
    bytes[0] = 1;
    assertFails(bytes, Reason.WRONG_MAGIC_BYTE, "magic byte 0x01");
    assertFails("plain text, not Avro".getBytes(), Reason.WRONG_MAGIC_BYTE, "not Confluent-framed Avro");
  }

  @Test
  void unknownSchemaId() {
    byte[] bytes = valid.clone();
    ByteBuffer.wrap(bytes, 1, 4).putInt(987_654_321);
    PayloadDecodeException e = assertFails(bytes, Reason.UNKNOWN_SCHEMA_ID, "987654321");
    assertEquals(987_654_321, e.schemaId());
  }

  @Test
  void truncatedPayloads() {
    assertFails(Arrays.copyOf(valid, 3), Reason.TRUNCATED, "shorter than the 5-byte header");
    assertFails(Arrays.copyOf(valid, 5), Reason.TRUNCATED, "ended early");
    assertFails(Arrays.copyOf(valid, valid.length / 2), Reason.TRUNCATED, "ended early");
  }

  @Test
  void trailingBytesAreNotIgnored() {
    byte[] longer = Arrays.copyOf(valid, valid.length + 3);
    assertFails(longer, Reason.MALFORMED_PAYLOAD, "left over");
  }

  @Test
  void garbageBodiesFailEveryTime() {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[5 + random.nextInt(200)];
      random.nextBytes(garbage);
      garbage[0] = 0;
      ByteBuffer.wrap(garbage, 1, 4).putInt(schemaId);
      PayloadDecodeException e = assertThrows(PayloadDecodeException.class, () -> latents.deserialize(WHERE, garbage),
          "garbage #" + i + " decoded");
      assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.MALFORMED_PAYLOAD, e.reason() + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(WHERE.toString()), e.getMessage());
    }
  }

  @Test
  void absurdLengthsFailWithoutAllocatingWhatTheyClaim() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    // id string claims 2^30 bytes; then a payload whose shape array claims 2^30 elements.
    assertFails(framed(zigzagVarint(1L << 30)), Reason.TRUNCATED, "ended early");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "x");
    writeString(body, "b");
    body.writeBytes(zigzagVarint(1L << 30));
    body.writeBytes(zigzagVarint(7));
    assertFails(framed(body.toByteArray()), Reason.TRUNCATED, "ended early");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 64L << 20, "decoding 20-byte payloads allocated " + (allocated >> 20) + " MiB");
  }

  @Test
  void aDifferentRecordTypeIsAnIncompatibleSchema() {
    byte[] image = EventTopics.IMAGES.valueSerde(registry, AvroSerdeConfig.DEFAULT).serializer()
        .serialize("aligntok.images", SampleEvents.image());
    assertFails(image, Reason.INCOMPATIBLE_SCHEMA, "ImageEvent cannot be read as dev.aligntok.events.LatentEvent");
  }

  @Test
  void registryDownIsRetriableNotAPoisonPill() {
    RegistryClientConfig unreachable = RegistryClientConfig.of("http://127.0.0.1:" + FreePorts.freeLoopbackPort() + "/apis/ccompat/v7")
        .withRetry(RetryPolicy.NONE);
    try (SchemaRegistryClient down = CachedSchemaRegistryClient.create(unreachable)) {
      PayloadDecodeException e = assertThrows(PayloadDecodeException.class,
          () -> AvroDeserializer.specific(ImageEvent.class, down).deserialize(WHERE, valid));
      assertEquals(Reason.REGISTRY_UNAVAILABLE, e.reason());
      assertTrue(e.isRetriable());
    }
  }

  private static PayloadDecodeException assertFails(byte[] bytes, Reason reason, String detail) {
    PayloadDecodeException e = assertThrows(PayloadDecodeException.class, () -> latents.deserialize(WHERE, bytes));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("topic aligntok.latents partition 2 offset 1234"), e.getMessage());
    assertTrue(e.getMessage().contains(detail), "expected '" + detail + "' in: " + e.getMessage());
    return e;
  }

  private static byte[] framed(byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(5 + body.length);
    out.put((byte) 0).putInt(schemaId).put(body);
    return out.array();
  }

  private static void writeString(ByteArrayOutputStream out, String text) {
    out.writeBytes(zigzagVarint(text.length()));
    out.writeBytes(text.getBytes());
  }

  /** Avro's long encoding: zig-zag, then base-128 varint. */
  private static byte[] zigzagVarint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }
}
