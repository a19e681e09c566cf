package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.FormatFixtures.withLittleEndian;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hand-made hostile WebP, GIF and BMP inputs for {@link ImageDecoderFuzzTest} at the default limits,
 * and the format-aware mutations of their header and size fields.
 */
final class OtherFormatBombs {
  private OtherFormatBombs() {}

  /** Name → bytes; names start with the format ("WebP", "GIF", "BMP", "BMP RLE"). */
  static Map<String, byte[]> all() {
    Map<String, byte[]> bombs = new LinkedHashMap<>();
    byte[] extended = FormatFixtures.webp("lossy-alpha");
    bombs.put("WebP VP8X canvas 16383x16383", canvas(extended, 16383, 16383));
    bombs.put("WebP VP8X canvas 8000x4000 over a 16x12 image", canvas(extended, 8000, 4000));
    bombs.put("WebP VP8L claiming 8192x4882 over 100 bytes",
        withLittleEndian(FormatFixtures.webp("lossless"), 21, 4, (8192 - 1) | (4882 - 1) << 14));
    bombs.put("WebP VP8 claiming 8000x4000 over 200 bytes",
        withLittleEndian(FormatFixtures.webp("lossy"), 26, 4, 8000 | 4000 << 16));
    bombs.put("WebP RIFF size 2^32-1", withLittleEndian(FormatFixtures.webp("lossy"), 4, 4, 0xffff_ffffL));
    bombs.put("WebP chunk size 2^31", withLittleEndian(FormatFixtures.webp("lossless"), 16, 4, 1L << 31));
    bombs.put("GIF screen 65535x65535", FormatFixtures.onePixelFrames(65535, 65535, 1));
    bombs.put("GIF 1x1 with a million frames", FormatFixtures.onePixelFrames(1, 1, 1_000_000));
    bombs.put("GIF 8192x4882 frame over 15 KB of LZW", bigGifFrame(8192, 4882, 15_000));
    bombs.put("GIF 8192x4882 frame over 1 KB of LZW", bigGifFrame(8192, 4882, 1_000));
    byte[] bmp = TestImages.encode(TestImages.noise(7, 5, 3), "bmp");
    bombs.put("BMP width 2^31-1", withLittleEndian(bmp, 18, 4, Integer.MAX_VALUE));
    bombs.put("BMP 8192x4882 24-bit header over 100 bytes", size(bmp, 8192, 4882));
    bombs.put("BMP top-down 8192x-4882 header", size(bmp, 8192, -4882));
    byte[] rle = FormatFixtures.bmp(FormatFixtures.indexed(64, 64, new int[] {0xff0000}, -1, new int[64 * 64]),
        "BI_RLE8", false);
    bombs.put("BMP RLE8 8192x4882 over a few hundred bytes", size(rle, 8192, 4882));
    bombs.put("BMP RLE8 claiming 2^31-1 bytes of data", withLittleEndian(rle, 34, 4, Integer.MAX_VALUE));
    bombs.put("BMP palette of 2^31 colours", withLittleEndian(rle, 46, 4, 1L << 31));
    return bombs;
  }

  /** Whether the format's data cannot expand beyond a known ratio (LZW, raw BMP rows). */
  static boolean boundedExpansion(String name) {
    return name.startsWith("GIF") || name.startsWith("BMP") && !name.startsWith("BMP RLE");
  }

  /**
   * Whether the format's reader holds the whole image even when only a subsampled square is asked
   * for: lossless WebP (VP8L) predicts every pixel from decoded neighbours, so twelvemonkeys decodes
   * all of them (4 bytes a pixel, within the pixel limit), as a JPEG's decodeRgb would.
   */
  static boolean wholeImageDecoder(String name) {
    return name.startsWith("WebP VP8L");
  }

  /** An interesting value written over 2, 3 or 4 bytes somewhere in the first 64 (the headers). */
  static byte[] mutateHeaderField(byte[] bytes, SplittableRandom random, int value) {
    int width = 2 + random.nextInt(3);
    int at = random.nextInt(Math.max(1, Math.min(bytes.length, 64) - width));
    return at + width <= bytes.length ? withLittleEndian(bytes, at, width, value) : bytes;
  }

  /** An interesting value in a size field: RIFF and chunk sizes, BMP sizes and offsets, GIF sub-block lengths. */
  static byte[] mutateSizeField(byte[] bytes, SplittableRandom random, int value) {
    switch (ImageFormat.sniff(bytes)) {
      case WEBP -> {
        List<Integer> fields = new java.util.ArrayList<>(List.of(4));
        for (long at = 12; at + 8 <= bytes.length; at += 8 + (LittleEndian.u32(bytes, (int) at + 4) + 1 & ~1L)) {
          fields.add((int) at + 4);
        }
        return withLittleEndian(bytes, fields.get(random.nextInt(fields.size())), 4, value);
      }
      case BMP -> {
        int at = List.of(2, 10, 14, 34, 46).get(random.nextInt(5));
        return at + 4 <= bytes.length ? withLittleEndian(bytes, at, 4, value) : bytes;
      }
      default -> { // GIF: any byte after the header may be a sub-block length
        byte[] copy = bytes.clone();
        copy[13 + random.nextInt(Math.max(1, copy.length - 13))] = (byte) value;
        return copy;
      }
    }
  }

  private static byte[] canvas(byte[] extended, int width, int height) {
    return withLittleEndian(withLittleEndian(extended, 24, 3, width - 1), 27, 3, height - 1);
  }

  private static byte[] size(byte[] bmp, int width, int height) {
    return withLittleEndian(withLittleEndian(bmp, 18, 4, width), 22, 4, height);
  }

  /** A GIF whose one frame claims width × height over {@code dataBytes} of arbitrary LZW data. */
  private static byte[] bigGifFrame(int width, int height, int dataBytes) {
    byte[] header = FormatFixtures.onePixelFrames(width, height, 0);
    ByteArrayOutputStream gif = new ByteArrayOutputStream();
    gif.write(header, 0, header.length - 1);
    gif.writeBytes(new byte[] {0x2c, 0, 0, 0, 0, (byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8), 0, 2});
    SplittableRandom random = new SplittableRandom(dataBytes);
    for (int left = dataBytes; left > 0; left -= 255) {
      byte[] block = new byte[Math.min(255, left)];
      random.nextBytes(block);
      gif.write(block.length);
      gif.writeBytes(block);
    }
    gif.write(0);
    gif.write(0x3b);
    return gif.toByteArray();
  }
}
