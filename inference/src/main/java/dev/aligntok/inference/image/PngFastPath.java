package dev.aligntok.inference.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the common PNG — 8-bit RGB or RGBA, not interlaced, no colour profile — straight into
 * a TYPE_INT_RGB image composited onto white, the same pixels {@link ImageDecoder} gets through
 * ImageIO, bit for bit. ImageIO's reader spends most of its time on stream plumbing and metadata;
 * in the serving pipeline it cost as much as a tenth of the encoder, per image.
 *
 * <p>Anything else (other colour types or depths, interlacing, a colour profile, transparency or
 * palette chunks, limits exceeded, truncated or undecompressable data) is declined with null, and
 * the caller decodes with ImageIO, which also gives the precise error for broken files.
 */
final class PngFastPath {
  private static final int SIGNATURE_BYTES = 8;
  private static final int COLOR_RGB = 2;
  private static final int COLOR_RGBA = 6;
  /** Chunks that never change the decoded pixels in ImageIO's reader; any other one sends the file to ImageIO. */
  private static final Set<String> IGNORABLE = Set.of("tEXt", "zTXt", "iTXt", "tIME", "pHYs", "gAMA", "cHRM", "sRGB",
      "bKGD", "sBIT");

  private PngFastPath() {}

  /** The image composited onto white, or null when this path declines the file (see the class comment). */
  static BufferedImage decodeOnWhite(byte[] png, ImageLimits limits) {
    Header header = Header.read(png);
    if (header == null || !header.simple() || !limits.allows(header.width, header.height)) {
      return null;
    }
    List<int[]> imageData = imageDataSegments(png);
    if (imageData == null) {
      return null;
    }
    int channels = header.colorType == COLOR_RGBA ? 4 : 3;
    int rowBytes = header.width * channels;
    byte[] filtered = inflate(png, imageData, (long) header.height * (rowBytes + 1));
    if (filtered == null || !unfilter(filtered, header.height, rowBytes, channels)) {
      return null;
    }
    BufferedImage image = new BufferedImage(header.width, header.height, BufferedImage.TYPE_INT_RGB);
    int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    composeOnWhite(filtered, header.height, rowBytes, channels, rgb);
    return image;
  }

  /** Whether the IHDR claims a zero width or height: ImageIO refuses those with a generic error. */
  static boolean headerClaimsZeroSize(byte[] png) {
    Header header = Header.read(png);
    return header != null && (header.width == 0 || header.height == 0);
  }

  /** IHDR, which the format puts first. */
  private record Header(int width, int height, int bitDepth, int colorType, int compression, int filter,
                        int interlace) {
    static Header read(byte[] png) {
      if (png.length < SIGNATURE_BYTES + 8 + 13 || readInt(png, SIGNATURE_BYTES) != 13
          || !"IHDR".equals(chunkType(png, SIGNATURE_BYTES))) {
        return null;
      }
      int at = SIGNATURE_BYTES + 8;
      return new Header(readInt(png, at), readInt(png, at + 4), png[at + 8] & 0xff, png[at + 9] & 0xff,
          png[at + 10] & 0xff, png[at + 11] & 0xff, png[at + 12] & 0xff);
    }

    boolean simple() {
      return width > 0 && height > 0 && bitDepth == 8 && (colorType == COLOR_RGB || colorType == COLOR_RGBA)
          && compression == 0 && filter == 0 && interlace == 0;
    }
  }

  /** Offset and length of every IDAT chunk, or null when a chunk outside {@link #IGNORABLE} appears or the file is cut short. */
  private static List<int[]> imageDataSegments(byte[] png) {
    List<int[]> segments = new ArrayList<>();
    int at = SIGNATURE_BYTES;
    while (at + 12 <= png.length) {
      int length = readInt(png, at);
      if (length < 0 || length > png.length - at - 12) {
        return null;
      }
      String type = chunkType(png, at);
      switch (type) {
        case "IHDR" -> {
          if (at != SIGNATURE_BYTES) {
            return null;
          }
        }
        case "IDAT" -> segments.add(new int[] {at + 8, length});
        case "IEND" -> {
          return segments.isEmpty() ? null : segments;
        }
        default -> {
          if (!IGNORABLE.contains(type)) {
            return null;
          }
        }
      }
      at += 12 + length;
    }
    return null;
  }

