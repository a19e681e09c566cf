package dev.aligntok.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PayloadDecodeExceptionTest {
  @Test
  void aLongDetailIsCutAndTheCutSurvivesLocating() {
    String schemaDump = "{\"type\":\"record\"}".repeat(10_000);
    PayloadDecodeException e = new PayloadDecodeException(PayloadDecodeException.Reason.INCOMPATIBLE_SCHEMA,
        RecordSource.topic("t"), 7, schemaDump, null);
    assertEquals(schemaDump.substring(0, PayloadDecodeException.MAX_DETAIL_LENGTH) + "... (170000 characters)",
        e.detail());
    assertTrue(e.getMessage().length() < 600, e.getMessage());
    PayloadDecodeException located = e.at(2, 9L);
    assertEquals(e.detail(), located.detail());
    assertEquals("cannot deserialize record from topic t partition 2 offset 9 (schema id 7): " + e.detail(),
        located.getMessage());
  }

  @Test
  void aShortDetailIsKeptWhole() {
    PayloadDecodeException e = new PayloadDecodeException(PayloadDecodeException.Reason.TRUNCATED,
        RecordSource.topic("t"), null, "ended early", null);
    assertEquals("cannot deserialize record from topic t: ended early", e.getMessage());
  }
}
