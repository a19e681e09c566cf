package dev.aligntok.stream.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
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

  /**
   * A width × height 8-bit RGB PNG of one colour, written row by row without ever holding the image:
   * 6300 × 6300 (40 MP) comes to about 130 KB, the burst of issue 17.
   */
  public static byte[] largeSolid(int width, int height, int r, int g, int b) {
    byte[] row = new byte[1 + 3 * width];
    for (int x = 0; x < width; x++) {
      row[1 + 3 * x] = (byte) r;
      row[2 + 3 * x] = (byte) g;
      row[3 + 3 * x] = (byte) b;
    }
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream zlib = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      for (int y = 0; y < height; y++) {
        zlib.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0}).array());
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A valid PNG header (dimensions readable) whose pixel data is cut off: fails only when decoded. */
  public static byte[] truncatedPixels(int width, int height) {
    byte[] whole = solid(width, height, 10, 20, 30);
    return Arrays.copyOf(whole, 45);
  }
}
