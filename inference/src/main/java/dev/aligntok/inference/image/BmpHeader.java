package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.LittleEndian.s32;
import static dev.aligntok.inference.image.LittleEndian.u16;
import static dev.aligntok.inference.image.LittleEndian.u32;

import dev.aligntok.inference.image.ImageDecodeException.Reason;
import java.util.Set;

/**
 * Reads a BMP's file and info headers and checks them before the reader allocates anything from
 * them: the size (a negative height is a top-down image; a negative width or a height of -2^31 is
 * refused), planes, a bit depth BMP defines, a compression the JDK reader decodes (none, bit fields,
 * RLE8, RLE4; an embedded JPEG or PNG is refused: send that file itself), a palette that fits,
 * the pixel data offset, the whole uncompressed pixel array (a 10-byte file cannot stand for a
 * large image), the compressed data size RLE claims, and an embedded colour profile's extent.
 */
final class BmpHeader {
  /** Windows BITMAPCOREHEADER (12), BITMAPINFOHEADER (40), its 52/56-byte extensions, V4 (108), V5 (124). */
  private static final Set<Long> HEADER_SIZES = Set.of(12L, 40L, 52L, 56L, 108L, 124L);
  private static final Set<Integer> BIT_DEPTHS = Set.of(1, 4, 8, 16, 24, 32);
  private static final int FILE_HEADER = 14;
  private static final long BI_RGB = 0;
  private static final long BI_RLE8 = 1;
  private static final long BI_RLE4 = 2;
  private static final long BI_BITFIELDS = 3;
  private static final long BI_JPEG = 4;
  private static final long BI_PNG = 5;
  private static final long PROFILE_LINKED = 0x4C494E4BL; // 'LINK'
  private static final long PROFILE_EMBEDDED = 0x4D424544L; // 'MBED'

  private BmpHeader() {}

  /** Whether the info header's size field (bytes 14–17) is one this class reads; used in sniffing. */
  static boolean knownHeaderSize(byte[] bmp) {
    return bmp.length >= FILE_HEADER + 4 && HEADER_SIZES.contains(u32(bmp, FILE_HEADER));
  }

  static void check(byte[] bmp, ImageLimits limits, String source) {
    if (!knownHeaderSize(bmp)) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source, "BMP info header size is not one of "
          + HEADER_SIZES + " (an OS/2 2.x or unknown variant)");
    }
    int headerSize = (int) u32(bmp, FILE_HEADER);
    if (bmp.length < FILE_HEADER + headerSize) {
      throw corrupt(source, "a " + bmp.length + "-byte BMP is shorter than its " + (FILE_HEADER + headerSize)
          + " bytes of headers");
    }
    int at = FILE_HEADER + 4;
    boolean core = headerSize == 12;
    long width = core ? u16(bmp, at) : s32(bmp, at);
    long signedHeight = core ? u16(bmp, at + 2) : s32(bmp, at + 4);
    int planes = u16(bmp, core ? at + 4 : at + 8);
    int bits = u16(bmp, core ? at + 6 : at + 10);
    long compression = core ? BI_RGB : u32(bmp, at + 12);
    long compressedBytes = core ? 0 : u32(bmp, at + 16);
    long coloursUsed = core ? 0 : u32(bmp, at + 28);
    if (width < 0 || signedHeight == Integer.MIN_VALUE) {
      throw corrupt(source, "BMP header claims " + width + "x" + signedHeight);
    }
    long height = Math.abs(signedHeight); // negative: rows stored top-down
    ClaimedSize.check(limits, source, "BMP header", width, height);
    if (planes != 1) {
      throw corrupt(source, "BMP header claims " + planes + " colour planes, BMP has 1");
    }
    if (!BIT_DEPTHS.contains(bits)) {
      throw corrupt(source, "BMP header claims " + bits + " bits a pixel, BMP has 1, 4, 8, 16, 24 or 32");
    }
    checkCompression(compression, bits, signedHeight < 0, source);
    if (bits <= 8 && coloursUsed > 1L << bits) {
      throw corrupt(source, "BMP header claims " + coloursUsed + " palette colours for " + bits + "-bit pixels");
    }
    long offset = u32(bmp, 10);
    if (offset < FILE_HEADER + headerSize || offset >= bmp.length) {
      throw corrupt(source, "BMP pixel data offset " + offset + " lies outside the " + bmp.length + "-byte file");
    }
    long available = bmp.length - offset;
    if (compression == BI_RLE8 || compression == BI_RLE4) {
      if (compressedBytes > available) {
        throw corrupt(source, "BMP header claims " + compressedBytes + " bytes of RLE data, the file has " + available
            + " after the offset");
      }
    } else {
      long needed = (width * bits + 31) / 32 * 4 * height;
      if (needed > available) {
        throw corrupt(source, "BMP pixel data has " + available + " bytes, its " + width + "x" + height + " " + bits
            + "-bit header needs " + needed + " (truncated, or the header lies)");
      }
    }
    if (headerSize == 124) {
      checkProfile(bmp, source);
    }
  }

  private static void checkCompression(long compression, int bits, boolean topDown, String source) {
    if (compression == BI_JPEG || compression == BI_PNG) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source, "BMP wraps an embedded "
          + (compression == BI_JPEG ? "JPEG" : "PNG") + "; send that image itself");
    }
    boolean valid = compression == BI_RGB
        || compression == BI_RLE8 && bits == 8
        || compression == BI_RLE4 && bits == 4
        || compression == BI_BITFIELDS && (bits == 16 || bits == 32);
    if (!valid) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source, "BMP compression " + compression
          + " with " + bits + "-bit pixels is not read (none, bit fields, RLE8 and RLE4 are)");
    }
    if (topDown && compression != BI_RGB && compression != BI_BITFIELDS) {
      throw corrupt(source, "a compressed (RLE) BMP cannot be stored top-down");
    }
  }

  /** A V5 header's embedded or linked profile must lie inside the file (the reader allocates its size). */
  private static void checkProfile(byte[] bmp, String source) {
    long type = u32(bmp, FILE_HEADER + 56);
    if (type != PROFILE_EMBEDDED && type != PROFILE_LINKED) {
      return;
    }
    long start = FILE_HEADER + u32(bmp, FILE_HEADER + 112);
    long size = u32(bmp, FILE_HEADER + 116);
    if (start + size > bmp.length) {
      throw corrupt(source, "BMP colour profile of " + size + " bytes at byte " + start + " runs past the end of the "
          + bmp.length + "-byte file");
    }
  }

  private static ImageDecodeException corrupt(String source, String detail) {
    return new ImageDecodeException(Reason.CORRUPT, source, detail);
  }
}
