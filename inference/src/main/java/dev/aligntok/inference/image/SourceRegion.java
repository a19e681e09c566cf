package dev.aligntok.inference.image;

/**
 * Which source pixels a decode keeps: a rectangle of the image, and every {@code step}-th pixel of
 * it along both axes, starting at its top-left corner (ImageIO's source region and subsampling,
 * with no subsampling offset). Output pixel (i, j) is source pixel (x + i·step, y + j·step).
 *
 * @param step 1 keeps every pixel
 */
record SourceRegion(int x, int y, int width, int height, int step) {
  /**
   * A square side is subsampled only while at least this many times the target remains, so the
   * exact area-average resize that follows still averages ≥ 4×4 kept pixels per output pixel.
   */
  static final int OVERSAMPLING = 4;

  SourceRegion {
    if (x < 0 || y < 0 || width <= 0 || height <= 0 || step < 1) {
      throw new IllegalArgumentException("bad source region " + width + "x" + height + "+" + x + "+" + y + " step " + step);
    }
  }

  /** Chooses the region of an image once its header's size is known. */
  interface Choice {
    SourceRegion of(int imageWidth, int imageHeight);
  }

  /** The whole image, every pixel. */
  static SourceRegion whole(int width, int height) {
    return new SourceRegion(0, 0, width, height, 1);
  }

  /**
   * The centred square {@link Resize#centerCropSquare} keeps, subsampled by the largest step that
   * leaves at least {@link #OVERSAMPLING} × {@code size} pixels a side (no subsampling below
   * 2 × OVERSAMPLING × size: those images decode exactly as with a full decode).
   */
  static SourceRegion centreSquare(int width, int height, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + size);
    }
    int side = Math.min(width, height);
    int step = Math.max(1, side / (OVERSAMPLING * size));
    return new SourceRegion((width - side) / 2, (height - side) / 2, side, side, step);
  }

  /** Width of the decoded result. */
  int outWidth() {
    return (width + step - 1) / step;
  }

  /** Height of the decoded result. */
  int outHeight() {
    return (height + step - 1) / step;
  }

  boolean isWhole(int imageWidth, int imageHeight) {
    return x == 0 && y == 0 && width == imageWidth && height == imageHeight && step == 1;
  }
}
