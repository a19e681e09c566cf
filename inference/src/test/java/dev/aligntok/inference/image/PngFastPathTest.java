package dev.aligntok.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class PngFastPathTest {
  @Test
  void rgbaMatchesImageIoBitForBitAcrossSizesAndFilters() {
    // ImageIO's writer picks a filter per row, so noise, gradients and flat areas exercise all five.
    for (int[] size : new int[][] {{1, 1}, {2, 3}, {7, 5}, {64, 64}, {130, 3}, {3, 90}}) {
      for (long seed = 1; seed <= 3; seed++) {
        assertSameAsImageIo(TestImages.encode(rgba(size[0], size[1], seed), "png"), "rgba " + Arrays.toString(size));
      }
    }
  }

  @Test
  void rgbMatchesImageIoBitForBit() {
    for (int[] size : new int[][] {{1, 1}, {9, 7}, {64, 64}, {200, 2}}) {
      assertSameAsImageIo(TestImages.encode(TestImages.noise(size[0], size[1], 5), "png"), "rgb " + Arrays.toString(size));
      assertSameAsImageIo(TestImages.encode(gradient(size[0], size[1]), "png"), "gradient " + Arrays.toString(size));
    }
  }

  @Test
  void declinesWhatItDoesNotHandleSoImageIoDecodesIt() {
    BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage grey16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    for (BufferedImage image : new BufferedImage[] {grey, palette, grey16}) {
      assertNull(PngFastPath.decodeOnWhite(TestImages.encode(image, "png"), ImageLimits.DEFAULT),
          "type " + image.getType());
    }
    assertNull(PngFastPath.decodeOnWhite(TestImages.pngHeaderOnly(4, 4), ImageLimits.DEFAULT), "no image data");
  }

  @Test
  void declinesBrokenOrOversizedFiles() {
    byte[] png = TestImages.encode(rgba(32, 32, 9), "png");
    assertNotNull(PngFastPath.decodeOnWhite(png, ImageLimits.DEFAULT));

    assertNull(PngFastPath.decodeOnWhite(Arrays.copyOf(png, png.length / 2), ImageLimits.DEFAULT), "truncated");
    byte[] scrambled = png.clone();
    for (int i = 45; i < scrambled.length - 20; i++) {
      scrambled[i] ^= (byte) 0x5a;
    }
    assertNull(PngFastPath.decodeOnWhite(scrambled, ImageLimits.DEFAULT), "scrambled image data");
    assertNull(PngFastPath.decodeOnWhite(png, new ImageLimits(1 << 20, 16, 16, 256)), "over the limits");
  }

  @Test
  void regionsAndSubsamplingMatchImageIoBitForBit() throws IOException {
    byte[][] pngs = {TestImages.encode(rgba(97, 61, 4), "png"), TestImages.encode(TestImages.noise(50, 83, 6), "png")};
    for (byte[] png : pngs) {
      for (int size = 1; size <= 16; size++) {
        int target = size;
        SourceRegion.Choice choice = (width, height) -> SourceRegion.centreSquare(width, height, target);
        BufferedImage fast = PngFastPath.decodeOnWhite(png, ImageLimits.DEFAULT, choice);
        assertNotNull(fast, "size " + size);
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
          reader.setInput(in);
          SourceRegion region = choice.of(reader.getWidth(0), reader.getHeight(0));
          ImageReadParam param = reader.getDefaultReadParam();
          param.setSourceRegion(new Rectangle(region.x(), region.y(), region.width(), region.height()));
          param.setSourceSubsampling(region.step(), region.step(), 0, 0);
          BufferedImage reference = ImageDecoder.toRgbOnWhite(reader.read(0, param));
          assertArrayEquals(TestImages.pixels(reference), TestImages.pixels(fast), "size " + size + ", " + region);
        } finally {
          reader.dispose();
        }
      }
    }
  }

  @Test
  void aHeaderClaimingALargeImageOverLittleDataAllocatesNothingLarge() {
    byte[] png = TestImages.rowGradientPng(6000, 6000);
    byte[] cut = Arrays.copyOf(png, 200); // the header and the first bytes of the zlib stream
    long before = TestImages.allocatedBytes();
    assertNull(PngFastPath.decodeOnWhite(cut, ImageLimits.DEFAULT), "truncated");
    long allocated = TestImages.allocatedBytes() - before;
    if (before >= 0) {
      assertTrue(allocated < 1L << 20, "declining a truncated 36 MP file allocated " + allocated + " bytes");
    }
  }

  private static void assertSameAsImageIo(byte[] png, String what) {
    BufferedImage fast = PngFastPath.decodeOnWhite(png, ImageLimits.DEFAULT);
    assertNotNull(fast, what + ": the fast path declined");
    assertEquals(BufferedImage.TYPE_INT_RGB, fast.getType());
    assertArrayEquals(TestImages.pixels(ImageDecoder.toRgbOnWhite(imageIoRead(png))), TestImages.pixels(fast), what);
  }

  private static BufferedImage imageIoRead(byte[] png) {
    try {
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Random colours with every alpha from transparent to opaque, and runs that make filters worthwhile. */
  private static BufferedImage rgba(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int argb = (x + y) % 5 == 0 ? random.nextInt() : (x * 255 / width) << 24 | (y * 7) << 8 | x * 3;
        image.setRGB(x, y, argb);
      }
    }
    return image;
  }

  private static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, TestImages.pixel(x * 255 / width, y * 255 / Math.max(1, height), (x * y) & 0xff));
      }
    }
    return image;
  }
}
