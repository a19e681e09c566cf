package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.TestImages.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void rgbaIsCompositedOntoWhite() {
    BufferedImage rgba = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0xff102030); // opaque: unchanged
    rgba.setRGB(1, 0, 0x00102030); // transparent: white, whatever the hidden colour
    rgba.setRGB(2, 0, 0x80ff0000); // half red: 255·128/255 + 255·127/255 = 255; 0 + 127.0 → 127
    rgba.setRGB(3, 0, 0x40000000); // quarter black: 255·191/255 = 191
    BufferedImage decoded = decoder.decodeRgb(TestImages.encode(rgba, "png"), "rgba.png");

    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    assertArrayEquals(new int[] {pixel(0x10, 0x20, 0x30), pixel(255, 255, 255), pixel(255, 127, 127),
        pixel(191, 191, 191)}, TestImages.pixels(decoded));
  }

  @Test
  void greyKeepsStoredValuesNotJavasGammaConvertedOnes() {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
    BufferedImage decoded = decoder.decodeRgb(TestImages.encode(grey, "png"), "grey.png");
    assertArrayEquals(new int[] {pixel(0, 0, 0), pixel(128, 128, 128), pixel(255, 255, 255)},
        TestImages.pixels(decoded));
  }

  @Test
  void sixteenBitGreyIsScaledToEightBits() {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {128 * 257, 65535});
    BufferedImage decoded = decoder.decodeRgb(TestImages.encode(grey, "png"), "grey16.png");
    assertArrayEquals(new int[] {pixel(128, 128, 128), pixel(255, 255, 255)}, TestImages.pixels(decoded));
  }

  @Test
  void rgbPngRoundTripsExactlyAndJpegApproximately() {
    BufferedImage noise = TestImages.noise(9, 7, 1);
    assertArrayEquals(TestImages.pixels(noise),
        TestImages.pixels(decoder.decodeRgb(TestImages.encode(noise, "png"), "noise.png")));

    BufferedImage flat = TestImages.rgb(16, 16, filled(256, pixel(200, 100, 50)));
    int[] jpeg = TestImages.pixels(decoder.decodeRgb(TestImages.encode(flat, "jpeg"), "flat.jpg"));
    for (int value : jpeg) {
      assertTrue(Math.abs(((value >> 16) & 0xff) - 200) <= 3 && Math.abs(((value >> 8) & 0xff) - 100) <= 3
          && Math.abs((value & 0xff) - 50) <= 3, "JPEG pixel " + Integer.toHexString(value));
    }
  }

  @Test
  void emptyAndNonImageBytesAreRejectedWithTheSourceNamed() {
    ImageDecodeException empty = assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(new byte[0], "event-7"));
    assertEquals(Reason.EMPTY, empty.reason());
    assertTrue(empty.getMessage().contains("event-7"), empty.getMessage());

    ImageDecodeException text = assertThrows(ImageDecodeException.class,
        () -> decoder.decodeRgb("hello, world".getBytes(StandardCharsets.US_ASCII), "notes.txt"));
    assertEquals(Reason.UNSUPPORTED_FORMAT, text.reason());
    assertTrue(text.getMessage().contains("notes.txt") && text.getMessage().contains("68656c6c"), text.getMessage());

    byte[] tiff = TestImages.encode(TestImages.noise(2, 2, 3), "tiff");
    assertEquals(Reason.UNSUPPORTED_FORMAT,
        assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(tiff, "x.tiff")).reason());
  }

  @Test
  void enormousClaimedDimensionsAreRejectedBeforeAnyPixelIsAllocated() {
    byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000); // 40 GB of RGBA if decoded
    long before = allocatedBytes();
    ImageDecodeException error = assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(bomb, "bomb.png"));
    long allocated = allocatedBytes() - before;

    assertEquals(Reason.TOO_MANY_PIXELS, error.reason());
    assertTrue(error.getMessage().contains("100000x100000"), error.getMessage());
    if (before >= 0) {
      assertTrue(allocated < 16L << 20, "rejecting the header allocated " + allocated + " bytes");
    }
  }

  @Test
  void eachLimitIsEnforced() {
    ImageDecoder strict = new ImageDecoder(new ImageLimits(1_000, 8, 4, 20));
    assertEquals(Reason.TOO_MANY_PIXELS, reason(strict, TestImages.pngHeaderOnly(9, 1)));
    assertEquals(Reason.TOO_MANY_PIXELS, reason(strict, TestImages.pngHeaderOnly(1, 5)));
    assertEquals(Reason.TOO_MANY_PIXELS, reason(strict, TestImages.pngHeaderOnly(6, 4)));
    assertEquals(new ImageInfo("png", 5, 4), strict.probe(TestImages.pngHeaderOnly(5, 4), "ok.png"));

    byte[] big = TestImages.encode(TestImages.noise(32, 32, 2), "png");
    assertEquals(Reason.TOO_LARGE_BYTES, reason(strict, big));
  }

  @Test
  void zeroSizedHeadersAreNamedAsSuch() {
    assertEquals(Reason.ZERO_SIZE, reason(decoder, TestImages.pngHeaderOnly(0, 0)));
    assertEquals(Reason.ZERO_SIZE, reason(decoder, TestImages.pngHeaderOnly(5, 0)));
  }

  @Test
  void truncatedAndDamagedFilesAreCorrupt() {
    byte[] png = TestImages.encode(TestImages.noise(32, 32, 4), "png");
    assertEquals(Reason.CORRUPT, reason(decoder, Arrays.copyOf(png, png.length / 2)));
    assertEquals(Reason.CORRUPT, reason(decoder, Arrays.copyOf(png, 20))); // signature + half an IHDR

    byte[] damaged = png.clone();
    Arrays.fill(damaged, 60, 200, (byte) 0x5a); // inside IDAT: the zlib stream breaks
    assertEquals(Reason.CORRUPT, reason(decoder, damaged));

    byte[] jpeg = TestImages.encode(TestImages.noise(64, 64, 5), "jpeg");
    ImageDecodeException truncatedJpeg = assertThrows(ImageDecodeException.class,
        () -> decoder.decodeRgb(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg"));
    assertEquals(Reason.CORRUPT, truncatedJpeg.reason(), truncatedJpeg.getMessage());
  }

  @Test
  void filesAreSizeCheckedBeforeTheyAreRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("large.png");
    Files.write(file, TestImages.encode(TestImages.noise(32, 32, 6), "png"));
    ImageDecoder strict = new ImageDecoder(new ImageLimits(100, 64, 64, 4096));
    ImageDecodeException error = assertThrows(ImageDecodeException.class, () -> strict.decodeRgb(file));
    assertEquals(Reason.TOO_LARGE_BYTES, error.reason());
    assertEquals(file.toString(), error.source());
    assertEquals(32, decoder.decodeRgb(file).getWidth());
  }

  @Test
  void limitsValidateTheirArguments() {
    assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ImageLimits(1, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ImageLimits(1, 1, 1, 0));
  }

  private static Reason reason(ImageDecoder decoder, byte[] bytes) {
    return assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(bytes, "test")).reason();
  }

  private static int[] filled(int count, int value) {
    int[] values = new int[count];
    Arrays.fill(values, value);
    return values;
  }

  /** Bytes allocated by this thread so far, or -1 where the JVM cannot say. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()) {
      return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
