package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.Resize;
import java.awt.image.BufferedImage;

/**
 * Brings [0, 1] images to a pretrained network's square input size through the shared serving
 * path: to 8-bit RGB ({@link ImageTensors}), {@link Resize} (bilinear up, area average down), back
 * to [0, 1] floats. Going through 8 bits means a reconstruction is measured as it would be saved,
 * and originals and reconstructions see exactly the same preprocessing.
 */
final class NetworkInput {
  private NetworkInput() {}

  /** Images {@code from} (inclusive) to {@code to} (exclusive) of the batch as n×3×size×size in [0, 1]. */
  static float[] resized(ImageBatch images, int from, int to, int size) {
    int floats = 3 * size * size;
    float[] out = new float[(to - from) * floats];
    for (int i = from; i < to; i++) {
      BufferedImage rgb = ImageTensors.fromChw(images.pixels(), images.offset(i), images.height(), images.width(),
          Normalization.ZERO_ONE);
      BufferedImage scaled = images.height() == size && images.width() == size ? rgb : Resize.resize(rgb, size, size);
      ImageTensors.toChw(scaled, Normalization.ZERO_ONE, out, (i - from) * floats);
    }
    return out;
  }
}