  /** The zlib stream across the IDAT chunks, exactly {@code expected} bytes of it, or null. */
  private static byte[] inflate(byte[] png, List<int[]> segments, long expected) {
    if (expected > Integer.MAX_VALUE - 8) {
      return null;
    }
    byte[] out = new byte[(int) expected];
    Inflater inflater = new Inflater();
    try {
      int filled = 0;
      for (int[] segment : segments) {
        inflater.setInput(png, segment[0], segment[1]);
        while (filled < out.length && !inflater.needsInput() && !inflater.finished()) {
          int produced = inflater.inflate(out, filled, out.length - filled);
          if (produced == 0 && (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished())) {
            return null;
          }
          filled += produced;
        }
      }
      return filled == out.length ? out : null;
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  /** Undoes the per-row filters in place (each row keeps its leading filter byte); false on an unknown filter. */
  private static boolean unfilter(byte[] data, int height, int rowBytes, int bpp) {
    int stride = rowBytes + 1;
    byte[] zeros = new byte[rowBytes];
    for (int y = 0; y < height; y++) {
      int row = y * stride + 1;
      // Row y-1, or zeros above the first row, as the format defines.
      byte[] above = y == 0 ? zeros : data;
      int up = y == 0 ? 0 : row - stride;
      switch (data[row - 1]) {
        case 0 -> { }
        case 1 -> {
          for (int x = bpp; x < rowBytes; x++) {
            data[row + x] += data[row + x - bpp];
          }
        }
        case 2 -> {
          for (int x = 0; x < rowBytes; x++) {
            data[row + x] += above[up + x];
          }
        }
        case 3 -> {
          for (int x = 0; x < rowBytes; x++) {
            int left = x >= bpp ? data[row + x - bpp] & 0xff : 0;
            data[row + x] += (byte) ((left + (above[up + x] & 0xff)) >>> 1);
          }
        }
        case 4 -> {
          for (int x = 0; x < rowBytes; x++) {
            int left = x >= bpp ? data[row + x - bpp] & 0xff : 0;
            int upLeft = x >= bpp ? above[up + x - bpp] & 0xff : 0;
            data[row + x] += (byte) paeth(left, above[up + x] & 0xff, upLeft);
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  private static int paeth(int left, int up, int upLeft) {
    int estimate = left + up - upLeft;
    int toLeft = Math.abs(estimate - left);
    int toUp = Math.abs(estimate - up);
    int toUpLeft = Math.abs(estimate - upLeft);
    if (toLeft <= toUp && toLeft <= toUpLeft) {
      return left;
    }
    return toUp <= toUpLeft ? up : upLeft;
  }

  private static void composeOnWhite(byte[] data, int height, int rowBytes, int channels, int[] rgb) {
    int stride = rowBytes + 1;
    int pixel = 0;
    for (int y = 0; y < height; y++) {
      int end = y * stride + 1 + rowBytes;
      for (int at = y * stride + 1; at < end; at += channels) {
        int r = data[at] & 0xff;
        int g = data[at + 1] & 0xff;
        int b = data[at + 2] & 0xff;
        if (channels == 4) {
          int a = data[at + 3] & 0xff;
          r = ImageDecoder.blend(r, a);
          g = ImageDecoder.blend(g, a);
          b = ImageDecoder.blend(b, a);
        }
        rgb[pixel++] = r << 16 | g << 8 | b;
      }
    }
  }

  private static int readInt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
  }

  private static String chunkType(byte[] png, int chunkStart) {
    return new String(png, chunkStart + 4, 4, StandardCharsets.ISO_8859_1);
  }
}
