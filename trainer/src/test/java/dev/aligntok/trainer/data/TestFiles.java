package dev.aligntok.trainer.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Tiny files the tests write themselves: idx arrays, PNGs (good, corrupt, truncated), JPEGs. */
final class TestFiles {
  private TestFiles() {}

  /** An unsigned-byte idx file with the given dimensions and values, gzipped when the name ends in .gz. */
  static Path idx(Path file, int[] dims, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).put((byte) 0).put((byte) 0).put((byte) 0x08)
        .put((byte) dims.length);
    for (int dim : dims) {
      header.putInt(dim);
    }
    return write(file, concat(header.array(), data));
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (file.getFileName().toString().endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
    return file;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A solid ARGB image of the given size. */
  static BufferedImage solid(int width, int height, int argb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, argb);
      }
    }
    return image;
  }

  /** A noisy RGB image (PNG compresses it poorly, so truncation cuts real pixel data). */
  static BufferedImage noise(int width, int height, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path png(Path file, BufferedImage image) throws IOException {
    return write(file, encode(image, "png"));
  }

  /** The first half of a valid PNG: signature and header fine, pixel data cut off. */
  static Path truncatedPng(Path file) throws IOException {
    byte[] png = encode(noise(16, 16, 7), "png");
    return write(file, Arrays.copyOf(png, png.length / 2));
  }

  /** A PNG whose compressed pixel data was overwritten. */
  static Path corruptPng(Path file) throws IOException {
    byte[] png = encode(noise(16, 16, 8), "png");
    Arrays.fill(png, 60, Math.min(png.length - 20, 400), (byte) 0x5a);
    return write(file, png);
  }

  /** The RGB value of one pixel, without alpha. */
  static int rgbAt(BufferedImage image, int x, int y) {
    return image.getRGB(x, y) & 0xffffff;
  }
}
