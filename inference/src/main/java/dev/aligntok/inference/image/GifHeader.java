package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.LittleEndian.u16;
import static dev.aligntok.inference.image.LittleEndian.u8;

import dev.aligntok.inference.image.ImageDecodeException.Reason;

/**
 * Walks a GIF up to its first image — logical screen, colour table, extensions, the first image
 * descriptor and that frame's LZW data — and checks the claimed sizes against the limits before
 * the reader is called. Only the first frame is ever decoded, so later frames (a million of them,
 * each cheap to send) are never looked at. The first frame's data must be complete and long enough
 * that LZW could expand it to the claimed pixels: a small file cannot stand for a large frame.
 */
final class GifHeader {
  private static final int EXTENSION = 0x21;
  private static final int IMAGE_DESCRIPTOR = 0x2c;
  private static final int TRAILER = 0x3b;
  /**
   * Pixels one byte of LZW data can produce, at most: a code is at least 3 bits and emits a string
   * of at most 4096 pixels (the code table's size).
   */
  private static final long MAX_PIXELS_PER_BYTE = 8 * 4096 / 3 + 1;

  private GifHeader() {}

  static void check(byte[] gif, ImageLimits limits, String source) {
    if (gif.length < 13) {
      throw corrupt(source, "a " + gif.length + "-byte GIF is too short for its 13-byte header");
    }
    int screenWidth = u16(gif, 6);
    int screenHeight = u16(gif, 8);
    if (screenWidth > 0 && screenHeight > 0) { // some encoders write 0x0; the frame's own size is what decodes
      ClaimedSize.check(limits, source, "GIF logical screen", screenWidth, screenHeight);
    }
    int at = 13 + colourTableBytes(u8(gif, 10));
    while (true) {
      if (at >= gif.length) {
        throw corrupt(source, "the GIF ends at byte " + gif.length + " before its first image");
      }
      int block = u8(gif, at);
      if (block == EXTENSION) {
        at = skipSubBlocks(gif, at + 2, source, "an extension");
      } else if (block == IMAGE_DESCRIPTOR) {
        checkFirstFrame(gif, at, limits, source);
        return;
      } else if (block == TRAILER) {
        throw corrupt(source, "the GIF has no image before its trailer");
      } else {
        throw corrupt(source, "unknown GIF block 0x" + Integer.toHexString(block) + " at byte " + at);
      }
    }
  }

  private static void checkFirstFrame(byte[] gif, int descriptor, ImageLimits limits, String source) {
    if (descriptor + 10 > gif.length) {
      throw corrupt(source, "the first GIF image descriptor is cut off");
    }
    int width = u16(gif, descriptor + 5);
    int height = u16(gif, descriptor + 7);
    ClaimedSize.check(limits, source, "first GIF frame", width, height);
    int at = descriptor + 10 + colourTableBytes(u8(gif, descriptor + 9));
    if (at >= gif.length) {
      throw corrupt(source, "the first GIF frame has no image data");
    }
    int minimumCodeSize = u8(gif, at);
    if (minimumCodeSize < 1 || minimumCodeSize > 11) {
      throw corrupt(source, "the first GIF frame's LZW code size is " + minimumCodeSize);
    }
    int start = at + 1;
    int end = skipSubBlocks(gif, start, source, "the first frame's image data");
    long dataBytes = end - start;
    if (dataBytes * MAX_PIXELS_PER_BYTE < (long) width * height) {
      throw corrupt(source, "the first GIF frame's " + dataBytes + " bytes of LZW data cannot hold the " + width
          + "x" + height + " pixels its descriptor claims");
    }
  }

  /** Bytes of the colour table a packed field announces (its top bit set), else 0. */
  private static int colourTableBytes(int packed) {
    return (packed & 0x80) == 0 ? 0 : 3 << ((packed & 7) + 1);
  }

  /** Where the chain of data sub-blocks from {@code at} ends (after its zero-length terminator). */
  private static int skipSubBlocks(byte[] gif, int at, String source, String what) {
    while (at < gif.length) {
      int length = u8(gif, at);
      at += 1 + length;
      if (length == 0) {
        return at;
      }
    }
    throw corrupt(source, what + " runs past the end of the " + gif.length + "-byte GIF (truncated)");
  }

  private static ImageDecodeException corrupt(String source, String detail) {
    return new ImageDecodeException(Reason.CORRUPT, source, detail);
  }
}
