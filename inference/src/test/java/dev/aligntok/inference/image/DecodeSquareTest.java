package dev.aligntok.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageDecoder#decodeSquare}: the serving path's "decode + centre crop + resize", which must
 * equal the trainer's {@code Resize.toSquare(decodeRgb(...))} exactly for ordinary images and stay
 * within a small tolerance when it subsamples a large one, while never holding the large one.
 */
class DecodeSquareTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void ordinaryImagesGiveExactlyTheFullDecodesPixels() {
    BufferedImage grey = new BufferedImage(70, 50, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage palette = new BufferedImage(33, 47, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage grey16 = new BufferedImage(20, 21, BufferedImage.TYPE_USHORT_GRAY);
    for (BufferedImage image : new BufferedImage[] {grey, palette, grey16}) {
      image.getGraphics().drawImage(TestImages.noise(image.getWidth(), image.getHeight(), 3), 0, 0, null);
    }
    byte[][] images = {
        TestImages.encode(TestImages.noise(100, 61, 1), "png"), // fast path, odd crop excess
        TestImages.encode(argbNoise(45, 90, 2), "png"), // fast path with alpha, tall
        TestImages.encode(grey, "png"), TestImages.encode(palette, "png"), TestImages.encode(grey16, "png"), // ImageIO
        TestImages.encode(smooth(130, 90, 4), "jpeg"), TestImages.encode(smooth(64, 64, 5), "jpeg"),
    };
    for (int size : new int[] {8, 16, 32, 64}) {
      for (int i = 0; i < images.length; i++) {
        BufferedImage full = decoder.decodeRgb(images[i], "full");
        if (Math.min(full.getWidth(), full.getHeight()) >= 2 * SourceRegion.OVERSAMPLING * size) {
          continue; // subsampled: see the tolerance test
        }
        assertArrayEquals(TestImages.pixels(Resize.toSquare(full, size)),
            TestImages.pixels(decoder.decodeSquare(images[i], "square", size)), "image " + i + " at size " + size);
      }
    }
  }

  @Test
  void largeImagesAreSubsampledWithinASmallToleranceOfTheFullDecode() {
    int size = 32;
    BufferedImage photo = smooth(1600, 1200, 7); // centre square 1200: step 1200 / 128 = 9
    assertEquals(9, SourceRegion.centreSquare(1600, 1200, size).step());
    for (String format : new String[] {"png", "jpeg"}) {
      byte[] encoded = TestImages.encode(photo, format);
      float[] full = ImageTensors.toChw(Resize.toSquare(decoder.decodeRgb(encoded, "full"), size), Normalization.ZERO_ONE);
      float[] reduced = ImageTensors.toChw(decoder.decodeSquare(encoded, "reduced", size), Normalization.ZERO_ONE);
      double sum = 0;
      double max = 0;
      for (int i = 0; i < full.length; i++) {
        double difference = Math.abs(full[i] - reduced[i]);
        sum += difference;
        max = Math.max(max, difference);
      }
      assertTrue(max <= 4 / 255.0, format + ": largest difference " + max * 255 + " levels");
      assertTrue(sum / full.length <= 1 / 255.0, format + ": mean difference " + sum / full.length * 255 + " levels");
    }
  }

  @Test
  void aSquareOfTheBurstsSizeDecodesWithoutHoldingTheImage() {
    byte[] png = TestImages.rowGradientPng(6300, 6300); // 40 MP claimed by about 130 KB
    assertTrue(png.length < 200_000, png.length + " bytes");
    long fullImageBytes = 6300L * 6300 * 4;

    long before = TestImages.allocatedBytes();
    BufferedImage square = decoder.decodeSquare(png, "burst.png", 256);
    long allocated = TestImages.allocatedBytes() - before;

    assertEquals(256, square.getWidth());
    // Row 0 is (0, 255, 64) and the last row (254, 1, 64): the resized square keeps the gradient.
    assertEquals(0x00ff40, square.getRGB(0, 0) & 0xffffff, Integer.toHexString(square.getRGB(0, 0)));
    int bottom = square.getRGB(255, 255) & 0xffffff;
    assertTrue(bottom >> 16 >= 250 && (bottom >> 8 & 0xff) <= 5, Integer.toHexString(bottom));
    if (before >= 0) {
      // Step 6300 / 1024 = 6: a 1050² square and two rows, against 159 MB for the whole image.
      assertTrue(allocated < 16L << 20, "decodeSquare allocated " + allocated + " bytes");
    }

    before = TestImages.allocatedBytes();
    BufferedImage whole = decoder.decodeRgb(png, "burst.png");
    allocated = TestImages.allocatedBytes() - before;
    assertEquals(6300, whole.getHeight());
    if (before >= 0) {
      // The trainer's full decode holds exactly one full-size image, never a second copy.
      assertTrue(allocated < fullImageBytes + (8L << 20), "decodeRgb allocated " + allocated + " bytes");
    }
  }

  @Test
  void aLargeJpegDecodesOnlyItsSubsampledSquare() {
    byte[] jpeg = TestImages.encode(smooth(4000, 3000, 9), "jpeg"); // a phone photo's size
    long before = TestImages.allocatedBytes();
    BufferedImage square = decoder.decodeSquare(jpeg, "photo.jpg", 256);
    long squareBytes = TestImages.allocatedBytes() - before;
    before = TestImages.allocatedBytes();
    decoder.decodeRgb(jpeg, "photo.jpg");
    long wholeBytes = TestImages.allocatedBytes() - before;

    assertEquals(256, square.getHeight());
    if (before >= 0) {
      // Step 3000 / 1024 = 2: a 1500² square (bytes, then ints) and the resize's rows, whatever the photo's size.
      assertTrue(squareBytes < 40L << 20, "decodeSquare allocated " + squareBytes + " bytes");
      assertTrue(squareBytes < wholeBytes / 2, "decodeSquare allocated " + squareBytes + " bytes, decodeRgb " + wholeBytes);
    }
  }

  /** Photo-like content: smooth gradients and waves plus a little noise. */
  static BufferedImage smooth(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double u = (double) x / width;
        double v = (double) y / height;
        int r = clamp(40 + 170 * u + 20 * Math.sin(9 * v) + random.nextInt(-4, 5));
        int g = clamp(200 - 120 * v + 25 * Math.cos(7 * u + 3 * v) + random.nextInt(-4, 5));
        int b = clamp(128 + 90 * Math.sin(5 * (u + v)) + random.nextInt(-4, 5));
        row[x] = r << 16 | g << 8 | b;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  private static BufferedImage argbNoise(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  private static int clamp(double value) {
    return (int) Math.max(0, Math.min(255, Math.round(value)));
  }
}
