package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
/** A pure-Java stand-in feature space for tests: RGB averaged over a 4×4 grid (48 values). */
public final class PixelGridFeatures implements FeatureExtractor {
  @Override
  public String name() {
    return "pixels/4x4";
  }

  @Override
  public int dimensions() {
    return 48;
  }

  @Override
  public double[][] extract(ImageBatch images) {
    return Pooling.grid(images.pixels(), images.count(), 3, images.height(), images.width(), 4);
  }

  @Override
  public void close() {}
}
