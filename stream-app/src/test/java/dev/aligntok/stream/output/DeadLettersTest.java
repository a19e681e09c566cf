package dev.aligntok.stream.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.blob.FileBlobStore;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters stay far below the producer's 1 MiB limit whatever the input, and say what they left out. */
class DeadLettersTest {
  private static final int PRODUCER_LIMIT = 1_048_576;
  private static final String TOPIC = "aligntok.dlq";

  private final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistry(), AvroSerdeConfig.DEFAULT);
  private final Serde<DeadLetter> serde = serdes.serde(DeadLetter.class);

  @TempDir Path tmp;

  private DeadLetters deadLetters(Optional<FileBlobStore> blobs) {
    return new DeadLetters(TOPIC, serde.serializer(), DeadLetterLimits.DEFAULT, blobs.map(b -> b));
  }

  /** A 600 KB prompt, a 2 MB key, 300 headers of 8 KB, and an error message that repeats the prompt. */
  @Test
  void aHostileInputGivesADeadLetterFarBelowTheProducerLimit() {
    String prompt = "p".repeat(600_000);
    byte[] value = serdes.serde(GenerationRequest.class).serializer().serialize("aligntok.prompts",
        GenerationRequest.newBuilder().setId("big").setPrompt(prompt).build());
    byte[] key = new byte[2_000_000];
    Arrays.fill(key, (byte) 'k');
    Map<String, byte[]> headers = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      headers.put(String.format("h%03d", i), new byte[8_192]);
    }
    InputRecord input = new InputRecord("aligntok.prompts", 3, 17L, 0L, key, value, headers);
    RuntimeException error = new InvalidInputException("unknown prompt '" + prompt + "'");

    DeadLetters letters = deadLetters(Optional.empty());
    DeadLetter letter = letters.letter(input, new String(key, StandardCharsets.UTF_8), FailureStage.VALIDATE, error,
        1_000L, "app");
    OutputRecord encoded = letters.encode(letter);

    assertTrue(encoded.value().length < DeadLetterLimits.DEFAULT.maxSerializedBytes(), "size " + encoded.value().length);
    assertTrue(encoded.value().length < PRODUCER_LIMIT / 8, "size " + encoded.value().length);
    assertTrue(DeadLetters.recordKey(input).length() <= BoundedText.MAX_CHARS + 64, "the DLQ record's own key is cut too");
    DeadLetter back = serde.deserializer().deserialize(TOPIC, encoded.value());
    assertArrayEquals(Arrays.copyOf(value, 65_536), bytes(back.getValue()), "the value's first bytes");
    assertTrue(back.getValueTruncated());
    assertEquals(value.length, back.getValueSize());
    assertEquals(Sha256.of(value), back.getValueSha256());
    assertNull(back.getValueUri(), "no blob store");
    assertArrayEquals(Arrays.copyOf(key, 4_096), bytes(back.getKey()));
    assertTrue(back.getKeyTruncated());
    assertEquals(2_000_000L, back.getKeySize());
    int kept = back.getHeaders().size();
    assertEquals(16_384 / (4 + 8_192 + DeadLetterLimits.HEADER_ENTRY_BYTES), kept);
    assertTrue(back.getHeaders().containsKey("h000"), "headers are kept by name, first ones first");
    assertEquals(300 - kept, back.getDroppedHeaders());
    assertEquals((300L - kept) * (4 + 8_192), back.getDroppedHeaderBytes());
    assertTrue(back.getErrorMessage().length() < BoundedText.MAX_CHARS + 64, "message cut");
    assertTrue(back.getErrorMessage().endsWith("more characters cut]"), back.getErrorMessage().substring(990));
    assertTrue(back.getRecordId().length() < BoundedText.MAX_CHARS + 64, "record id cut");
  }

  @Test
  void aNormalInputIsCarriedWholeAndUnmarked() throws Exception {
    byte[] value = "a small payload".getBytes(StandardCharsets.UTF_8);
    InputRecord input = new InputRecord("aligntok.images", 0, 5L, 0L, "id-1".getBytes(StandardCharsets.UTF_8), value,
        Map.of("trace", new byte[] {1, 2}));
    FileBlobStore blobs = new FileBlobStore(List.of(), Files.createDirectories(tmp.resolve("out")));

    DeadLetter back = serde.deserializer().deserialize(TOPIC, deadLetters(Optional.of(blobs)).encode(
        deadLetters(Optional.of(blobs)).letter(input, "id-1", FailureStage.DECODE, new IllegalStateException("bad"),
            0L, "app")).value());

    assertArrayEquals(value, bytes(back.getValue()));
    assertFalse(back.getValueTruncated());
    assertEquals(value.length, back.getValueSize());
    assertNull(back.getValueUri(), "a whole value needs no blob");
    assertArrayEquals("id-1".getBytes(StandardCharsets.UTF_8), bytes(back.getKey()));
    assertFalse(back.getKeyTruncated());
    assertArrayEquals(new byte[] {1, 2}, bytes(back.getHeaders().get("trace")));
    assertEquals(0, back.getDroppedHeaders());
    assertEquals("bad", back.getErrorMessage());
    try (var files = Files.list(tmp.resolve("out"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aCutValueIsStoredWholeInTheBlobStoreUnderItsHash() throws Exception {
    byte[] value = new byte[200_000];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31);
    }
    Path out = Files.createDirectories(tmp.resolve("out"));
    FileBlobStore blobs = new FileBlobStore(List.of(), out);
    InputRecord input = new InputRecord("aligntok.images", 0, 5L, 0L, null, value, Map.of());

    DeadLetter letter = deadLetters(Optional.of(blobs)).letter(input, null, FailureStage.DECODE,
        new IllegalStateException("bad"), 0L, "app");

    assertTrue(letter.getValueTruncated());
    assertEquals(Path.of(URI.create(letter.getValueUri())), out.resolve("dead-letters/" + Sha256.of(value) + ".bin"));
    assertArrayEquals(value, blobs.read(URI.create(letter.getValueUri()), value.length));
    assertNull(letter.getKey());
    assertNull(letter.getKeySize());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
