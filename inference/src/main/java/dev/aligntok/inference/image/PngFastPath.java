package dev.aligntok.inference.image;

import java.awt.image.BufferedImage;
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
 * <p>Rows are inflated and unfiltered one at a time and only the pixels of the requested
 * {@link SourceRegion} are kept, so a header's claim costs nothing until its data decodes.
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
    return decodeOnWhite(png, limits, SourceRegion::whole);
  }

  /**
   * The chosen region of the image composited onto white, or null when this path declines the file.
   * Rows are inflated and unfiltered one at a time (two rows and up to 64 KiB of working memory)
   * and only the kept pixels are stored; the output is allocated once the first kept row has
   * decoded, so a header claiming a large image over a few bytes of data costs nothing.
   */
  static BufferedImage decodeOnWhite(byte[] png, ImageLimits limits, SourceRegion.Choice choice) {
    Header header = Header.read(png);
    if (header == null || !header.simple() || !limits.allows(header.width, header.height)) {
      return null;
    }
    List<int[]> imageData = imageDataSegments(png);
    if (imageData == null) {
      return null;
    }
    SourceRegion region = choice.of(header.width, header.height);
    if (region.x() + region.width() > header.width || region.y() + region.height() > header.height) {
      throw new IllegalArgumentException("region " + region + " outside a " + header.width + "x" + header.height + " image");
    }
    int channels = header.colorType == COLOR_RGBA ? 4 : 3;
    int rowBytes = header.width * channels;
    byte[] previous = new byte[rowBytes + 1];
    byte[] current = new byte[rowBytes + 1];
    int[] rgb = null;
    try (Rows rows = new Rows(png, imageData, rowBytes + 1, header.height)) {
      for (int y = 0; y < header.height; y++) {
        if (!rows.fill(current) || !unfilter(current, previous, rowBytes, channels)) {
          return null;
        }
        int kept = y - region.y();
        if (kept >= 0 && kept < region.height() && kept % region.step() == 0) {
          if (rgb == null) {
            rgb = new int[region.outWidth() * region.outHeight()];
          }
          composeOnWhite(current, channels, region, rgb, kept / region.step() * region.outWidth());
        }
        byte[] swap = previous;
        previous = current;
        current = swap;
      }
    } catch (DataFormatException e) {
      return null;
    }
    return RgbPixels.wrapClean(rgb, region.outWidth(), region.outHeight());
  }

  /** Whether the IHDR claims a zero width or height: ImageIO refuses those with a generic error. */
  static boolean headerClaimsZeroSize(byte[] png) {
    Header header = Header.read(png);
    return header != null && (header.width == 0 || header.height == 0);
  }

  /**
   * Deflate cannot expand more than 1032:1 (a 258-byte match coded in two bits); with some room for
   * the zlib framing, image data shorter than this share of the claimed pixel bytes cannot hold them.
   */
  private static final int MAX_INFLATE_RATIO = 1100;

  /**
   * Whether the IDAT chunks present (as far as the chunk lengths hold) are too short by
   * {@link #MAX_INFLATE_RATIO} to inflate to the image the IHDR claims, in any colour type: such a
   * file is certainly broken, and saying so first spares ImageIO allocating the claimed image.
   */
  static boolean imageDataTooShort(byte[] png) {
    Header header = Header.read(png);
    if (header == null || header.width <= 0 || header.height <= 0) {
      return false; // ImageIO names these
    }
    int samples = switch (header.colorType) {
      case 0, 3 -> 1;
      case 2 -> 3;
      case 4 -> 2;
      case 6 -> 4;
      default -> 0;
    };
    long pixelBytes = ((long) header.width * samples * header.bitDepth + 7) / 8 * header.height;
    long imageData = 0;
    long at = SIGNATURE_BYTES;
    while (at + 8 <= png.length) {
      long length = readInt(png, (int) at) & 0xffff_ffffL;
      if ("IDAT".equals(chunkType(png, (int) at))) {
        imageData += Math.min(length, png.length - at - 8);
      }
      at += 12 + length;
    }
    return imageData * MAX_INFLATE_RATIO < pixelBytes;
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

  /**
   * The zlib stream across the IDAT chunks, handed out one filtered row at a time. It inflates up
   * to 64 KiB per call: a call per row made small images about 15 % slower to decode.
   */
  private static final class Rows implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final byte[] png;
    private final List<int[]> segments;
    private final Inflater inflater = new Inflater();
    private final byte[] buffer;
    private int nextSegment;
    private int buffered;
    private int consumed;

    Rows(byte[] png, List<int[]> segments, int rowLength, int rows) {
      this.png = png;
      this.segments = segments;
      this.buffer = new byte[Math.min(rows, Math.max(1, BUFFER_BYTES / rowLength)) * rowLength];
    }

    /** Fills {@code row} completely; false when the stream ends or stalls first. */
    boolean fill(byte[] row) throws DataFormatException {
      int filled = 0;
      while (filled < row.length) {
        if (consumed == buffered && !refill()) {
          return false;
        }
        int take = Math.min(row.length - filled, buffered - consumed);
        System.arraycopy(buffer, consumed, row, filled, take);
        consumed += take;
        filled += take;
      }
      return true;
    }

    /** Inflates the next bytes into the (empty) buffer; false when none can come. */
    private boolean refill() throws DataFormatException {
      buffered = 0;
      consumed = 0;
      while (buffered == 0) {
        if (inflater.finished() || inflater.needsDictionary()) {
          return false;
        }
        if (inflater.needsInput()) {
          if (nextSegment == segments.size()) {
            return false;
          }
          int[] segment = segments.get(nextSegment++);
          inflater.setInput(png, segment[0], segment[1]);
          continue;
        }
        long readBefore = inflater.getBytesRead();
        buffered = inflater.inflate(buffer);
        if (buffered == 0 && inflater.getBytesRead() == readBefore && !inflater.needsInput()) {
          return false; // no progress at all: never loop on a stream zlib cannot advance
        }
      }
      return true;
    }

    @Override
    public void close() {
      inflater.end();
    }
  }

  /**
   * Undoes the row's filter in place ({@code row[0]} is the filter type, {@code above} the row
   * before, all zeros above the first row, as the format defines); false on an unknown filter.
   */
  private static boolean unfilter(byte[] row, byte[] above, int rowBytes, int bpp) {
    switch (row[0]) {
      case 0 -> { }
      case 1 -> {
        for (int x = 1 + bpp; x <= rowBytes; x++) {
          row[x] += row[x - bpp];
        }
      }
      case 2 -> {
        for (int x = 1; x <= rowBytes; x++) {
          row[x] += above[x];
        }
      }
      case 3 -> {
        for (int x = 1; x <= rowBytes; x++) {
          int left = x > bpp ? row[x - bpp] & 0xff : 0;
          row[x] += (byte) ((left + (above[x] & 0xff)) >>> 1);
        }
      }
      case 4 -> {
        for (int x = 1; x <= rowBytes; x++) {
          int left = x > bpp ? row[x - bpp] & 0xff : 0;
          int upLeft = x > bpp ? above[x - bpp] & 0xff : 0;
          row[x] += (byte) paeth(left, above[x] & 0xff, upLeft);
        }
      }
      default -> {
        return false;
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

  /** The region's kept pixels of one unfiltered row, onto white, written to {@code rgb} from {@code at}. */
  private static void composeOnWhite(byte[] row, int channels, SourceRegion region, int[] rgb, int at) {
    int end = at + region.outWidth();
    for (int from = 1 + region.x() * channels; at < end; at++, from += region.step() * channels) {
      int r = row[from] & 0xff;
      int g = row[from + 1] & 0xff;
      int b = row[from + 2] & 0xff;
      if (channels == 4) {
        int a = row[from + 3] & 0xff;
        r = ImageDecoder.blend(r, a);
        g = ImageDecoder.blend(g, a);
        b = ImageDecoder.blend(b, a);
      }
      rgb[at] = r << 16 | g << 8 | b;
    }
  }

  private static int readInt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
  }

  private static String chunkType(byte[] png, int chunkStart) {
    return new String(png, chunkStart + 4, 4, StandardCharsets.ISO_8859_1);
  }
}
