package dev.aligntok.inference.image;

import dev.aligntok.inference.image.ImageDecodeException.Reason;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, WebP, GIF (first frame) or BMP bytes ({@link ImageFormat}) into an 8-bit RGB
 * image ({@link BufferedImage#TYPE_INT_RGB}), the one pixel format every later step (resize,
 * tensors) assumes. Used by training and serving alike.
 *
 * <p>Order of checks, cheapest first, so hostile input is rejected before anything is allocated:
 * empty → byte size → signature → for WebP, GIF and BMP our own header walk ({@link WebpHeader},
 * {@link GifHeader}, {@link BmpHeader}: every claimed size and extent, before a reader sees the
 * bytes) → header dimensions via {@link ImageReader#getWidth}/{@link ImageReader#getHeight} → decode. A decoder warning (a JPEG
 * that ends early is "decoded" with grey padding) counts as corrupt: silently wrong pixels are
 * worse than a skipped image.
 *
 * <p>The common PNG (8-bit RGB/RGBA, not interlaced, no colour profile) is decoded by
 * {@link PngFastPath}, several times faster and with the same pixels, row by row; everything else,
 * and every file that path declines, goes through ImageIO.
 *
 * <p>Memory: {@link #decodeRgb} holds the one full-size RGB image it returns (plus, through ImageIO,
 * the reader's own raster of it); {@link #decodeSquare}, the serving path, decodes only the centred
 * square an encoder needs, subsampled when it is many times the target, so its memory does not grow
 * with the image's size.
 *
 * <p>Colour policy: alpha is composited onto white (an RGBA emoji becomes RGB on white, as it looks
 * on a page); grey becomes R=G=B with the stored values (not Java's gamma-converted grey).
 */
public final class ImageDecoder {
  private static final int WHITE = 255;
  /** Longest reader message or warning quoted in an error. */
  private static final int MAX_DETAIL = 300;

  private final ImageLimits limits;

  public ImageDecoder() {
    this(ImageLimits.DEFAULT);
  }

  public ImageDecoder(ImageLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
    this.limits = limits;
  }

  public ImageLimits limits() {
    return limits;
  }

  /**
   * Reads a file (its size is checked before it is read) and decodes it.
   *
   * @throws IOException when the file cannot be read (missing, permissions)
   */
  public BufferedImage decodeRgb(Path file) throws IOException {
    String source = file.toString();
    long size = Files.size(file);
    checkByteSize(size, source);
    return decodeRgb(Files.readAllBytes(file), source);
  }

  /**
   * Decodes bytes to RGB on white.
   *
   * @param source names the bytes in error messages (file path, event id)
   */
  public BufferedImage decodeRgb(byte[] bytes, String source) {
    return decode(bytes, source, SourceRegion::whole);
  }

  /**
   * The {@code size}×{@code size} input an encoder takes, straight from encoded bytes: the centred
   * square of {@link Resize#toSquare}, resized by it. Only that square is decoded, and a square side
   * of at least 8 × {@code size} is subsampled while decoding (every k-th pixel, keeping at least
   * 4 × {@code size} a side; see {@link SourceRegion#centreSquare}), so memory stays near the
   * target's size whatever the image's. Below that side the pixels are exactly
   * {@code Resize.toSquare(decodeRgb(bytes, source), size)}; above it they differ only by the
   * subsampling.
   *
   * @throws IllegalArgumentException when {@code size} is not positive
   */
  public BufferedImage decodeSquare(byte[] bytes, String source, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + size);
    }
    return Resize.toSquare(decode(bytes, source, (width, height) -> SourceRegion.centreSquare(width, height, size)), size);
  }

  /** The chosen region of the image, RGB on white; limits checked before any pixel is decoded. */
  private BufferedImage decode(byte[] bytes, String source, SourceRegion.Choice choice) {
    String format = checkedFormat(bytes, source).imageIoName();
    BufferedImage fast = "png".equals(format) ? PngFastPath.decodeOnWhite(bytes, limits, choice) : null;
    if (fast != null) {
      return fast;
    }
    ImageReader reader = readerFor(format, source);
    try (ImageInputStream in = streamOf(bytes, format)) {
      reader.setInput(in, true, true);
      ImageInfo info = checkDimensions(reader, bytes, format, source);
      if ("png".equals(format) && PngFastPath.imageDataTooShort(bytes)) {
        throw new ImageDecodeException(Reason.CORRUPT, source, "PNG image data is far too short for the "
            + info.width() + "x" + info.height() + " image its header claims");
      }
      if (in instanceof PastEndGuard guard) {
        guard.allow((long) info.width() * info.height());
      }
      SourceRegion region = choice.of(info.width(), info.height());
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener(collectingInto(warnings));
      BufferedImage decoded;
      try {
        decoded = reader.read(0, readParam(reader, region, info));
      } catch (IOException | RuntimeException e) {
        throw new ImageDecodeException(Reason.CORRUPT, source, "pixel data unreadable: " + describe(e), e);
      }
      if (!warnings.isEmpty()) {
        throw new ImageDecodeException(Reason.CORRUPT, source, "decoder warned " + warnings.size() + " times: "
            + bounded(String.join("; ", warnings.subList(0, Math.min(3, warnings.size())))));
      }
      if (decoded.getWidth() != region.outWidth() || decoded.getHeight() != region.outHeight()) {
        throw new ImageDecodeException(Reason.CORRUPT, source, "decoder returned " + decoded.getWidth() + "x"
            + decoded.getHeight() + " pixels where the header promised " + region.outWidth() + "x" + region.outHeight());
      }
      try {
        return toRgbOnWhite(decoded);
      } catch (RuntimeException e) {
        // An exotic colour model the conversion cannot map (a damaged header ImageIO still accepted).
        throw new ImageDecodeException(Reason.CORRUPT, source, "pixels cannot be converted to RGB: " + describe(e), e);
      }
    } catch (IOException e) {
      throw new ImageDecodeException(Reason.CORRUPT, source, "cannot read stream: " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /** WebP's reader reads on with zeros past the end, so it gets a stream that stops it ({@link PastEndGuard}). */
  private static ImageInputStream streamOf(byte[] bytes, String format) {
    return ImageFormat.WEBP.imageIoName().equals(format) ? new PastEndGuard(bytes)
        : new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
  }

  private static ImageReadParam readParam(ImageReader reader, SourceRegion region, ImageInfo info) {
    ImageReadParam param = reader.getDefaultReadParam();
    if (!region.isWhole(info.width(), info.height())) {
      param.setSourceRegion(new Rectangle(region.x(), region.y(), region.width(), region.height()));
      param.setSourceSubsampling(region.step(), region.step(), 0, 0);
    }
    return param;
  }

  /** Checks everything up to and including the header's dimensions, without decoding pixels. */
  public ImageInfo probe(byte[] bytes, String source) {
    String format = checkedFormat(bytes, source).imageIoName();
    ImageReader reader = readerFor(format, source);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      return checkDimensions(reader, bytes, format, source);
    } catch (IOException e) {
      throw new ImageDecodeException(Reason.CORRUPT, source, "cannot read stream: " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * Converts any decoded image to TYPE_INT_RGB: alpha over white, grey replicated to R=G=B.
   * Public so callers holding a BufferedImage from elsewhere get exactly the same policy.
   */
  public static BufferedImage toRgbOnWhite(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    if (GreyPixels.isLinearGrey(image)) {
      BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      GreyPixels.copyOnWhite(image, rgb);
      return rgb;
    }
    int[] argb = RgbPixels.argbOfInterleavedBytes(image);
    if (argb == null) {
      // getRGB yields non-premultiplied sRGB ARGB whatever the source model (palette, 16-bit, ...).
      argb = image.getRGB(0, 0, width, height, null, 0, width);
    }
    if (image.getColorModel().hasAlpha()) {
      for (int i = 0; i < argb.length; i++) {
        argb[i] = overWhite(argb[i]);
      }
    }
    return RgbPixels.wrap(argb, width, height);
  }

  /** Straight-alpha ARGB composited onto white, rounded to nearest: c·a/255 + 255·(1 − a/255). */
  static int overWhite(int argb) {
    int a = argb >>> 24;
    int r = blend((argb >> 16) & 0xff, a);
    int g = blend((argb >> 8) & 0xff, a);
    int b = blend(argb & 0xff, a);
    return (r << 16) | (g << 8) | b;
  }

  static int blend(int channel, int alpha) {
    return (channel * alpha + WHITE * (255 - alpha) + 127) / 255;
  }

  /** The format by signature, after the byte limit and, for WebP, GIF and BMP, their header checks. */
  private ImageFormat checkedFormat(byte[] bytes, String source) {
    if (bytes == null || bytes.length == 0) {
      throw new ImageDecodeException(Reason.EMPTY, source, "no bytes");
    }
    checkByteSize(bytes.length, source);
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == null) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source,
          "not a PNG, JPEG, WebP, GIF or BMP (first bytes " + hexPrefix(bytes) + ")");
    }
    switch (format) {
      case WEBP -> WebpHeader.check(bytes, limits, source);
      case GIF -> GifHeader.check(bytes, limits, source);
      case BMP -> BmpHeader.check(bytes, limits, source);
      default -> { } // PNG and JPEG: the reader's header check below, and PngFastPath's data check
    }
    return format;
  }

  private void checkByteSize(long size, String source) {
    if (size == 0) {
      throw new ImageDecodeException(Reason.EMPTY, source, "no bytes");
    }
    if (size > limits.maxEncodedBytes()) {
      throw new ImageDecodeException(Reason.TOO_LARGE_BYTES, source,
          size + " bytes exceeds the limit of " + limits.maxEncodedBytes() + " bytes");
    }
  }

  private static ImageReader readerFor(String format, String source) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, source, "no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private ImageInfo checkDimensions(ImageReader reader, byte[] bytes, String format, String source) {
    int width;
    int height;
    try {
      width = reader.getWidth(0);
      height = reader.getHeight(0);
    } catch (IOException | RuntimeException e) {
      // The JDK's PNG reader refuses a zero-sized header with a generic error; name it properly.
      if ("png".equals(format) && PngFastPath.headerClaimsZeroSize(bytes)) {
        throw new ImageDecodeException(Reason.ZERO_SIZE, source, "PNG header claims a zero width or height");
      }
      throw new ImageDecodeException(Reason.CORRUPT, source, "unreadable " + format + " header: " + describe(e), e);
    }
    ClaimedSize.check(limits, source, "header", width, height);
    return new ImageInfo(format, width, height);
  }

  private static IIOReadWarningListener collectingInto(List<String> warnings) {
    // A damaged JPEG can warn once per block; a count is enough beyond the first few.
    return (reader, warning) -> warnings.add(warnings.size() < 3 ? bounded(warning) : "");
  }

  /** Messages from the readers can quote the input; they are cut to a sane length. */
  private static String bounded(String text) {
    return text == null || text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      text.append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e && cause.getMessage() != null) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    return bounded(text.toString());
  }

  private static String hexPrefix(byte[] bytes) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      hex.append(String.format("%02x", bytes[i] & 0xff));
    }
    return hex.toString();
  }
}
