package dev.aligntok.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Confluent's framing: magic byte {@code 0x00}, 4-byte big-endian schema id, then Avro binary. */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  static void writeHeader(ByteArrayOutputStream out, int schemaId) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /** Checks the framing and returns the schema id. */
  static int readSchemaId(byte[] data, RecordSource source) {
    if (data.length < HEADER_SIZE) {
      throw new PayloadDecodeException(PayloadDecodeException.Reason.TRUNCATED, source, null,
          "payload is " + data.length + " bytes, shorter than the 5-byte header (magic byte + schema id)", null);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new PayloadDecodeException(PayloadDecodeException.Reason.WRONG_MAGIC_BYTE, source, null,
          String.format("unknown magic byte 0x%02x (expected 0x00: the payload is not Confluent-framed Avro)", data[0] & 0xff), null);
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
