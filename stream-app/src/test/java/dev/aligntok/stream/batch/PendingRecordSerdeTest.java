package dev.aligntok.stream.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.stream.records.InputRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PendingRecordSerdeTest {
  private final PendingRecordSerde serde = new PendingRecordSerde();

  private PendingRecord roundTrip(PendingRecord record) {
    return serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", record));
  }

  @Test
  void everyFieldSurvivesIncludingLongTextAndNulls() {
    String longId = "i".repeat(70_000); // beyond DataOutput.writeUTF's 64 KiB
    BatchTraits traits = new BatchTraits(-3, 1234L, 5, "steps=10");
    InputRecord input = new InputRecord("aligntok.prompts", 2, 99L, 77L, null, new byte[] {0, 1, 2},
        Map.of("trace", "t1".getBytes(StandardCharsets.UTF_8)));
    PendingRecord back = roundTrip(new PendingRecord(new QueueEntry(42L, 1000L, longId, traits), input));

    assertEquals(new QueueEntry(42L, 1000L, longId, traits), back.entry());
    assertEquals("aligntok.prompts", back.input().topic());
    assertEquals(2, back.input().partition());
    assertEquals(99L, back.input().offset());
    assertEquals(77L, back.input().timestampMs());
    assertNull(back.input().key());
    assertArrayEquals(new byte[] {0, 1, 2}, back.input().value());
    assertArrayEquals("t1".getBytes(StandardCharsets.UTF_8), back.input().headers().get("trace"));
  }

  @Test
  void theComputedSizeIsExactlyTheWrittenSize() {
    BatchTraits traits = new BatchTraits(1, 5L, 2, "s\u00e9ttings \u4e2d \ud83d\ude00 \ud800 broken");
    InputRecord withEverything = new InputRecord("aligntok.prompts", 0, 1L, 2L, "k\u00e9y".getBytes(StandardCharsets.UTF_8),
        new byte[12_345], Map.of("h\u00e9", new byte[7], "empty", new byte[0]));
    InputRecord withNothing = new InputRecord(null, -1, -1L, 0L, null, null, Map.of());
    for (InputRecord input : new InputRecord[] {withEverything, withNothing}) {
      PendingRecord record = new PendingRecord(new QueueEntry(3L, 4L, "id \ud83d\ude00", traits), input);
      assertEquals(PendingRecordSerde.write(record).length, PendingRecordSerde.serializedSize(record));
    }
  }

  @Test
  void anUnknownLayoutVersionIsRefusedWithAClearMessage() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> serde.deserializer().deserialize("changelog", new byte[] {9, 0, 0}));
    assertTrue(e.getMessage().contains("layout version 9"), e.getMessage());
  }
}
