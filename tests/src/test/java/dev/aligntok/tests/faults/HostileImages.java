package dev.aligntok.tests.faults;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Valid images that are cheap to send and expensive to decode: what a burst within every per-image
 * limit looks like to the service. Built without holding their pixels where that is possible. Also
 * the WebP, GIF and BMP inputs: valid ones (WebP from committed fixtures, GIF and BMP written by the
 * JDK) and ones whose headers lie.
 */
final class HostileImages {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int FILTER_SUB = 1;

  private HostileImages() {}

  /**
   * A one-colour RGB PNG of {@code width × height}, streamed row by row into the deflater (never
   * held as pixels): a 6300 × 6300 one is about 120 KB on the wire and 119 MB of raw samples.
   */
  static byte[] flatPng(int width, int height, int rgb) {
    // Filter "Sub": the first pixel carries the colour, every later byte repeats its left neighbour.
    byte[] row = new byte[1 + 3 * width];
    row[0] = FILTER_SUB;
    row[1] = (byte) (rgb >> 16);
    row[2] = (byte) (rgb >> 8);
    row[3] = (byte) rgb;
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (int y = 0; y < height; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        compressed.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();

    ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.size() + 64);
    png.writeBytes(PNG_SIGNATURE);
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
    chunk(png, "IHDR", header.array());
    chunk(png, "IDAT", compressed.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** A smooth diagonal gradient as a JPEG of {@code quality} (0–1): a phone photo's size in pixels. */
  static byte[] gradientJpeg(int width, int height, Color from, Color to, float quality) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, from, width, height, to));
    g.fillRect(0, 0, width, height);
    g.dispose();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A committed WebP fixture: "lossless" (VP8L), "lossy-alpha" (VP8X + ALPH + VP8), "animated". */
  static byte[] webp(String name) {
    try (InputStream in = HostileImages.class.getResourceAsStream(name + ".webp")) {
      if (in == null) {
        throw new IllegalStateException("no WebP fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The extended WebP fixture with its VP8X canvas (bytes 24–29, 24-bit little-endian minus one) replaced. */
  static byte[] webpClaimingCanvas(int width, int height) {
    byte[] webp = webp("lossy-alpha");
    littleEndian(webp, 24, 3, width - 1);
    littleEndian(webp, 27, 3, height - 1);
    return webp;
  }

  /** {@code image} in an ImageIO format the JDK writes ("gif", "bmp"). */
  static byte[] encoded(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, bytes)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A GIF whose logical screen (bytes 6–9) claims {@code width × height}. */
  static byte[] gifClaimingScreen(BufferedImage image, int width, int height) {
    byte[] gif = encoded(image, "gif");
    littleEndian(gif, 6, 2, width);
    littleEndian(gif, 8, 2, height);
    return gif;
  }

  /** A BMP whose info header claims {@code width} (bytes 18–21) over its real pixel rows. */
  static byte[] bmpClaimingWidth(BufferedImage image, int width) {
    byte[] bmp = encoded(image, "bmp");
    littleEndian(bmp, 18, 4, width);
    return bmp;
  }

  private static void littleEndian(byte[] data, int at, int bytes, long value) {
    for (int i = 0; i < bytes; i++) {
      data[at + i] = (byte) (value >>> (8 * i));
    }
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typeBytes);
    png.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
