package dev.aligntok.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.util.Random;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.Test;

/** The fast paths must give exactly what the colour model's getRGB gives. */
class RgbPixelsTest {
  private static final int WIDTH = 7;
  private static final int HEIGHT = 5;

  @Test
  void interleavedBytesMatchGetRgbInEveryBandOrder() {
    ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
    BufferedImage[] images = {
        randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_4BYTE_ABGR)),
        randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR)),
        // ImageIO's PNG reader decodes RGBA files into this RGBA-ordered TYPE_CUSTOM layout.
        randomized(ImageTypeSpecifier.createInterleaved(srgb, new int[] {0, 1, 2, 3}, DataBuffer.TYPE_BYTE, true, false)
            .createBufferedImage(WIDTH, HEIGHT)),
        randomized(ImageTypeSpecifier.createInterleaved(srgb, new int[] {0, 1, 2}, DataBuffer.TYPE_BYTE, false, false)
            .createBufferedImage(WIDTH, HEIGHT)),
    };
    for (BufferedImage image : images) {
      assertArrayEquals(image.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH), RgbPixels.argbOfInterleavedBytes(image),
          "image type " + image.getType() + " " + image.getColorModel());
    }
  }

  @Test
  void otherLayoutsAreLeftToGetRgb() {
    BufferedImage packed = randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB));
    BufferedImage premultiplied = randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_4BYTE_ABGR_PRE));
    BufferedImage child = randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_4BYTE_ABGR))
        .getSubimage(1, 1, 3, 3);
    assertNull(RgbPixels.argbOfInterleavedBytes(packed));
    assertNull(RgbPixels.argbOfInterleavedBytes(premultiplied));
    assertNull(RgbPixels.argbOfInterleavedBytes(child));
  }

  @Test
  void readOnlyIsTheBackingArrayOfAWholeIntRgbImageAndACopyOtherwise() {
    BufferedImage rgb = randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB));
    assertSame(((DataBufferInt) rgb.getRaster().getDataBuffer()).getData(), RgbPixels.readOnly(rgb));

    BufferedImage child = rgb.getSubimage(2, 1, 4, 3);
    int[] expected = child.getRGB(0, 0, 4, 3, null, 0, 4);
    int[] actual = RgbPixels.readOnly(child);
    for (int i = 0; i < expected.length; i++) {
      // getRGB reports opaque alpha; the packed array holds no alpha bits.
      expected[i] &= 0xffffff;
      actual[i] &= 0xffffff;
    }
    assertArrayEquals(expected, actual);
  }

  @Test
  void imageHoldsThePixelsWithoutAlpha() {
    int[] pixels = new Random(3).ints(WIDTH * HEIGHT).toArray();
    BufferedImage image = RgbPixels.image(pixels, WIDTH, HEIGHT);
    int[] back = image.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH);
    for (int i = 0; i < pixels.length; i++) {
      assertArrayEquals(new int[] {0xff000000 | (pixels[i] & 0xffffff)}, new int[] {back[i]}, "pixel " + i);
    }
  }

  @Test
  void decodedRgbaPngMatchesTheGetRgbPolicy() {
    BufferedImage rgba = randomized(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB));
    BufferedImage decoded = new ImageDecoder().decodeRgb(TestImages.encode(rgba, "png"), "random.png");
    int[] source = rgba.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH);
    int[] expected = new int[source.length];
    for (int i = 0; i < source.length; i++) {
      expected[i] = 0xff000000 | ImageDecoder.overWhite(source[i]);
    }
    assertArrayEquals(expected, decoded.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH));
  }

  private static BufferedImage randomized(BufferedImage image) {
    Random random = new Random(image.getType() * 31L + image.getColorModel().getNumComponents());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }
}
