package dev.aligntok.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  private static final RecordSource SOURCE = RecordSource.of("aligntok.images", 3, 42L);

  @Test
  void headerIsMagicByteThenBigEndianId() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireFormat.writeHeader(out, 0x01020304);
    byte[] bytes = out.toByteArray();
    assertEquals(5, bytes.length);
    assertEquals(0, bytes[0]);
    assertEquals(1, bytes[1]);
    assertEquals(4, bytes[4]);
    assertEquals(0x01020304, WireFormat.readSchemaId(bytes, SOURCE));
  }

  @Test
  void shortPayloadIsTruncatedAndNamesWhere() {
    PayloadDecodeException e = assertThrows(PayloadDecodeException.class,
        () -> WireFormat.readSchemaId(new byte[] {0, 0, 1}, SOURCE));
    assertEquals(PayloadDecodeException.Reason.TRUNCATED, e.reason());
    assertTrue(e.getMessage().contains("topic aligntok.images partition 3 offset 42"), e.getMessage());
  }

  @Test
  void wrongMagicByteSaysSo() {
    PayloadDecodeException e = assertThrows(PayloadDecodeException.class,
        () -> WireFormat.readSchemaId("{\"json\":1}".getBytes(), RecordSource.topic("t")));
    assertEquals(PayloadDecodeException.Reason.WRONG_MAGIC_BYTE, e.reason());
    assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
  }

  @Test
  void positionCanBeAddedLater() {
    PayloadDecodeException e = assertThrows(PayloadDecodeException.class,
        () -> WireFormat.readSchemaId(new byte[0], RecordSource.topic("t")));
    PayloadDecodeException located = e.at(7, 99L);
    assertTrue(located.getMessage().contains("topic t partition 7 offset 99"), located.getMessage());
    assertEquals(e.reason(), located.reason());
  }
}
