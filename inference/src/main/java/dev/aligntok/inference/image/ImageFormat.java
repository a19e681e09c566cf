package dev.aligntok.inference.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The encoded formats {@link ImageDecoder} reads, recognised by their leading bytes (never by a
 * file name or a declared content type), with the media type each is sent as over HTTP. This is the
 * one home of the signatures: the service's upload check asks here too.
 */
public enum ImageFormat {
  PNG("png", "image/png"),
  JPEG("jpeg", "image/jpeg"),
  /** Still WebP: lossy (VP8), lossless (VP8L) or extended (VP8X, with alpha); animated WebP is refused. */
  WEBP("webp", "image/webp"),
  /** GIF87a or GIF89a; only the first frame is decoded. */
  GIF("gif", "image/gif"),
  /** Windows BMP (uncompressed, bit fields, RLE4/RLE8); embedded JPEG/PNG and OS/2 variants are refused. */
  BMP("bmp", "image/bmp");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final String imageIoName;
  private final String mediaType;

  ImageFormat(String imageIoName, String mediaType) {
    this.imageIoName = imageIoName;
    this.mediaType = mediaType;
  }

  /** The ImageIO format name of its reader ("png", "webp", ...), also {@link ImageInfo#format()}. */
  public String imageIoName() {
    return imageIoName;
  }

  /** The media type (Content-Type) this format is sent as, e.g. {@code image/webp}. */
  public String mediaType() {
    return mediaType;
  }

  /** The format whose signature the bytes start with, or null when none matches. */
  public static ImageFormat sniff(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return PNG;
    }
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
      return JPEG;
    }
    if (bytes.length >= 12 && startsWith(bytes, ascii("RIFF")) && Arrays.equals(bytes, 8, 12, ascii("WEBP"), 0, 4)) {
      return WEBP;
    }
    if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) {
      return GIF;
    }
    // "BM" alone is weak (any text starting so), so the BMP header's size field must be a known one too.
    if (bytes.length >= 18 && bytes[0] == 'B' && bytes[1] == 'M' && BmpHeader.knownHeaderSize(bytes)) {
      return BMP;
    }
    return null;
  }

  /** The format sent as this media type (parameters and case ignored), or null when none is. */
  public static ImageFormat ofMediaType(String mediaType) {
    if (mediaType == null) {
      return null;
    }
    String bare = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (ImageFormat format : values()) {
      if (format.mediaType.equals(bare)) {
        return format;
      }
    }
    return null;
  }

  /** Every accepted media type, comma-separated, for error messages and documentation. */
  public static String mediaTypes() {
    return Arrays.stream(values()).map(ImageFormat::mediaType).collect(Collectors.joining(", "));
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
