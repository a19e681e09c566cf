package dev.aligntok.inference.image;

/**
 * Encoded bytes could not be turned into an RGB image. The message names the source (a file, an
 * event id) and what was wrong; {@link #reason()} says the same for programs (for example to count
 * skipped images by cause, or to choose a dead-letter reason).
 */
public final class ImageDecodeException extends RuntimeException {
  /** What was wrong with the encoded image. */
  public enum Reason {
    /** No bytes at all. */
    EMPTY,
    /** More encoded bytes than {@link ImageLimits#maxEncodedBytes()}. */
    TOO_LARGE_BYTES,
    /** The header claims more width, height or pixels than {@link ImageLimits} allows. */
    TOO_MANY_PIXELS,
    /** The header claims a width or height of zero. */
    ZERO_SIZE,
    /** Not one of the {@link ImageFormat}s (by signature), a variant of one that is not read, or no decoder for it. */
    UNSUPPORTED_FORMAT,
    /** A known signature but the header or pixel data is damaged, truncated or inconsistent. */
    CORRUPT
  }

  private final Reason reason;
  private final String source;

  public ImageDecodeException(Reason reason, String source, String detail) {
    this(reason, source, detail, null);
  }

  public ImageDecodeException(Reason reason, String source, String detail, Throwable cause) {
    super("cannot decode image " + source + " (" + reason + "): " + detail, cause);
    this.reason = reason;
    this.source = source;
  }

  public Reason reason() {
    return reason;
  }

  /** Where the bytes came from, as the caller named it. */
  public String source() {
    return source;
  }
}
