package dev.aligntok.inference.image;

import dev.aligntok.inference.image.ImageDecodeException.Reason;

/**
 * The one check of a size an image's header claims against {@link ImageLimits}, shared by the
 * reader-based check and the format headers parsed before any reader sees the bytes.
 */
final class ClaimedSize {
  private ClaimedSize() {}

  /**
   * @param what names the claim in the message ("header", "VP8X canvas", "first GIF frame")
   * @throws ImageDecodeException ZERO_SIZE for a zero side, TOO_MANY_PIXELS beyond the limits
   */
  static void check(ImageLimits limits, String source, String what, long width, long height) {
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(Reason.ZERO_SIZE, source, what + " claims " + width + "x" + height);
    }
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE || !limits.allows((int) width, (int) height)) {
      throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, source, what + " claims " + width + "x" + height
          + ", limits are " + limits.maxWidth() + "x" + limits.maxHeight() + " and " + limits.maxPixels() + " pixels");
    }
  }
}
