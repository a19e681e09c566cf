package dev.aligntok.tests.faults;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Edits a PNG's header (IHDR) the way a hostile producer would: the pixels stay those of the real
 * image, but the header claims other dimensions. The chunk's CRC is recomputed, so the header itself
 * is well-formed and only its numbers are absurd.
 */
final class PngHeaders {
  private static final int WIDTH_OFFSET = 16;   // 8-byte signature, 4-byte length, "IHDR"
  private static final int HEADER_TYPE_OFFSET = 12;
  private static final int HEADER_DATA_LENGTH = 13;

  private PngHeaders() {}

  static byte[] claimingDimensions(byte[] png, int width, int height) {
    byte[] edited = Arrays.copyOf(png, png.length);
    ByteBuffer buffer = ByteBuffer.wrap(edited); // big-endian, as PNG
    if (buffer.getInt(HEADER_TYPE_OFFSET) != 0x49484452) {
      throw new IllegalArgumentException("not a PNG starting with IHDR");
    }
    buffer.putInt(WIDTH_OFFSET, width);
    buffer.putInt(WIDTH_OFFSET + 4, height);
    CRC32 crc = new CRC32();
    crc.update(edited, HEADER_TYPE_OFFSET, 4 + HEADER_DATA_LENGTH);
    buffer.putInt(HEADER_TYPE_OFFSET + 4 + HEADER_DATA_LENGTH, (int) crc.getValue());
    return edited;
  }
}
