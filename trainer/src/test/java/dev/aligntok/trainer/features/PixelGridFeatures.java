package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
/** A pure-Java stand-in feature space for tests: RGB averaged over a G×G grid (3·G² values; 4×4 = 48 by default). */
public final class PixelGridFeatures implements FeatureExtractor {
  private final int cells;

  public PixelGridFeatures() {
    this(4);
  }

  public PixelGridFeatures(int cells) {
    this.cells = cells;
  }

  @Override
  public String name() {
    return "pixels/" + cells + "x" + cells;
  }

  @Override
  public int dimensions() {
    return 3 * cells * cells;
  }

  @Override
  public double[][] extract(ImageBatch images) {
    return Pooling.grid(images.pixels(), images.count(), 3, images.height(), images.width(), cells);
  }

  @Override
  public void close() {}
}
