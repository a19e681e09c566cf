package dev.aligntok.stream.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Small PNGs with known pixels for the tests. */
public final class TestPngs {
  private TestPngs() {}

  /** A width × height image of one colour. */
  public static byte[] solid(int width, int height, int r, int g, int b) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return png(image);
  }

  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A valid PNG header (dimensions readable) whose pixel data is cut off: fails only when decoded. */
  public static byte[] truncatedPixels(int width, int height) {
    byte[] whole = solid(width, height, 10, 20, 30);
    return Arrays.copyOf(whole, 45);
  }
}
