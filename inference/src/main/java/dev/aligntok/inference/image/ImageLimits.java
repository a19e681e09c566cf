package dev.aligntok.inference.image;

/**
 * Upper bounds an encoded image must respect before any pixel is decoded. They exist because a
 * few hundred bytes of PNG can claim a 100,000 × 100,000 image: the decoder checks the byte size
 * and the header's claimed dimensions first, so a hostile or broken input costs nothing.
 *
 * @param maxEncodedBytes largest accepted encoded size (bytes)
 * @param maxWidth largest accepted width (pixels)
 * @param maxHeight largest accepted height (pixels)
 * @param maxPixels largest accepted width × height
 */
public record ImageLimits(long maxEncodedBytes, int maxWidth, int maxHeight, long maxPixels) {
  /** 32 MiB encoded, at most 8192 px a side and 40 megapixels: generous for photos, tiny next to a bomb. */
  public static final ImageLimits DEFAULT = new ImageLimits(32L << 20, 8192, 8192, 40_000_000L);

  public ImageLimits {
    if (maxEncodedBytes <= 0) {
      throw new IllegalArgumentException("maxEncodedBytes must be > 0, got " + maxEncodedBytes);
    }
    if (maxWidth <= 0 || maxHeight <= 0) {
      throw new IllegalArgumentException("maxWidth and maxHeight must be > 0, got " + maxWidth + "x" + maxHeight);
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
  }

  /** Whether a claimed size fits (each side and the pixel count). */
  public boolean allows(int width, int height) {
    return width <= maxWidth && height <= maxHeight && (long) width * height <= maxPixels;
  }
}
