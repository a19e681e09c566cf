package dev.aligntok.inference.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.bmp.BMPImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * WebP, GIF and BMP inputs for the codec tests: the committed WebP fixtures (see the README beside
 * them: made here with Debian's cwebp from {@link #pattern}), GIFs and BMPs written by the JDK's own
 * encoders, and hand-made minimal GIF frames.
 */
final class FormatFixtures {
  /**
   * One 1×1 GIF frame: image descriptor, no local table, LZW minimum code size 2 and the codes
   * clear, 0, end (3 bits each, packed as 0x44 0x01).
   */
  static final byte[] ONE_PIXEL_FRAME = {0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0};

  private FormatFixtures() {}

  /** A committed WebP fixture by file name (lossy, lossless, lossy-alpha, lossless-alpha, animated). */
  static byte[] webp(String name) {
    try (InputStream in = FormatFixtures.class.getResourceAsStream("webp/" + name + ".webp")) {
      if (in == null) {
        throw new IllegalStateException("no WebP fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The 16×12 pattern the WebP fixtures encode, as straight ARGB: R 16x, G 20y, B 7xy (mod 256),
   * alpha (when {@code alpha}) 255 for x < 8, 128 for x < 12, else 0.
   */
  static int[] pattern(boolean alpha) {
    int[] argb = new int[16 * 12];
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        int a = !alpha || x < 8 ? 255 : x < 12 ? 128 : 0;
        argb[y * 16 + x] = a << 24 | (x * 16 % 256) << 16 | (y * 20 % 256) << 8 | (x * y * 7 % 256);
      }
    }
    return argb;
  }

  /** The pattern composited onto white, as the decoder must return it (0xRRGGBB). */
  static int[] patternOnWhite(boolean alpha) {
    int[] argb = pattern(alpha);
    int[] rgb = new int[argb.length];
    for (int i = 0; i < argb.length; i++) {
      rgb[i] = ImageDecoder.overWhite(argb[i]);
    }
    return rgb;
  }

  /**
   * A palette image of the given colours (0xRRGGBB), pixel i taking colour {@code indices[i]};
   * colour {@code transparent} is fully transparent (-1: none). The palette is padded to 256 entries:
   * the JDK's GIF and BMP writers store a short palette's 8-bit samples as if they were packed.
   */
  static BufferedImage indexed(int width, int height, int[] colours, int transparent, int... indices) {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < colours.length; i++) {
      r[i] = (byte) (colours[i] >> 16);
      g[i] = (byte) (colours[i] >> 8);
      b[i] = (byte) colours[i];
    }
    IndexColorModel model = transparent < 0 ? new IndexColorModel(8, 256, r, g, b)
        : new IndexColorModel(8, 256, r, g, b, transparent);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
    image.getRaster().setSamples(0, 0, width, height, 0, indices);
    return image;
  }

  /**
   * A GIF of the frames (one: a still image), not interlaced: the JDK's interlaced output of an
   * image under 4 rows decodes wrongly in its own reader (interlacing is tested on a larger image).
   * Each frame is written alone by the JDK's GIF writer and the frames' blocks are spliced after the
   * first one's header, so all frames must share one palette.
   */
  static byte[] gif(List<BufferedImage> frames) {
    ByteArrayOutputStream gif = new ByteArrayOutputStream();
    for (BufferedImage frame : frames) {
      byte[] still = stillGif(frame);
      int blocks = 13 + ((still[10] & 0x80) == 0 ? 0 : 3 << ((still[10] & 7) + 1)); // after the global table
      gif.write(still, gif.size() == 0 ? 0 : blocks, still.length - 1 - (gif.size() == 0 ? 0 : blocks));
    }
    gif.write(0x3b);
    return gif.toByteArray();
  }

  private static byte[] stillGif(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A GIF89a with a {@code screenWidth}×{@code screenHeight} logical screen, a two-colour global
   * table (red, blue) and {@code frames} copies of {@link #ONE_PIXEL_FRAME}, built as bytes.
   */
  static byte[] onePixelFrames(int screenWidth, int screenHeight, int frames) {
    ByteArrayOutputStream gif = new ByteArrayOutputStream(13 + 6 + frames * ONE_PIXEL_FRAME.length + 1);
    gif.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    gif.writeBytes(new byte[] {(byte) screenWidth, (byte) (screenWidth >> 8), (byte) screenHeight,
        (byte) (screenHeight >> 8), (byte) 0x80, 0, 0});
    gif.writeBytes(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
    for (int i = 0; i < frames; i++) {
      gif.writeBytes(ONE_PIXEL_FRAME);
    }
    gif.write(0x3b);
    return gif.toByteArray();
  }

  /** A BMP written by the JDK's writer; {@code compression} null for its default, e.g. "BI_RLE8". */
  static byte[] bmp(BufferedImage image, String compression, boolean topDown) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      BMPImageWriteParam param = (BMPImageWriteParam) writer.getDefaultWriteParam();
      param.setTopDown(topDown);
      if (compression != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(compression);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A copy with a little-endian field of {@code bytes} bytes at {@code at} set to {@code value}. */
  static byte[] withLittleEndian(byte[] data, int at, int bytes, long value) {
    byte[] copy = data.clone();
    for (int i = 0; i < bytes; i++) {
      copy[at + i] = (byte) (value >>> (8 * i));
    }
    return copy;
  }
}
