package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.LittleEndian.u16;
import static dev.aligntok.inference.image.LittleEndian.u24;
import static dev.aligntok.inference.image.LittleEndian.u32;

import dev.aligntok.inference.image.ImageDecodeException.Reason;

/**
 * Reads a WebP's RIFF container and the size its bitstream claims — the VP8 key-frame header
 * (lossy), the VP8L header (lossless) or the VP8X canvas and its image chunk (extended) — and checks
 * them against the limits before any reader sees the bytes: a canvas of 16384 × 16384 costs a few
 * bytes to claim. Animated WebP is refused (only GIF has a first-frame rule), and so is a file whose
 * RIFF size or chunk sizes run past its end.
 */
final class WebpHeader {
  private static final int VP8X_ANIMATION = 0x02;

  private WebpHeader() {}

  static void check(byte[] webp, ImageLimits limits, String source) {
    if (webp.length < 20) {
      throw corrupt(source, "a " + webp.length + "-byte WebP is too short for its RIFF header and a chunk");
    }
    long riffBytes = u32(webp, 4);
    if (riffBytes + 8 > webp.length) {
      throw corrupt(source, "its RIFF header says " + (riffBytes + 8) + " bytes, the file has " + webp.length
          + " (truncated)");
    }
    int end = (int) riffBytes + 8;
    Chunk first = Chunk.at(webp, 12, end, source);
    switch (first.type) {
      case "VP8 ", "VP8L" -> {
        int[] size = bitstreamSize(webp, first, source);
        ClaimedSize.check(limits, source, "WebP " + first.type.trim() + " header", size[0], size[1]);
      }
      case "VP8X" -> checkExtended(webp, first, end, limits, source);
      default -> throw corrupt(source, "its first chunk is '" + first.type + "', not VP8, VP8L or VP8X");
    }
  }

  private static void checkExtended(byte[] webp, Chunk vp8x, int end, ImageLimits limits, String source) {
    if (vp8x.size < 10) {
      throw corrupt(source, "its VP8X chunk has " + vp8x.size + " bytes, 10 are needed");
    }
    if ((webp[vp8x.data] & VP8X_ANIMATION) != 0) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source,
          "animated WebP is not accepted; send a still image (a GIF's first frame is taken)");
    }
    long width = u24(webp, vp8x.data + 4) + 1L;
    long height = u24(webp, vp8x.data + 7) + 1L;
    ClaimedSize.check(limits, source, "WebP VP8X canvas", width, height);
    // The image chunk follows any ICCP / ALPH / metadata chunks; every size is checked on the way.
    for (int at = vp8x.next(); at < end; ) {
      Chunk chunk = Chunk.at(webp, at, end, source);
      if (chunk.type.equals("VP8 ") || chunk.type.equals("VP8L")) {
        int[] size = bitstreamSize(webp, chunk, source);
        if (size[0] != width || size[1] != height) {
          throw corrupt(source, "its VP8X canvas is " + width + "x" + height + " but its " + chunk.type.trim()
              + " image is " + size[0] + "x" + size[1]);
        }
        return;
      }
      at = chunk.next();
    }
    throw corrupt(source, "its VP8X container has no VP8 or VP8L image chunk");
  }

  /** Width and height the bitstream's own header claims. */
  private static int[] bitstreamSize(byte[] webp, Chunk chunk, String source) {
    int at = chunk.data;
    if (chunk.type.equals("VP8L")) {
      if (chunk.size < 5 || webp[at] != 0x2f) {
        throw corrupt(source, "its VP8L chunk lacks the 0x2f signature and size fields");
      }
      long bits = u32(webp, at + 1);
      if (bits >>> 29 != 0) {
        throw corrupt(source, "its VP8L version is " + (bits >>> 29) + ", only 0 exists");
      }
      return new int[] {(int) (bits & 0x3fff) + 1, (int) (bits >>> 14 & 0x3fff) + 1};
    }
    if (chunk.size < 10) {
      throw corrupt(source, "its VP8 chunk of " + chunk.size + " bytes is too short for a frame header");
    }
    int tag = u24(webp, at);
    if ((tag & 1) != 0) {
      throw corrupt(source, "its VP8 frame is not a key frame");
    }
    int firstPartition = tag >>> 5;
    if (firstPartition > chunk.size - 10) {
      throw corrupt(source, "its VP8 first partition of " + firstPartition + " bytes runs past the "
          + chunk.size + "-byte chunk");
    }
    if ((webp[at + 3] & 0xff) != 0x9d || (webp[at + 4] & 0xff) != 0x01 || (webp[at + 5] & 0xff) != 0x2a) {
      throw corrupt(source, "its VP8 key frame lacks the 9d 01 2a start code");
    }
    return new int[] {u16(webp, at + 6) & 0x3fff, u16(webp, at + 8) & 0x3fff};
  }

  private static ImageDecodeException corrupt(String source, String detail) {
    return new ImageDecodeException(Reason.CORRUPT, source, detail);
  }

  /** One RIFF chunk: its four-character type, where its data starts and how long it is. */
  private record Chunk(String type, int data, int size) {
    static Chunk at(byte[] webp, int at, int end, String source) {
      if (at + 8 > end) {
        throw corrupt(source, "a chunk header at byte " + at + " runs past the end of the RIFF data (" + end + " bytes)");
      }
      StringBuilder type = new StringBuilder(4);
      for (int i = 0; i < 4; i++) {
        int c = webp[at + i] & 0xff;
        type.append(c >= 0x20 && c < 0x7f ? (char) c : '?'); // quoted in messages: printable only
      }
      long size = u32(webp, at + 4);
      if (size > end - at - 8) {
        throw corrupt(source, "its '" + type + "' chunk of " + size + " bytes at byte " + at
            + " runs past the end of the RIFF data (" + (end - at - 8) + " bytes left)");
      }
      return new Chunk(type.toString(), at + 8, (int) size);
    }

    /** Where the next chunk starts (chunks are padded to an even size). */
    int next() {
      return data + size + (size & 1);
    }
  }
}
